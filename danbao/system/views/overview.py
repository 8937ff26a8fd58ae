"""System overview: calendar coverage warning, configuration counts, failing jobs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from danbao.core import calendar
from danbao.core.access import require_permission
from danbao.system import selectors

SYSTEM_PERMISSIONS = ("system.dict.manage", "system.param.manage", "system.numbering.manage", "system.calendar.manage", "system.job.manage")


@require_permission(*SYSTEM_PERMISSIONS)
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = [{"year": y, "coverage": calendar.coverage(y)} for y in (today.year, today.year + 1)]
    context = {
        "years": years,
        "warnings": [y["year"] for y in years if y["coverage"] == "weekdays"],
        "counts": selectors.overview_counts(),
        "failing": list(selectors.failing_jobs(24)[:20]),
    }
    return render(request, "system/overview.html", context)
