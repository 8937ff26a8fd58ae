"""Celery tasks of the partners app (thin wrappers; the run log comes from tracked_job)."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from danbao.system.jobs import tracked_job


@shared_task(name="danbao.partners.tasks.expire_agreements")
@tracked_job(name="danbao.partners.tasks.expire_agreements")
def expire_agreements() -> str:
    """Mark in-force agreements past their end date as expired (idempotent)."""
    from danbao.partners.services import agreements_expire

    return _("%(count)s agreements expired") % {"count": agreements_expire()}


@shared_task(name="danbao.partners.tasks.check_credit_lines")
@tracked_job(name="danbao.partners.tasks.check_credit_lines")
def check_credit_lines() -> str:
    """Compute every in-force agreement's credit-line usage and warn the managers (idempotent per day)."""
    from danbao.partners.services import credit_lines_check

    counts = credit_lines_check()
    return _("%(checked)s credit lines checked, %(changed)s level changes, %(notified)s warnings sent") % counts
