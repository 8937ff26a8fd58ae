"""Celery tasks of the approval engine (thin wrappers; the run log comes from tracked_job)."""

from __future__ import annotations

from celery import shared_task

from danbao.system.jobs import tracked_job
from danbao.workflow import services


@shared_task(name="danbao.workflow.tasks.check_deadlines")
@tracked_job(name="danbao.workflow.tasks.check_deadlines")
def check_deadlines() -> str:
    """Remind before and at expiry, escalate overdue tasks (idempotent: stamps on each task)."""
    counts = services.deadlines_check()
    return f"reminded {counts['soon']} due soon, {counts['due']} due or overdue; escalated {counts['escalated']}"
