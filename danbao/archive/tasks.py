"""Celery tasks of the archive app (thin wrappers; the run log comes from tracked_job)."""

from __future__ import annotations

from celery import shared_task

from danbao.system.jobs import tracked_job


@shared_task(name="danbao.archive.tasks.nightly")
@tracked_job(name="danbao.archive.tasks.nightly")
def nightly() -> str:
    """Borrowing reminders: due soon and overdue (idempotent)."""
    from danbao.archive.services import archive_nightly

    counts = archive_nightly()
    return f"reminded {counts['soon']} due soon, {counts['overdue']} overdue"
