"""Celery task of the risk app: the nightly warning job, then the classification suggestions."""

from __future__ import annotations

from celery import shared_task

from danbao.system.jobs import tracked_job


@shared_task(name="danbao.risk.tasks.nightly")
@tracked_job(name="danbao.risk.tasks.nightly")
def nightly() -> str:
    from danbao.risk.classification import suggestions_run
    from danbao.risk.engine import warnings_run

    run = warnings_run()
    suggested = suggestions_run()
    return (
        f"warnings: {run.evaluated} evaluated, {run.created} new, {run.changed} level changes, {run.closed} closed; suggestions {suggested}"
    )
