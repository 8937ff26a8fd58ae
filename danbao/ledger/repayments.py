"""Repayments (还款): recording, allocation to the schedule, reversal, and the release (解保) move.

`repayment_record` is the one entry point: staff on the guarantee page, the bank's Excel import and
(later) the bank portal all call it. In one transaction with the guarantee row locked it checks the
repayment, allocates it to the tranche's schedule lines oldest due first (interest to unpaid interest,
principal to unpaid principal; a line fully paid gets the repayment date as `settled_on`), lowers the
tranche's principal outstanding, recomputes the guarantee's loan balance and liability (balance × own
share), re-runs the regulatory liability of the customer and writes one audit event. Idempotent: the
same idempotency key, or the same natural key (bank + loan contract + date + amount + reference,
used by the import), returns the repayment already recorded.

`repayment_reverse` undoes a repayment's allocation with a reason; nothing is deleted.
`guarantee_release` moves an in-force guarantee to released when its loan balance is zero or the
bank's notice confirms full repayment; balances go to zero."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from danbao.core.errors import DomainError
from danbao.core.events import security_event
from danbao.core.money import format_amount
from danbao.ledger import lifecycle, schedules, selectors
from danbao.ledger import repayment_errors as errors
from danbao.ledger.models import Guarantee, GuaranteeState, Loan, Repayment, RepaymentAllocation, ScheduleLine

ZERO = Decimal("0.00")
RELEASE = "ledger.guarantee.release"


def may_repay(user: Any, guarantee: Guarantee) -> bool:
    """Who records repayments: the same people who record disbursements (finance any, A/B own), in scope."""
    project = guarantee.project
    return selectors.may_record(user, project) and selectors.may_view(user, project)


def may_release(user: Any, guarantee: Guarantee) -> bool:
    if user is None or not getattr(user, "is_active", False):
        return False
    return user.can(RELEASE) and selectors.may_view(user, guarantee.project)


def _money(value: Any) -> Decimal:
    if value in (None, ""):
        return ZERO
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        raise errors.REPAY_AMOUNT.error() from None
    if not number.is_finite() or number < 0 or schedules.cents(number) != number:
        raise errors.REPAY_AMOUNT.error()
    return number


def natural_key(bank_id: int, contract_number: str, paid_on: date, amount: Decimal, reference: str) -> str:
    """The import's key of a bank row: the same row imported twice is recorded once."""
    return f"{bank_id}|{contract_number}|{paid_on.isoformat()}|{amount:.2f}|{reference.strip()}"[:200]


def _audit(event: str, actor: Any, obj: Any, guarantee: Guarantee, **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        data={"project": guarantee.project.number, **{k: (str(v) if v is not None else None) for k, v in data.items()}},
    )


def _rebalance(guarantee: Guarantee) -> None:
    balance = Loan.objects.filter(guarantee=guarantee).aggregate(total=Sum("balance"))["total"] or ZERO
    guarantee.loan_balance = balance
    guarantee.liability_balance = schedules.cents(balance * guarantee.own_share)
    guarantee.version += 1
    guarantee.save(update_fields=["loan_balance", "liability_balance", "version", "updated_at"])


def allocate(
    lines: list[ScheduleLine], principal: Decimal, interest: Decimal, paid_on: date
) -> list[tuple[ScheduleLine, Decimal, Decimal]]:
    """Apply amounts to lines in seq order (oldest due first); mutates the lines; returns the parts."""
    parts = []
    for line in sorted(lines, key=lambda x: x.seq):
        if principal <= 0 and interest <= 0:
            break
        take_i = min(max(line.interest - line.paid_interest, ZERO), interest)
        take_p = min(max(line.principal - line.paid_principal, ZERO), principal)
        if take_i == 0 and take_p == 0:
            continue
        line.paid_interest += take_i
        line.paid_principal += take_p
        interest -= take_i
        principal -= take_p
        if line.settled_on is None and line.paid_interest >= line.interest and line.paid_principal >= line.principal:
            line.settled_on = paid_on
        parts.append((line, take_p, take_i))
    return parts


def book_repayment(
    *,
    loan: Loan,
    guarantee: Guarantee,
    paid_on: date,
    principal: Decimal,
    interest: Decimal,
    penalty: Decimal,
    reference: str,
    source: str,
    actor: Any,
    key: str = "",
    natural: str = "",
) -> Repayment:
    """Write a checked repayment (the caller holds the guarantee lock); the demo step calls it too."""
    repayment = Repayment.objects.create(
        loan=loan,
        guarantee=guarantee,
        paid_on=paid_on,
        principal=principal,
        interest=interest,
        penalty=penalty,
        reference=reference,
        source=source,
        natural_key=natural,
        idempotency_key=key,
        created_by=actor,
    )
    lines = list(ScheduleLine.objects.filter(loan=loan).order_by("seq"))
    parts = allocate(lines, principal, interest, paid_on)
    RepaymentAllocation.objects.bulk_create(
        [RepaymentAllocation(repayment=repayment, line=line, principal=p, interest=i) for line, p, i in parts]
    )
    ScheduleLine.objects.bulk_update([line for line, _p, _i in parts], ["paid_principal", "paid_interest", "settled_on"])
    loan.balance = max(loan.balance - principal, ZERO)
    loan.save(update_fields=["balance"])
    return repayment


def repayment_record(
    *,
    actor: Any,
    loan: Loan,
    paid_on: Any,
    principal: Any,
    interest: Any = ZERO,
    penalty: Any = ZERO,
    reference: str = "",
    idempotency_key: str = "",
    natural: str = "",
    source: str = Repayment.Source.MANUAL,
    today: date | None = None,
    refresh: bool = True,
) -> Repayment:
    """Record one repayment of a tranche (see the module text). Bad input changes nothing."""
    from danbao.ledger.services import _date, refresh_regulatory

    today = today or timezone.localdate()
    key = (idempotency_key or "").strip()[:64]
    reference = (reference or "").strip()[:80]
    if not may_repay(actor, loan.guarantee):
        raise errors.REPAY_DENIED.error()
    with transaction.atomic():
        guarantee = Guarantee.objects.select_for_update(of=("self",)).select_related("project").get(pk=loan.guarantee_id)
        if key:
            existing = Repayment.objects.filter(idempotency_key=key).first()
            if existing is not None:
                if existing.loan_id != loan.pk:
                    raise errors.REPAY_KEY_TAKEN.error()
                return existing
        if natural:
            existing = Repayment.objects.filter(natural_key=natural).first()
            if existing is not None:
                return existing
        if guarantee.state != GuaranteeState.IN_FORCE:
            raise errors.REPAY_NOT_IN_FORCE.error(state=GuaranteeState(guarantee.state).label)
        loan = Loan.objects.get(pk=loan.pk)
        p, i, pen = _money(principal), _money(interest), _money(penalty)
        if p + i + pen <= 0:
            raise errors.REPAY_AMOUNT.error(field="principal")
        try:
            when = _date(paid_on, "paid_on")
        except DomainError:
            raise errors.REPAY_DATE.error(date=str(paid_on), loan_date=loan.loan_date.isoformat(), field="paid_on") from None
        if when < loan.loan_date or when > today:
            raise errors.REPAY_DATE.error(date=when.isoformat(), loan_date=loan.loan_date.isoformat(), field="paid_on")
        if p > loan.balance:
            raise errors.REPAY_OVER_BALANCE.error(amount=format_amount(p), balance=format_amount(loan.balance), field="principal")
        repayment = book_repayment(
            loan=loan,
            guarantee=guarantee,
            paid_on=when,
            principal=p,
            interest=i,
            penalty=pen,
            reference=reference,
            source=source,
            actor=actor,
            key=key,
            natural=natural,
        )
        _rebalance(guarantee)
        _audit(
            "ledger.repayment_recorded",
            actor,
            repayment,
            guarantee,
            contract=loan.contract_number,
            paid_on=when,
            principal=p,
            interest=i,
            penalty=pen,
            reference=reference,
            source=source,
        )
        if refresh:
            refresh_regulatory([guarantee.customer_id], today)
    return repayment


def repayment_reverse(*, actor: Any, repayment: Repayment, reason: str, today: date | None = None) -> Repayment:
    """Reverse a repayment with a reason: its allocation is taken back, balances restored; kept on file."""
    from danbao.ledger.services import refresh_regulatory

    reason = (reason or "").strip()
    if not may_repay(actor, repayment.guarantee):
        raise errors.REPAY_DENIED.error()
    if not reason:
        from danbao.ledger import errors as base

        raise base.REASON_REQUIRED.error(field="reason")
    with transaction.atomic():
        guarantee = Guarantee.objects.select_for_update(of=("self",)).select_related("project").get(pk=repayment.guarantee_id)
        repayment = Repayment.objects.select_related("loan").get(pk=repayment.pk)
        if repayment.reversed_at is not None:
            raise errors.ALREADY_REVERSED.error()
        if guarantee.state != GuaranteeState.IN_FORCE:
            raise errors.REPAY_NOT_IN_FORCE.error(state=GuaranteeState(guarantee.state).label)
        lines = []
        for part in repayment.allocations.select_related("line"):
            line = part.line
            line.paid_principal -= part.principal
            line.paid_interest -= part.interest
            if line.paid_principal < line.principal or line.paid_interest < line.interest:
                line.settled_on = None
            lines.append(line)
        ScheduleLine.objects.bulk_update(lines, ["paid_principal", "paid_interest", "settled_on"])
        loan = repayment.loan
        loan.balance = min(loan.balance + repayment.principal, loan.amount)
        loan.save(update_fields=["balance"])
        repayment.reversed_at = timezone.now()
        repayment.reversed_by = actor
        repayment.reversal_reason = reason[:500]
        repayment.save(update_fields=["reversed_at", "reversed_by", "reversal_reason"])
        _rebalance(guarantee)
        _audit("ledger.repayment_reversed", actor, repayment, guarantee, reason=reason, principal=repayment.principal)
        refresh_regulatory([guarantee.customer_id], today or timezone.localdate())
    return repayment


def guarantee_release(
    *, actor: Any, guarantee: Guarantee, released_on: Any, notice_reference: str = "", reason: str = "", today: date | None = None
) -> Guarantee:
    """Release (解保) an in-force guarantee: allowed when the loan balance is 0, or when the bank's
    notice (`notice_reference`) confirms full repayment; loan, liability and regulatory balances go
    to 0. Idempotent: releasing a released guarantee returns it unchanged."""
    from danbao.ledger.services import _date

    today = today or timezone.localdate()
    notice_reference = (notice_reference or "").strip()[:80]
    if not may_release(actor, guarantee):
        raise errors.RELEASE_DENIED.error()
    with transaction.atomic():
        guarantee = Guarantee.objects.select_for_update(of=("self",)).select_related("project").get(pk=guarantee.pk)
        if guarantee.state == GuaranteeState.RELEASED:
            return guarantee
        when = _date(released_on, "released_on")
        if when > today:
            raise errors.RELEASE_DATE.error(field="released_on")
        if guarantee.state == GuaranteeState.IN_FORCE and guarantee.loan_balance > 0 and not notice_reference:
            raise errors.RELEASE_BALANCE.error(balance=format_amount(guarantee.loan_balance))
        text = " ".join(x for x in [when.isoformat(), notice_reference, (reason or "").strip()] if x)
        lifecycle.move(guarantee, GuaranteeState.RELEASED, actor=actor, reason=text)
        Loan.objects.filter(guarantee=guarantee).update(balance=ZERO)
        guarantee.loan_balance = ZERO
        guarantee.liability_balance = ZERO
        guarantee.regulatory_balance = ZERO
        guarantee.regulatory_on = when
        guarantee.save(update_fields=["loan_balance", "liability_balance", "regulatory_balance", "regulatory_on", "updated_at"])
        _audit("ledger.guarantee_released", actor, guarantee, guarantee, released_on=when, notice=notice_reference, reason=reason)
    return guarantee
