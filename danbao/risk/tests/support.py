"""Risk test helpers: the first due date of the monitoring tests' guarantee (annuity, monthly)."""

from __future__ import annotations

import datetime as dt

from danbao.ledger.models import Guarantee, ScheduleLine


def first_due(guarantee: Guarantee) -> dt.date:
    return ScheduleLine.objects.filter(loan__guarantee=guarantee).order_by("due_date").values_list("due_date", flat=True).first()


def dpd_date(guarantee: Guarantee, days: int) -> dt.date:
    """The date on which the guarantee (nothing repaid) is `days` past due."""
    return first_due(guarantee) + dt.timedelta(days=days)
