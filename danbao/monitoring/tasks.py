"""Celery tasks of the monitoring app (thin wrappers; the run log comes from tracked_job)."""

from __future__ import annotations

from celery import shared_task

from danbao.system.jobs import tracked_job


@shared_task(name="danbao.monitoring.tasks.nightly")
@tracked_job(name="danbao.monitoring.tasks.nightly")
def nightly() -> str:
    """Plans for new in-force guarantees, tasks rolled forward, reminders and escalations (idempotent)."""
    from danbao.monitoring.services import monitoring_nightly

    counts = monitoring_nightly()
    return (
        f"plans {counts['plans']} created, {counts['stopped']} stopped; tasks {counts['tasks']} created; "
        f"reminded {counts['soon']} due soon, {counts['overdue']} overdue; escalated {counts['escalated']}"
    )
