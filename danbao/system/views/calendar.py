"""Holiday calendar page: coverage per year, month view, table entries, import, calculator."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danbao.core import calendar as business_calendar
from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.system import selectors
from danbao.system.forms import CalendarDayEditForm, CalendarDayForm, CalendarImportForm, CalendarYearForm, WorkdayCalculatorForm
from danbao.system.services import calendar as services

PERMISSION = "system.calendar.manage"


def _int(value: str | None, default: int, lo: int, hi: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return number if lo <= number <= hi else default


def _page_url(year: int, month: int | None = None) -> str:
    url = f"{reverse('system:calendar')}?year={year}"
    return f"{url}&month={month}" if month else url


@require_permission(PERMISSION)
def calendar_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 2004, 2100)
    month = _int(request.GET.get("month"), today.month if year == today.year else 1, 1, 12)
    calculator = WorkdayCalculatorForm(request.GET if "start" in request.GET else None, initial={"start": today, "days": 5})
    result = None
    if calculator.is_bound and calculator.is_valid():
        start, days = calculator.cleaned_data["start"], calculator.cleaned_data["days"]
        result = {
            "start": start,
            "days": days,
            "date": business_calendar.add_workdays(start, days),
            "start_is_workday": business_calendar.is_workday(start),
        }
    prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
    next_month = (year, month + 1) if month < 12 else (year + 1, 1)
    context = {
        "year": year,
        "month": month,
        "month_start": date(year, month, 1),
        "coverage": selectors.calendar_coverage_rows(today),
        "warnings": selectors.calendar_warnings(today),
        "year_coverage": business_calendar.coverage(year),
        "package_knows_year": business_calendar.package_covers(year),
        "grid": selectors.calendar_month_grid(year, month),
        "entries": selectors.calendar_days_in(year),
        "prev_url": _page_url(*prev_month),
        "next_url": _page_url(*next_month),
        "months": [(m, _page_url(year, m), date_format(date(year, m, 1), "F")) for m in range(1, 13)],
        "day_form": CalendarDayForm(initial={"date": date(year, month, 1)}),
        "calculator": calculator,
        "result": result,
        "today": today,
    }
    return render(request, "system/calendar.html", context)


@require_permission(PERMISSION)
@require_POST
def calendar_day_add(request: HttpRequest) -> HttpResponse:
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_day_create(actor=request.user, day=data["date"], kind=data["kind"], name=data["name"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(date)s was added to the holiday table.") % {"date": data["date"].isoformat()})
        return redirect(_page_url(data["date"].year, data["date"].month))
    messages.error(request, _("Please enter a valid date and kind."))
    return redirect("system:calendar")


@require_permission(PERMISSION)
def calendar_day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.calendar_day_get(pk)
    form = CalendarDayEditForm(request.POST or None, initial={"kind": entry.kind, "name": entry.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_day_update(actor=request.user, entry=entry, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The entry for %(date)s was saved.") % {"date": entry.date.isoformat()})
            return redirect(_page_url(entry.date.year, entry.date.month))
    return render(request, "system/calendar_day_form.html", {"form": form, "entry": entry})


@require_permission(PERMISSION)
@require_POST
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.calendar_day_get(pk)
    year, month = entry.date.year, entry.date.month
    services.calendar_day_delete(actor=request.user, entry=entry)
    messages.success(request, _("The entry for %(date)s was deleted.") % {"date": entry.date.isoformat()})
    return redirect(_page_url(year, month))


@require_permission(PERMISSION)
@require_POST
def calendar_import(request: HttpRequest) -> HttpResponse:
    form = CalendarImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid year."))
        return redirect("system:calendar")
    year = form.cleaned_data["year"]
    try:
        added = services.calendar_import_year(actor=request.user, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(count)s entries of %(year)s were imported from the holiday package; the year is marked as maintained.")
            % {"count": added, "year": year},
        )
    return redirect(_page_url(year))


@require_permission(PERMISSION)
@require_POST
def calendar_year_mark(request: HttpRequest) -> HttpResponse:
    form = CalendarYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid year."))
        return redirect("system:calendar")
    year, maintained = form.cleaned_data["year"], form.cleaned_data["maintained"]
    services.calendar_year_set(actor=request.user, year=year, maintained=maintained)
    if maintained:
        messages.success(request, _("%(year)s is marked as fully maintained: the table alone decides its working days.") % {"year": year})
    else:
        messages.success(request, _("%(year)s is no longer marked as fully maintained.") % {"year": year})
    return redirect(_page_url(year))
