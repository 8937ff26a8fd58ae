"""Celery tasks of the system app (thin wrappers; the run log comes from tracked_job)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core import calendar
from danbao.system.jobs import tracked_job


@shared_task(name="danbao.system.tasks.check_calendar_coverage")
@tracked_job(name="danbao.system.tasks.check_calendar_coverage")
def check_calendar_coverage() -> str:
    """Record whether this year's and next year's holidays are known (sends nothing)."""
    this_year = timezone.localdate().year
    parts = []
    for year in (this_year, this_year + 1):
        source = calendar.coverage(year)
        text = {
            "table": _("%(year)s: holidays maintained in the holiday table"),
            "package": _("%(year)s: holidays provided by the holiday package"),
            "weekdays": _("%(year)s: holidays not maintained yet, working days are Monday to Friday"),
        }[source]
        parts.append(text % {"year": year})
    return _("; ").join(parts)
