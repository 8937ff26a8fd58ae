"""Maturity reminders (到期提醒): the nightly job tells the A-role manager of each in-force guarantee
30, 15 and 7 days before its maturity (the thresholds are the dated parameter
`ledger_maturity_reminder_days`). Idempotent: one reminder per guarantee, maturity date and threshold
(a MaturityReminder row), so running twice sends nothing twice; a run that missed a day catches up
with the smallest threshold reached (one message, every passed threshold recorded); an extension moves
the maturity date and the reminders start again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from danbao.core.errors import DomainError
from danbao.ledger.models import Guarantee, GuaranteeState, MaturityReminder
from danbao.system.selectors import param_value

REMINDER_DAYS = "ledger_maturity_reminder_days"
REMINDER_DAYS_DEFAULT = "30,15,7"
KIND = "ledger.maturity_reminder"


def ensure_parameters() -> int:
    from danbao.system.models import Parameter
    from danbao.system.services.parameters import parameter_define

    if Parameter.objects.filter(code=REMINDER_DAYS).exists():
        return 0
    parameter_define(
        actor=None,
        code=REMINDER_DAYS,
        name="担保到期提醒提前天数",
        kind="string",
        value=REMINDER_DAYS_DEFAULT,
        unit="天",
        legal_force=False,
        category="在保台账",
        description="在保担保到期前多少天提醒A角客户经理，逗号分隔（默认 30、15、7 天）；每个担保每个档位只提醒一次。",
        source="机构内部管理要求",
    )
    return 1


def thresholds(on: date | None = None) -> list[int]:
    try:
        raw = str(param_value(REMINDER_DAYS, on))
    except (DomainError, TypeError, ValueError):
        raw = REMINDER_DAYS_DEFAULT
    try:
        days = sorted({int(x) for x in raw.replace("，", ",").split(",") if x.strip()}, reverse=True)
    except ValueError:
        days = [30, 15, 7]
    return [d for d in days if d > 0] or [30, 15, 7]


def reminders_send(on: date | None = None) -> dict[str, int]:
    """Send the due maturity reminders of `on` (default today); returns counts."""
    from danbao.notifications.services import notify

    on = on or timezone.localdate()
    days = thresholds(on)
    horizon = on + timedelta(days=max(days))
    candidates = (
        Guarantee.objects.filter(state=GuaranteeState.IN_FORCE, maturity_date__gte=on, maturity_date__lte=horizon)
        .select_related("project__manager_a", "customer", "bank", "branch")
        .order_by("maturity_date", "pk")
    )
    sent_keys = set(
        MaturityReminder.objects.filter(guarantee__in=candidates.values("pk")).values_list("guarantee_id", "maturity_date", "threshold")
    )
    sent = 0
    for guarantee in candidates.iterator(chunk_size=2000):
        left = (guarantee.maturity_date - on).days
        reached = [d for d in days if left <= d and (guarantee.pk, guarantee.maturity_date, d) not in sent_keys]
        if not reached:
            continue
        with transaction.atomic():
            MaturityReminder.objects.bulk_create(
                [MaturityReminder(guarantee=guarantee, maturity_date=guarantee.maturity_date, threshold=d, sent_on=on) for d in reached],
                ignore_conflicts=True,
            )
            manager = guarantee.project.manager_a
            if manager is not None:
                notify(
                    users=[manager],
                    kind=KIND,
                    context=_context(guarantee, left),
                    link=reverse("ledger:guarantee-detail", args=[guarantee.pk]),
                )
        sent += 1
    return {"candidates": candidates.count(), "sent": sent}


def _context(guarantee: Guarantee, left: int) -> dict[str, Any]:
    return {
        "number": guarantee.project.number,
        "customer": guarantee.customer.name,
        "bank": guarantee.lending_bank.name,
        "maturity": guarantee.maturity_date.isoformat(),
        "days": str(left),
        "balance": f"{guarantee.loan_balance:,.2f}",
    }
