"""Reads of the system app: the cached holiday table, dictionary choices, parameter values, lists."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from danbao.core import calendar
from danbao.system import errors, values
from danbao.system.models import (
    CalendarDay,
    CalendarYear,
    DictItem,
    DictType,
    JobRun,
    NumberingRule,
    Parameter,
    ParameterVersion,
)

CACHE_SECONDS = 300  # bounded staleness for other processes when the cache is per-process (no Redis)


# --- Business calendar --------------------------------------------------------------------------


def _calendar_key(year: int) -> str:
    return f"system:calendar:{year}"


def calendar_cache_clear(year: int) -> None:
    cache.delete(_calendar_key(year))


def calendar_table(year: int) -> calendar.YearTable | None:
    """The table's entries of `year` for core.calendar (registered as its day source); cached per year."""
    cached = cache.get(_calendar_key(year))
    if cached is None:
        days = {
            d.isoformat(): kind == CalendarDay.Kind.WORKDAY
            for d, kind in CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
        }
        complete = CalendarYear.objects.filter(year=year, maintained=True).exists()
        cached = {"days": days, "complete": complete}
        cache.set(_calendar_key(year), cached, CACHE_SECONDS)
    if not cached["days"] and not cached["complete"]:
        return None
    return calendar.YearTable({date.fromisoformat(k): v for k, v in cached["days"].items()}, cached["complete"])


def calendar_coverage_rows(today: date | None = None) -> list[dict[str, Any]]:
    """Coverage of last year to next year plus every year in the table; `needed` = this year and next."""
    today = today or timezone.localdate()
    years = {today.year - 1, today.year, today.year + 1}
    years |= {d.year for d in CalendarDay.objects.dates("date", "year")}
    years |= set(CalendarYear.objects.values_list("year", flat=True))
    counts = {
        row["date__year"]: row
        for row in CalendarDay.objects.values("date__year").annotate(
            holidays=Count("id", filter=Q(kind=CalendarDay.Kind.HOLIDAY)), workdays=Count("id", filter=Q(kind=CalendarDay.Kind.WORKDAY))
        )
    }
    rows = []
    for year in sorted(years):
        source = calendar.coverage(year)
        needed = year in (today.year, today.year + 1)
        rows.append(
            {
                "year": year,
                "coverage": source,
                "needed": needed,
                "warning": needed and source == "weekdays",
                "package": calendar.package_covers(year),
                "holidays": counts.get(year, {}).get("holidays", 0),
                "workdays": counts.get(year, {}).get("workdays", 0),
            }
        )
    return rows


def calendar_warnings(today: date | None = None) -> list[int]:
    """Needed years (this year and next) whose working days fall back to Monday–Friday."""
    today = today or timezone.localdate()
    return [y for y in (today.year, today.year + 1) if calendar.coverage(y) == "weekdays"]


def calendar_days_in(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def calendar_day_get(pk: int) -> CalendarDay:
    try:
        return CalendarDay.objects.get(pk=pk)
    except CalendarDay.DoesNotExist as exc:
        raise Http404 from exc


def calendar_month_grid(year: int, month: int) -> list[list[dict[str, Any] | None]]:
    """Weeks (Mon–Sun) of one month, each day with its working-day answer and table entry."""
    entries = {e.date: e for e in CalendarDay.objects.filter(date__year=year, date__month=month)}
    first = date(year, month, 1)
    weeks: list[list[dict[str, Any] | None]] = []
    week: list[dict[str, Any] | None] = [None] * first.weekday()
    d = first
    while d.month == month:
        week.append({"date": d, "workday": calendar.is_workday(d), "entry": entries.get(d), "weekend": d.weekday() >= 5})
        if len(week) == 7:
            weeks.append(week)
            week = []
        d += timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


# --- Dictionaries -------------------------------------------------------------------------------


def _dict_key(code: str) -> str:
    return f"system:dict:{code}"


def dict_cache_clear(code: str) -> None:
    cache.delete(_dict_key(code))


def dict_choices(type_code: str, *, parent: str | None = None) -> list[tuple[str, str]]:
    """Active items of a dictionary as (code, label) in sort order, for forms and list filters; cached.

    With `parent`, only the second-level items under that parent code. Unknown dictionary: [].
    """
    cached = cache.get(_dict_key(type_code))
    if cached is None:
        rows = (
            DictItem.objects.filter(dict_type__code=type_code, is_active=True)
            .order_by("sort_order", "id")
            .values_list("code", "label", "parent__code")
        )
        cached = [list(r) for r in rows]
        cache.set(_dict_key(type_code), cached, CACHE_SECONDS)
    return [(c, label) for c, label, p in cached if p == parent]


def dict_label(type_code: str, code: str) -> str:
    """The label of an item code (also for second-level items); the code itself when unknown."""
    for item_code, label in dict_choices(type_code):
        if item_code == code:
            return label
    item = DictItem.objects.filter(dict_type__code=type_code, code=code).only("label").first()
    return item.label if item else code


def dict_type_list() -> QuerySet[DictType]:
    """Dictionaries with item counts as subqueries (a search join on items must not inflate them)."""
    items = DictItem.objects.filter(dict_type=OuterRef("pk")).order_by().values("dict_type")
    return DictType.objects.annotate(
        item_count=Coalesce(Subquery(items.annotate(n=Count("id")).values("n")), 0),
        active_count=Coalesce(Subquery(items.filter(is_active=True).annotate(n=Count("id")).values("n")), 0),
    )


def dict_type_get(pk: int) -> DictType:
    try:
        return DictType.objects.get(pk=pk)
    except DictType.DoesNotExist as exc:
        raise Http404 from exc


def dict_items_of(dict_type: DictType) -> list[DictItem]:
    """Items in display order: each top-level item followed by its children."""
    items = list(dict_type.items.select_related("parent").order_by("sort_order", "id"))
    top = [i for i in items if i.parent_id is None]
    ordered: list[DictItem] = []
    for item in top:
        ordered.append(item)
        ordered.extend(i for i in items if i.parent_id == item.pk)
    return ordered


def dict_item_get(dict_type: DictType, pk: int) -> DictItem:
    try:
        return dict_type.items.get(pk=pk)
    except DictItem.DoesNotExist as exc:
        raise Http404 from exc


# --- Parameters ---------------------------------------------------------------------------------


def _param_key(code: str) -> str:
    return f"system:param:{code}"


def param_cache_clear(code: str) -> None:
    cache.delete(_param_key(code))


def _param_versions(code: str) -> dict[str, Any]:
    cached = cache.get(_param_key(code))
    if cached is None:
        try:
            parameter = Parameter.objects.get(code=code)
        except Parameter.DoesNotExist as exc:
            raise errors.PARAM_UNKNOWN.error(key=code) from exc
        rows = [
            (v.valid_from.isoformat() if v.valid_from else None, v.valid_to.isoformat() if v.valid_to else None, v.value)
            for v in parameter.versions.order_by("valid_from")
        ]
        cached = {"kind": parameter.kind, "versions": rows}
        cache.set(_param_key(code), cached, CACHE_SECONDS)
    return cached


def param_value(code: str, on: date | None = None) -> Any:
    """The typed value of parameter `code` in force on `on` (today when None); cached.

    Raises DomainError system.param_unknown / system.param_not_in_force.
    """
    on = on or timezone.localdate()
    stamp = on.isoformat()
    data = _param_versions(code)
    for start, end, raw in data["versions"]:
        if (start is None or start <= stamp) and (end is None or stamp <= end):
            return values.to_python(data["kind"], raw)
    raise errors.PARAM_NOT_IN_FORCE.error(key=code, date=stamp)


def parameter_version_on(parameter: Parameter, on: date) -> ParameterVersion | None:
    for version in parameter.versions.all():
        if (version.valid_from is None or version.valid_from <= on) and (version.valid_to is None or on <= version.valid_to):
            return version
    return None


def parameter_list() -> QuerySet[Parameter]:
    return Parameter.objects.prefetch_related("versions")


def parameters_by_codes(codes: list[str]) -> dict[str, Parameter]:
    """Parameter definitions (name, grade, unit) with their versions, keyed by code, for pages that
    say which parameter values a calculation used."""
    return {p.code: p for p in Parameter.objects.filter(code__in=codes).prefetch_related("versions")}


def parameter_get(pk: int) -> Parameter:
    try:
        return Parameter.objects.prefetch_related("versions__created_by").get(pk=pk)
    except Parameter.DoesNotExist as exc:
        raise Http404 from exc


# --- Numbering, jobs, overview ------------------------------------------------------------------


def numbering_rule_list() -> QuerySet[NumberingRule]:
    return NumberingRule.objects.all()


def numbering_rule_get(pk: int) -> NumberingRule:
    try:
        return NumberingRule.objects.get(pk=pk)
    except NumberingRule.DoesNotExist as exc:
        raise Http404 from exc


def job_runs_for(task_name: str) -> QuerySet[JobRun]:
    return JobRun.objects.filter(task_name=task_name)


def job_last_runs(task_names: list[str]) -> dict[str, JobRun]:
    """The latest run of each task (two queries whatever the number of tasks)."""
    latest = JobRun.objects.filter(task_name__in=task_names).values("task_name").annotate(last=Max("id")).values_list("last", flat=True)
    return {run.task_name: run for run in JobRun.objects.filter(id__in=list(latest))}


def failing_jobs(since_hours: int = 24) -> QuerySet[JobRun]:
    return JobRun.objects.filter(status=JobRun.Status.FAILURE, started_at__gte=timezone.now() - timedelta(hours=since_hours))


def overview_counts() -> dict[str, int]:
    return {
        "dict_types": DictType.objects.count(),
        "dict_items": DictItem.objects.filter(is_active=True).count(),
        "parameters": Parameter.objects.count(),
        "legal_parameters": Parameter.objects.filter(legal_force=True).count(),
        "numbering_rules": NumberingRule.objects.filter(is_active=True).count(),
        "calendar_days": CalendarDay.objects.count(),
    }
