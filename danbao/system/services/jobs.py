"""Scheduled jobs: switch a periodic task on or off, run it now, register the defaults."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from danbao.system import errors
from danbao.system.services.common import require

PERMISSION = "system.job.manage"


@dataclass(frozen=True)
class DefaultJob:
    name: str  # shown in the job list (the PeriodicTask's unique name)
    task: str
    minute: str
    hour: str
    description: str


DEFAULT_JOBS = [
    DefaultJob("停用长期未登录账户", "danbao.org.tasks.disable_dormant_accounts", "30", "1", "每天 01:30 停用长期未登录的账户（等保要求）"),
    DefaultJob(
        "检查节假日维护情况", "danbao.system.tasks.check_calendar_coverage", "0", "6", "每天 06:00 检查今年与明年的节假日安排是否已维护"
    ),
]


def jobs_ensure() -> int:
    """Create the default periodic tasks that are missing; existing ones keep the administrator's
    schedule and switch. Returns the number created (0 on a second run)."""
    created = 0
    with transaction.atomic():
        for job in DEFAULT_JOBS:
            if PeriodicTask.objects.filter(task=job.task).exists():
                continue
            schedule, _ = CrontabSchedule.objects.get_or_create(
                minute=job.minute, hour=job.hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
            )
            PeriodicTask.objects.create(name=job.name, task=job.task, crontab=schedule, description=job.description, enabled=True)
            created += 1
    return created


def _audit(actor: Any, task: PeriodicTask, action: str, before: Any, after: Any) -> None:
    from danbao.core.events import security_event

    security_event(
        "system.job_changed",
        actor=actor,
        object_type="django_celery_beat.periodictask",
        object_id=str(task.pk),
        data={"action": action, "task": task.task, "before": before, "after": after},
    )


def job_set_enabled(*, actor: Any, task: PeriodicTask, enabled: bool) -> PeriodicTask:
    """Switch a periodic task on or off (beat picks the change up from the database)."""
    require(actor, PERMISSION)
    with transaction.atomic():
        task = PeriodicTask.objects.select_for_update().get(pk=task.pk)
        if task.enabled != enabled:
            before = {"enabled": task.enabled}
            task.enabled = enabled
            task.save()  # save(), not update(): django-celery-beat bumps its change marker on save
            _audit(actor, task, "enable" if enabled else "disable", before, {"enabled": enabled})
    return task


def _celery_task(name: str) -> Any:
    tasks = current_app.tasks
    if name not in tasks:
        module = name.rsplit(".", 1)[0]
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    if name not in tasks:
        raise errors.JOB_UNKNOWN_TASK.error(task=name)
    return tasks[name]


def job_run_now(*, actor: Any, task: PeriodicTask) -> None:
    """Send the task to Celery now (it runs in-process when there is no broker); audited.

    The task is sent after commit, and its own failure is recorded in its JobRun, not raised here.
    """
    require(actor, PERMISSION)
    celery_task = _celery_task(task.task)
    with transaction.atomic():
        _audit(actor, task, "run_now", None, None)
        transaction.on_commit(lambda: celery_task.apply_async(), robust=True)
