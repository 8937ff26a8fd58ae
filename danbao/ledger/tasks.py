"""Celery tasks of the ledger (thin wrappers; the run log comes from tracked_job)."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from danbao.system.jobs import tracked_job


@shared_task(name="danbao.ledger.tasks.maturity_reminders")
@tracked_job(name="danbao.ledger.tasks.maturity_reminders")
def maturity_reminders() -> str:
    """Remind A-role managers of guarantees maturing within 30 / 15 / 7 days (idempotent)."""
    from danbao.ledger.maturity import reminders_send

    counts = reminders_send()
    return _("%(candidates)s guarantees maturing soon, %(sent)s reminders sent") % counts
