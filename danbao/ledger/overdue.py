"""Days past due (逾期天数) and overdue amounts, read from the schedule against the repayments.

A schedule line is *unpaid on a date* when it fell due before that date and was not fully paid by
then: `settled_on` (the value date of the repayment that completed it, set by
`ledger.repayments`) is empty or later. The days past due of a guarantee on `on` are the days since
the due date of its oldest unpaid line, over all its tranches; 0 when nothing is unpaid. Overdue
amounts are the unpaid principal and interest of those lines (what is still unpaid now).

Public selectors for other apps (early warning, five-level classification, the nightly jobs):
`days_past_due(guarantee, on)`, `days_past_due_map(on, guarantee_ids=None)` (a fixed number of
queries whatever the size of the book: the minimum is taken in the database) and
`overdue_amounts(guarantee, on)` / `overdue_map(on, guarantee_ids=None)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Min, Q, Sum

from danbao.ledger.models import Guarantee, GuaranteeState, ScheduleLine

ZERO = Decimal("0.00")
CHUNK = 20000


@dataclass(frozen=True)
class Overdue:
    """Overdue position of a guarantee on a date."""

    days: int
    oldest_due: date | None
    principal: Decimal
    interest: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest

    @property
    def is_overdue(self) -> bool:
        return self.days > 0


NONE = Overdue(0, None, ZERO, ZERO)


def _unpaid_on(on: date) -> Q:
    return Q(due_date__lt=on) & (Q(settled_on__isnull=True) | Q(settled_on__gt=on))


def _pk(guarantee: Any) -> int:
    return guarantee if isinstance(guarantee, int) else guarantee.pk


def _grouped(on: date, guarantee_ids: Iterable[int] | None) -> list[dict[str, Any]]:
    lines = ScheduleLine.objects.filter(_unpaid_on(on), loan__guarantee__state=GuaranteeState.IN_FORCE)
    query = (
        lines.values("loan__guarantee_id")
        .annotate(
            oldest=Min("due_date"),
            principal=Sum(F("principal") - F("paid_principal")),
            interest=Sum(F("interest") - F("paid_interest")),
        )
        .order_by()
    )
    if guarantee_ids is None:
        return list(query.iterator(chunk_size=5000))
    ids = sorted(set(guarantee_ids))
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), CHUNK):
        rows.extend(query.filter(loan__guarantee_id__in=ids[start : start + CHUNK]))
    return rows


def overdue_map(on: date, guarantee_ids: Iterable[int] | None = None) -> dict[int, Overdue]:
    """guarantee id → Overdue on `on`, only for guarantees with something unpaid (others: `NONE`)."""
    out = {}
    for row in _grouped(on, guarantee_ids):
        out[row["loan__guarantee_id"]] = Overdue(
            (on - row["oldest"]).days, row["oldest"], max(row["principal"] or ZERO, ZERO), max(row["interest"] or ZERO, ZERO)
        )
    return out


def days_past_due_map(on: date, guarantee_ids: Iterable[int] | None = None) -> dict[int, int]:
    """guarantee id → days past due on `on` for every in-force guarantee asked for (all of them when
    `guarantee_ids` is None), 0 when nothing is unpaid. Two queries (per 20,000 ids when a list is given)."""
    if guarantee_ids is None:
        ids: Iterable[int] = Guarantee.objects.filter(state=GuaranteeState.IN_FORCE).values_list("pk", flat=True).iterator(chunk_size=10000)
        wanted = list(ids)
        found = overdue_map(on)
    else:
        wanted = list(guarantee_ids)
        found = overdue_map(on, wanted)
    return {pk: (found[pk].days if pk in found else 0) for pk in wanted}


def overdue_amounts(guarantee: Any, on: date) -> Overdue:
    """Days past due, oldest unpaid due date and unpaid principal and interest of one guarantee."""
    return overdue_map(on, [_pk(guarantee)]).get(_pk(guarantee), NONE)


def days_past_due(guarantee: Any, on: date) -> int:
    """Days since the oldest instalment unpaid on `on` fell due (0 when none)."""
    return overdue_amounts(guarantee, on).days


def line_unpaid(line: ScheduleLine) -> Decimal:
    return max(line.principal + line.interest - line.paid_principal - line.paid_interest, ZERO)


def annotate_overdue(queryset: Any, on: date) -> Any:
    """Add `oldest_unpaid` (due date of the oldest line unpaid on `on`), `overdue_total` (unpaid
    principal + interest of those lines), `is_overdue` and `maturity_band` (7 / 15 / 30 / 9999: the
    smallest reminder window the maturity falls in) to a Guarantee queryset, in the database."""
    from datetime import timedelta

    from django.db.models import Case, DecimalField, Exists, IntegerField, OuterRef, Subquery, Value, When
    from django.db.models.functions import Coalesce

    unpaid = ScheduleLine.objects.filter(_unpaid_on(on), loan__guarantee=OuterRef("pk")).order_by()
    oldest = unpaid.values("loan__guarantee").annotate(m=Min("due_date")).values("m")
    total = (
        unpaid.values("loan__guarantee")
        .annotate(t=Sum(F("principal") + F("interest") - F("paid_principal") - F("paid_interest")))
        .values("t")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    return queryset.annotate(
        oldest_unpaid=Subquery(oldest),
        overdue_total=Coalesce(Subquery(total, output_field=money), Value(ZERO), output_field=money),
        is_overdue=Exists(unpaid),
        maturity_band=Case(
            When(maturity_date__lt=on, then=Value(0)),
            When(maturity_date__lte=on + timedelta(days=7), then=Value(7)),
            When(maturity_date__lte=on + timedelta(days=15), then=Value(15)),
            When(maturity_date__lte=on + timedelta(days=30), then=Value(30)),
            default=Value(9999),
            output_field=IntegerField(),
        ),
    )
