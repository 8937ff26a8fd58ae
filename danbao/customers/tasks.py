"""Celery tasks of the customers app (thin wrappers; the run log comes from tracked_job)."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from danbao.system.jobs import tracked_job


@shared_task(name="danbao.customers.tasks.rescreen_all")
@tracked_job(name="danbao.customers.tasks.rescreen_all")
def rescreen_all() -> str:
    """Screen every customer and related party against the active watch-list entries (idempotent:
    a hit already found, open or handled, is never created again)."""
    from danbao.customers.services_extras.screening import rescreen_everything

    counts = rescreen_everything()
    return _("%(customers)s customers and %(parties)s related parties screened, %(hits)s new hits") % counts
