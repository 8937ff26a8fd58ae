"""Scheduled-job pages: periodic tasks with schedule, switch, last result and "run now"; run logs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.system import selectors
from danbao.system.models import JobRun
from danbao.system.services import jobs as services

PERMISSION = "system.job.manage"
WEEKDAYS = {"0": "Sunday", "1": "Monday", "2": "Tuesday", "3": "Wednesday", "4": "Thursday", "5": "Friday", "6": "Saturday", "7": "Sunday"}


def describe_schedule(task: PeriodicTask) -> str:
    """A crontab or interval in words ("Every day at 01:30"); the raw crontab when it is unusual."""
    cron = task.crontab
    if cron is not None:
        simple_time = cron.minute.isdigit() and cron.hour.isdigit()
        at = f"{int(cron.hour):02d}:{int(cron.minute):02d}" if simple_time else ""
        if simple_time and cron.day_of_month == "*" and cron.month_of_year == "*":
            if cron.day_of_week == "*":
                return _("Every day at %(time)s") % {"time": at}
            if cron.day_of_week in WEEKDAYS:
                return _("Every %(weekday)s at %(time)s") % {"weekday": _(WEEKDAYS[cron.day_of_week]), "time": at}
            if cron.day_of_week == "1-5":
                return _("Monday to Friday at %(time)s") % {"time": at}
        if simple_time and cron.day_of_month.isdigit() and cron.month_of_year == "*" and cron.day_of_week == "*":
            return _("Day %(day)s of every month at %(time)s") % {"day": cron.day_of_month, "time": at}
        if cron.minute.isdigit() and cron.hour == "*" and cron.day_of_month == "*" and cron.day_of_week == "*":
            return _("Every hour at minute %(minute)s") % {"minute": cron.minute}
        return f"{cron.minute} {cron.hour} {cron.day_of_month} {cron.month_of_year} {cron.day_of_week} (crontab)"
    if task.interval is not None:
        return _("Every %(every)s %(period)s") % {"every": task.interval.every, "period": task.interval.get_period_display()}
    return _("Not scheduled")


def _task_get(pk: int) -> PeriodicTask:
    try:
        return PeriodicTask.objects.select_related("crontab", "interval").get(pk=pk)
    except PeriodicTask.DoesNotExist as exc:
        raise Http404 from exc


@require_permission(PERMISSION)
def job_list(request: HttpRequest) -> HttpResponse:
    tasks = list(PeriodicTask.objects.select_related("crontab", "interval").exclude(name="celery.backend_cleanup").order_by("name"))
    last = selectors.job_last_runs([t.task for t in tasks])
    rows: list[dict[str, Any]] = [{"task": t, "schedule": describe_schedule(t), "last": last.get(t.task)} for t in tasks]
    return render(request, "system/job_list.html", {"rows": rows})


@require_permission(PERMISSION)
@require_POST
def job_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_get(pk)
    task = services.job_set_enabled(actor=request.user, task=task, enabled=not task.enabled)
    if task.enabled:
        messages.success(request, _("%(name)s is enabled.") % {"name": task.name})
    else:
        messages.success(request, _("%(name)s is disabled; it will not run on schedule until enabled again.") % {"name": task.name})
    return redirect("system:job-list")


@require_permission(PERMISSION)
@require_POST
def job_run(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_get(pk)
    before = selectors.job_runs_for(task.task).values_list("id", flat=True).first() or 0
    try:
        services.job_run_now(actor=request.user, task=task)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("system:job-list")
    run = selectors.job_runs_for(task.task).filter(id__gt=before).first()
    if run is None:
        messages.info(request, _("%(name)s was sent to the job queue; its result will appear in the run log.") % {"name": task.name})
    elif run.status == JobRun.Status.SUCCESS:
        messages.success(request, _("%(name)s finished: %(summary)s") % {"name": task.name, "summary": run.summary or _("done")})
    else:
        messages.error(request, _("%(name)s failed: %(error)s") % {"name": task.name, "error": run.error})
    return redirect("system:job-list")


@require_permission(PERMISSION)
def job_log(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_get(pk)
    runs = selectors.job_runs_for(task.task)[:200]
    return render(request, "system/job_log.html", {"task": task, "schedule": describe_schedule(task), "runs": runs})
