"""Holiday table: add, edit and delete exceptions to the weekday rule; import a year from the package."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danbao.core import calendar
from danbao.system import errors
from danbao.system.models import CalendarDay, CalendarYear
from danbao.system.selectors import calendar_cache_clear
from danbao.system.services.common import changed, require, snapshot

PERMISSION = "system.calendar.manage"
DAY_FIELDS = ["date", "kind", "name"]


def _invalidate(year: int) -> None:
    """Drop the cached year now and again after commit (another process may re-read it meanwhile)."""
    calendar_cache_clear(year)
    transaction.on_commit(lambda: calendar_cache_clear(year))


def _check_needed(day: date, kind: str) -> None:
    """An entry must change the weekday answer, else it only confuses (a holiday on a Sunday)."""
    weekday = day.weekday() < 5
    if kind == CalendarDay.Kind.HOLIDAY and not weekday:
        raise errors.CALENDAR_NOT_NEEDED.error(date=day.isoformat(), what=_("rest day"))
    if kind == CalendarDay.Kind.WORKDAY and weekday:
        raise errors.CALENDAR_NOT_NEEDED.error(date=day.isoformat(), what=_("working day"))


def calendar_day_create(*, actor: Any, day: date, kind: str, name: str = "") -> CalendarDay:
    """Enter one holiday or make-up working day."""
    require(actor, PERMISSION)
    _check_needed(day, kind)
    with transaction.atomic():
        if CalendarDay.objects.filter(date=day).exists():
            raise errors.CALENDAR_DAY_EXISTS.error(date=day.isoformat())
        entry = CalendarDay(date=day, kind=kind, name=name.strip())
        entry.full_clean()
        entry.save()
        changed("calendar", actor=actor, obj=entry, action="create", before=None, after=snapshot(entry, DAY_FIELDS))
        _invalidate(day.year)
    return entry


def calendar_day_update(*, actor: Any, entry: CalendarDay, kind: str, name: str = "") -> CalendarDay:
    """Change the kind or name of an entry (the date is its identity: delete and re-add to move it)."""
    require(actor, PERMISSION)
    _check_needed(entry.date, kind)
    with transaction.atomic():
        entry = CalendarDay.objects.select_for_update().get(pk=entry.pk)
        before = snapshot(entry, DAY_FIELDS)
        entry.kind = kind
        entry.name = name.strip()
        entry.full_clean()
        entry.save()
        changed("calendar", actor=actor, obj=entry, action="update", before=before, after=snapshot(entry, DAY_FIELDS))
        _invalidate(entry.date.year)
    return entry


def calendar_day_delete(*, actor: Any, entry: CalendarDay) -> None:
    """Remove an entry (configuration, not business data: deletion is allowed and audited)."""
    require(actor, PERMISSION)
    with transaction.atomic():
        entry = CalendarDay.objects.select_for_update().get(pk=entry.pk)
        before = snapshot(entry, DAY_FIELDS)
        pk, year = entry.pk, entry.date.year
        entry.delete()
        entry.pk = pk
        changed("calendar", actor=actor, obj=entry, action="delete", before=before, after=None)
        _invalidate(year)


def calendar_year_set(*, actor: Any, year: int, maintained: bool, note: str = "") -> CalendarYear:
    """Mark a year as fully maintained in the table (or withdraw the mark)."""
    require(actor, PERMISSION)
    with transaction.atomic():
        row, created = CalendarYear.objects.select_for_update().get_or_create(year=year, defaults={"maintained": maintained, "note": note})
        before = None if created else snapshot(row, ["year", "maintained", "note"])
        row.maintained = maintained
        row.note = note or row.note
        row.save()
        changed("calendar", actor=actor, obj=row, action="year", before=before, after=snapshot(row, ["year", "maintained", "note"]))
        _invalidate(year)
    return row


def calendar_import_year(*, actor: Any, year: int) -> int:
    """Copy the package's holidays and make-up days of `year` into the table and mark the year maintained.

    Idempotent: existing entries are kept as they are (an administrator's correction wins); returns
    the number of entries added.
    """
    require(actor, PERMISSION)
    days = calendar.package_days(year)
    if not days:
        raise errors.CALENDAR_PACKAGE_UNKNOWN_YEAR.error(year=year)
    with transaction.atomic():
        existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
        added = 0
        for day, (is_work, name) in sorted(days.items()):
            if day in existing:
                continue
            kind = CalendarDay.Kind.WORKDAY if is_work else CalendarDay.Kind.HOLIDAY
            CalendarDay.objects.create(date=day, kind=kind, name=_holiday_name(name))
            added += 1
        row, created = CalendarYear.objects.select_for_update().get_or_create(year=year, defaults={"maintained": True})
        if not row.maintained:
            row.maintained = True
            row.save()
        changed(
            "calendar",
            actor=actor,
            obj=row,
            action="import",
            before=None,
            after={"year": year, "added": added, "package_entries": len(days)},
        )
        _invalidate(year)
    return added


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(name: str) -> str:
    """The package names holidays in English; the table keeps the names users know."""
    return _HOLIDAY_NAMES.get(name, name)
