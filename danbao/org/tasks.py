"""Celery wrappers of the organisation app (nightly account housekeeping)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="danbao.org.tasks.disable_dormant_accounts", ignore_result=True)
def disable_dormant_accounts() -> list[str]:
    """Nightly (等保 8.1.4.2c): disable unused accounts and accounts past their end date."""
    from danbao.org.services.auth import dormant_accounts_disable

    return dormant_accounts_disable()
