"""Every write on money: fee plans and their receivables, receipts with their allocations and
reversals, deferrals (maker-checker). Entry services check the permission and the data scope, run in
one durable transaction, lock what they change in primary-key order and write one audit event;
receivable states move only through `lifecycle.move`. The `_…` helpers run inside the caller's
transaction (the demo step calls them inside seed_demo's one transaction)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.events import security_event
from danbao.core.money import format_amount, to_money
from danbao.finance import calculations, errors, lifecycle, parameters, selectors
from danbao.finance.models import (
    Deferral,
    DeferralStatus,
    FeePlan,
    Receipt,
    ReceiptAllocation,
    ReceiptMethod,
    ReceiptState,
    Receivable,
    ReceivableKind,
    ReceivableState,
)
from danbao.projects.models import Project, ProjectTerms

VIEW, PLAN, RECORD, APPROVE = selectors.VIEW, selectors.PLAN, selectors.RECORD, selectors.APPROVE
RECEIPT_NUMBERING = "receipt"
NUMBERING_RULES = (("receipt", "收款单编号", "SK", "{YYYY}", "-", 5, "yearly"),)


# --- helpers --------------------------------------------------------------------------------------


def _require(actor: Any, code: str, project: Project | None = None) -> None:
    """The permission, and the project in the actor's data scope (finance staff see all projects)."""
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(code):
        raise errors.PERMISSION_DENIED.error()
    if project is not None and not selectors.project_visible(actor, project):
        raise errors.PERMISSION_DENIED.error()


def _audit(event: str, actor: Any, obj: Any, *, project: Project | None = None, reason: str = "", **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        reason=reason[:255],
        data={
            **({"project": project.number} if project is not None else {}),
            **{k: (str(v) if v is not None else None) for k, v in data.items()},
        },
    )


def _money(value: Any, *, allow_zero: bool = False) -> Decimal:
    """A yuan amount from user input: finite, at most two decimals, positive (or zero when allowed)."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise errors.AMOUNT_INVALID.error(field="amount") from None
    if not amount.is_finite() or amount != to_money(amount) or amount < 0 or (amount == 0 and not allow_zero):
        raise errors.AMOUNT_INVALID.error(field="amount")
    return to_money(amount)


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise errors.DATE_INVALID.error(field=field) from None


def numbering_ensure() -> int:
    """Create the receipt numbering rule when missing (idempotent)."""
    from danbao.system.models import NumberingRule
    from danbao.system.services.numbering import numbering_rule_create

    created = 0
    for code, name, prefix, pattern, separator, width, reset in NUMBERING_RULES:
        if NumberingRule.objects.filter(code=code).exists():
            continue
        numbering_rule_create(
            actor=None, code=code, name=name, prefix=prefix, date_pattern=pattern, separator=separator, sequence_width=width, reset=reset
        )
        created += 1
    return created


def _settle(receivable: Receivable, cause: str) -> None:
    lifecycle.move(receivable, lifecycle.target_state(receivable), cause=cause)
    receivable.version += 1
    receivable.save()


# --- fee plans ------------------------------------------------------------------------------------


def _item_label(kind: str, instalment: int, count: int) -> str:
    label = str(ReceivableKind(kind).label)
    return _("%(kind)s instalment %(n)s of %(count)s") % {"kind": label, "n": instalment, "count": count} if count > 1 else label


def _desired_items(project: Project, plan: FeePlan) -> list[dict[str, Any]]:
    """What the plan asks for: guarantee-fee instalments, the review fee, the margin deposit."""
    payer = project.customer.name
    instalments = calculations.compute_fee_instalments(
        plan.amount,
        plan.fee_rate,
        plan.term_months,
        plan.fee_basis,
        plan.issue_date,
        int(parameters.value(parameters.LATER_DUE_OFFSET, plan.issue_date)),
    )
    count = len(instalments)
    rate = f"{plan.fee_rate * 100:.4f}".rstrip("0").rstrip(".") + "%"
    items: list[dict[str, Any]] = []
    for part in instalments:
        if plan.fee_basis == calculations.ONE_OFF:
            basis = _("%(amount)s yuan × one-off rate %(rate)s for the whole term of %(term)s months") % {
                "amount": format_amount(plan.amount),
                "rate": rate,
                "term": plan.term_months,
            }
        else:
            basis = _("%(amount)s yuan × annual rate %(rate)s × %(months)s/12 months (%(start)s to %(end)s)") % {
                "amount": format_amount(plan.amount),
                "rate": rate,
                "months": part.months,
                "start": part.period_start.isoformat(),
                "end": part.period_end.isoformat(),
            }
        items.append(
            dict(
                kind=ReceivableKind.GUARANTEE_FEE,
                instalment=part.number,
                amount=part.amount,
                due_date=part.due_date,
                period_start=part.period_start,
                period_end=part.period_end,
                basis=basis,
                payer=payer,
                label=_item_label(ReceivableKind.GUARANTEE_FEE, part.number, count),
            )
        )
    if plan.review_fee_amount > 0:
        items.append(
            dict(
                kind=ReceivableKind.REVIEW_FEE,
                instalment=1,
                amount=plan.review_fee_amount,
                due_date=plan.issue_date,
                period_start=None,
                period_end=None,
                basis=_("Review fee of the product version %(version)s") % {"version": project.product_version},
                payer=payer,
                label=str(ReceivableKind.REVIEW_FEE.label),
            )
        )
    if plan.margin_amount > 0:
        items.append(
            dict(
                kind=ReceivableKind.MARGIN,
                instalment=1,
                amount=plan.margin_amount,
                due_date=plan.issue_date,
                period_start=None,
                period_end=None,
                basis=_("%(amount)s yuan × margin ratio %(ratio)s; refundable at release")
                % {
                    "amount": format_amount(plan.amount),
                    "ratio": f"{plan.margin_ratio * 100:.2f}%",
                },
                payer=payer,
                label=str(ReceivableKind.MARGIN.label),
            )
        )
    return items


def _cap_warnings(project: Project, plan: FeePlan) -> tuple[Decimal | None, list[str]]:
    version = project.product_version
    on = plan.issue_date
    cap = calculations.fee_cap_for(
        amount=plan.amount,
        is_policy=version.is_policy,
        is_agri_policy=version.is_agri_policy,
        band=Decimal(parameters.value(parameters.CAP_BAND, on)),
        cap_le=Decimal(parameters.value(parameters.CAP_LE, on)),
        cap_gt=Decimal(parameters.value(parameters.CAP_GT, on)),
        nongdan_cap=Decimal(parameters.value(parameters.NONGDAN_CAP, on)),
    )
    warnings: list[str] = []
    if cap is not None and plan.annualised_rate > cap:
        warnings.append(
            _(
                "The annualised fee rate %(rate)s exceeds the policy cap of %(cap)s for this product and amount "
                "(国办发〔2019〕6号 / 财农〔2020〕15号); check the approval before collecting."
            )
            % {"rate": f"{plan.annualised_rate * 100:.4f}".rstrip("0").rstrip(".") + "%", "cap": f"{cap * 100:.2f}%"}
        )
    return cap, warnings


def _current_terms(project: Project) -> ProjectTerms | None:
    return project.terms.filter(effective_at__isnull=False).order_by("-sequence").first()


def _plan(actor: Any, project: Project, issue_date: dt.date | None) -> FeePlan:
    """Inside a transaction: the current plan for the effective terms, created (or re-planned) once."""
    project = Project.objects.select_for_update(of=("self",)).select_related("customer", "product_version").get(pk=project.pk)
    terms = _current_terms(project)
    if terms is None:
        raise errors.NOT_APPROVED.error(number=project.number)
    current = FeePlan.objects.select_for_update(of=("self",)).filter(project=project, is_current=True).first()
    if current is not None and current.terms_id == terms.pk:
        return current  # idempotent: this set of terms is already planned
    parameters.ensure_parameters()
    version = project.product_version
    issue_date = issue_date or (current.issue_date if current else timezone.localdate())
    basis = version.fee_basis
    plan = FeePlan(
        project=project,
        terms=terms,
        sequence=(current.sequence + 1) if current else 1,
        fee_basis=basis,
        amount=terms.amount,
        term_months=terms.term_months,
        fee_rate=terms.fee_rate,
        annualised_rate=calculations.compute_annualised_rate(terms.fee_rate, terms.term_months, basis),
        guarantee_fee_amount=calculations.compute_guarantee_fee_total(terms.amount, terms.fee_rate, terms.term_months, basis),
        review_fee_amount=to_money(version.review_fee_amount or 0),
        margin_ratio=version.margin_ratio or Decimal(0),
        margin_amount=calculations.compute_margin(terms.amount, version.margin_ratio or Decimal(0)),
        issue_date=issue_date,
        created_by=actor,
    )
    plan.cap_rate, plan.warnings = _cap_warnings(project, plan)
    if current is not None:
        current.is_current = False
        current.superseded_at = timezone.now()
        current.save(update_fields=["is_current", "superseded_at"])
    plan.save()
    existing = list(Receivable.objects.select_for_update(of=("self",)).filter(project=project, plan__isnull=False).order_by("pk"))
    # Money already received for the same item (any earlier plan, cancelled or not) is credited.
    credited: dict[tuple[str, int], Decimal] = {}
    for row in existing:
        key = (row.kind, row.instalment)
        credited[key] = credited.get(key, Decimal("0.00")) + row.paid_amount
    reason = _("Re-planned: approved terms version %(n)s") % {"n": terms.sequence}
    for row in existing:
        if row.state in lifecycle.OPEN_STATES:
            lifecycle.move(row, ReceivableState.CANCELLED, cause=lifecycle.REPLAN)
            row.cancel_reason = reason
            row.version += 1
            row.save()
    created = 0
    for item in _desired_items(project, plan):
        paid = credited.get((item["kind"], item["instalment"]), Decimal("0.00"))
        amount = item["amount"] - paid
        basis = item["basis"]
        if paid > 0:
            basis += _("; %(paid)s yuan already received for this item is credited") % {"paid": format_amount(paid)}
        if amount < 0:
            plan.warnings.append(
                _("%(item)s: %(over)s yuan more was received than the new terms ask for; it is to be refunded.")
                % {"item": item["label"], "over": format_amount(-amount)}
            )
            continue
        if amount == 0:
            continue
        receivable = Receivable(
            project=project,
            plan=plan,
            kind=item["kind"],
            payer_name=item["payer"],
            amount=amount,
            due_date=item["due_date"],
            instalment=item["instalment"],
            period_start=item["period_start"],
            period_end=item["period_end"],
            basis=basis[:500],
            created_by=actor,
        )
        receivable.full_clean(exclude=["project", "plan", "created_by"])
        receivable.save()
        created += 1
    plan.explanation = selectors.plan_rule_text(plan)
    plan.save(update_fields=["warnings", "explanation", "cap_rate"])
    _audit(
        "finance.plan_created" if current is None else "finance.plan_replanned",
        actor,
        plan,
        project=project,
        terms=terms.sequence,
        total=plan.guarantee_fee_amount,
        receivables=created,
    )
    return plan


def fee_schedule_create(*, actor: Any, project: Project, issue_date: dt.date | None = None) -> FeePlan:
    """Plan the fees of the project's effective terms: once per terms version (repeating does nothing);
    after an approved change, open receivables are cancelled and re-planned, history kept."""
    _require(actor, PLAN, project)
    if issue_date is not None:
        issue_date = _date(issue_date, "issue_date")
    with transaction.atomic(durable=True):
        return _plan(actor, project, issue_date)


# --- receipts -------------------------------------------------------------------------------------


def _digest(
    project: Project, amount: Decimal, received_on: dt.date, method: str, payer: str, allocations: list[tuple[int, Decimal]]
) -> str:
    payload = {
        "project": project.pk,
        "amount": str(amount),
        "received_on": received_on.isoformat(),
        "method": method,
        "payer": payer,
        "allocations": [[pk, str(x)] for pk, x in sorted(allocations)],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _same_request(existing: Receipt, digest: str) -> Receipt:
    if existing.request_digest != digest:
        raise errors.KEY_REUSED.error(number=existing.number)
    return existing


def _clean_allocations(allocations: Iterable[tuple[Any, Any]] | dict[Any, Any]) -> list[tuple[int, Decimal]]:
    pairs = allocations.items() if isinstance(allocations, dict) else allocations
    clean: dict[int, Decimal] = {}
    for receivable, amount in pairs:
        if amount in (None, ""):
            continue
        value = _money(amount, allow_zero=True)
        if value == 0:
            continue
        pk = receivable.pk if isinstance(receivable, Receivable) else int(receivable)
        clean[pk] = clean.get(pk, Decimal("0.00")) + value
    if not clean:
        raise errors.ALLOCATION_EMPTY.error(field="allocations")
    return sorted(clean.items())


def _record(
    actor: Any,
    project: Project,
    amount: Decimal,
    received_on: dt.date,
    method: str,
    payer: str,
    reference: str,
    key: str,
    allocations: list[tuple[int, Decimal]],
    digest: str,
    note: str,
) -> Receipt:
    """Inside a transaction: lock the receivables (pk order), re-check the key, allocate, number, save."""
    rows = {
        r.pk: r for r in Receivable.objects.select_for_update(of=("self",)).filter(pk__in=[pk for pk, _x in allocations]).order_by("pk")
    }
    existing = Receipt.objects.filter(idempotency_key=key).first()
    if existing is not None:  # a concurrent twin committed while we waited for the locks
        return _same_request(existing, digest)
    total = sum((x for _pk, x in allocations), Decimal("0.00"))
    if total > amount:
        raise errors.ALLOCATION_OVER_RECEIPT.error(field="allocations", total=format_amount(total), amount=format_amount(amount))
    for pk, part in allocations:
        row = rows.get(pk)
        if row is None or row.project_id != project.pk:
            raise errors.ALLOCATION_FOREIGN.error(field="allocations")
        label = selectors.receivable_label(row)
        if row.state not in lifecycle.OPEN_STATES:
            raise errors.ALLOCATION_CLOSED.error(field="allocations", item=label, state=ReceivableState(row.state).label)
        if part > row.outstanding:
            raise errors.ALLOCATION_OVER_RECEIVABLE.error(
                field="allocations", item=label, outstanding=format_amount(row.outstanding), amount=format_amount(part)
            )
    numbering_ensure()
    from danbao.system.services.numbering import number_next

    receipt = Receipt(
        number=number_next(RECEIPT_NUMBERING, received_on),
        project=project,
        amount=amount,
        received_on=received_on,
        method=method,
        payer=payer,
        reference=reference,
        note=note,
        idempotency_key=key,
        request_digest=digest,
        created_by=actor,
    )
    receipt.full_clean(exclude=["project", "created_by", "reversed_by"])
    receipt.save()
    for pk, part in allocations:
        row = rows[pk]
        ReceiptAllocation.objects.create(receipt=receipt, receivable=row, amount=part)
        row.paid_amount += part
        _settle(row, lifecycle.RECEIPT)
    _audit(
        "finance.receipt_recorded",
        actor,
        receipt,
        project=project,
        number=receipt.number,
        amount=amount,
        allocated=total,
        reference=reference,
    )
    return receipt


def receipt_record(
    *,
    actor: Any,
    project: Project,
    amount: Any,
    received_on: Any,
    method: str,
    payer: str,
    reference: str = "",
    idempotency_key: str,
    allocations: Iterable[tuple[Any, Any]] | dict[Any, Any],
    note: str = "",
) -> Receipt:
    """Record money received and allocate it to the project's receivables. The same idempotency key
    with the same content returns the first receipt and records nothing again."""
    _require(actor, RECORD, project)
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise errors.KEY_REQUIRED.error()
    value = _money(amount)
    on = _date(received_on, "received_on")
    if on > timezone.localdate():
        raise errors.DATE_IN_FUTURE.error(field="received_on")
    if method not in ReceiptMethod.values:
        raise errors.METHOD_INVALID.error(field="method")
    payer = (payer or "").strip()[:200]
    if not payer:
        raise errors.PAYER_REQUIRED.error(field="payer")
    pairs = _clean_allocations(allocations)
    digest = _digest(project, value, on, method, payer, pairs)
    existing = Receipt.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_request(existing, digest)
    try:
        with transaction.atomic(durable=True):
            return _record(
                actor, project, value, on, method, payer, (reference or "").strip()[:100], key, pairs, digest, (note or "").strip()[:500]
            )
    except IntegrityError:
        # Two submissions raced past the first check: the unique key let one in; answer with it.
        existing = Receipt.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_request(existing, digest)


def _restore(row: Receivable, part: Decimal, actor: Any, receipt: Receipt) -> None:
    """A reversal on a cancelled (re-planned) receivable: the credited money is owed again on the
    current plan's item of the same kind and instalment (or on a new receivable)."""
    row.paid_amount -= part
    row.version += 1
    row.save()
    target = (
        Receivable.objects.select_for_update(of=("self",))
        .filter(project_id=row.project_id, plan__is_current=True, kind=row.kind, instalment=row.instalment, state__in=lifecycle.OPEN_STATES)
        .order_by("pk")
        .first()
    )
    if target is not None:
        target.amount += part
        _settle(target, lifecycle.REVERSAL)
        return
    plan = FeePlan.objects.filter(project_id=row.project_id, is_current=True).first()
    Receivable.objects.create(
        project_id=row.project_id,
        plan=plan,
        kind=row.kind,
        payer_name=row.payer_name,
        amount=part,
        due_date=timezone.localdate(),
        instalment=row.instalment,
        period_start=row.period_start,
        period_end=row.period_end,
        basis=(_("Owed again after receipt %(number)s was reversed") % {"number": receipt.number})[:500],
        created_by=actor,
    )


def receipt_reverse(*, actor: Any, receipt: Receipt, reason: str) -> Receipt:
    """Reverse a wrong receipt (冲销) with a reason: its allocations stop counting, nothing is deleted."""
    _require(actor, RECORD, receipt.project)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    with transaction.atomic(durable=True):
        receipt = Receipt.objects.select_for_update(of=("self",)).get(pk=receipt.pk)
        if receipt.state == ReceiptState.REVERSED:
            raise errors.ALREADY_REVERSED.error(number=receipt.number)
        allocations = list(receipt.allocations.filter(is_active=True).order_by("receivable_id"))
        rows = {
            r.pk: r
            for r in Receivable.objects.select_for_update(of=("self",)).filter(pk__in=[a.receivable_id for a in allocations]).order_by("pk")
        }
        for allocation in allocations:
            row = rows[allocation.receivable_id]
            allocation.is_active = False
            allocation.save(update_fields=["is_active"])
            if row.state == ReceivableState.CANCELLED:
                _restore(row, allocation.amount, actor, receipt)
                continue
            row.paid_amount -= allocation.amount
            _settle(row, lifecycle.REVERSAL)
        receipt.state = ReceiptState.REVERSED
        receipt.reversed_by = actor
        receipt.reversed_at = timezone.now()
        receipt.reverse_reason = reason[:500]
        receipt.save(update_fields=["state", "reversed_by", "reversed_at", "reverse_reason"])
        _audit(
            "finance.receipt_reversed", actor, receipt, project=receipt.project, reason=reason, number=receipt.number, amount=receipt.amount
        )
    return receipt


# --- deferrals (maker-checker) --------------------------------------------------------------------


def _request_deferral(actor: Any, receivable: Receivable, until: dt.date, reason: str) -> Deferral:
    receivable = Receivable.objects.select_for_update(of=("self",)).select_related("project").get(pk=receivable.pk)
    if receivable.state not in lifecycle.OPEN_STATES:
        raise errors.DEFERRAL_CLOSED.error(state=ReceivableState(receivable.state).label)
    after = max(receivable.due_date, receivable.deferred_until or receivable.due_date)
    if until <= after:
        raise errors.DEFERRAL_DATE.error(field="until", due=after.isoformat())
    if Deferral.objects.filter(receivable=receivable, status=DeferralStatus.PENDING).exists():
        raise errors.DEFERRAL_PENDING.error()
    deferral = Deferral.objects.create(receivable=receivable, until=until, reason=reason[:500], requested_by=actor)
    _audit("finance.deferral_requested", actor, deferral, project=receivable.project, reason=reason, until=until)
    return deferral


def deferral_request(*, actor: Any, receivable: Receivable, until: Any, reason: str) -> Deferral:
    """Ask to defer an open receivable until a later date; another person with the approve permission decides."""
    _require(actor, PLAN, receivable.project)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    until = _date(until, "until")
    try:
        with transaction.atomic(durable=True):
            return _request_deferral(actor, receivable, until, reason)
    except IntegrityError:
        raise errors.DEFERRAL_PENDING.error() from None


def _decide(actor: Any, deferral: Deferral, approve: bool, comment: str) -> Deferral:
    deferral = Deferral.objects.select_for_update(of=("self",)).get(pk=deferral.pk)
    if deferral.status != DeferralStatus.PENDING:
        raise errors.DEFERRAL_DECIDED.error(status=DeferralStatus(deferral.status).label)
    if actor.pk == deferral.requested_by_id:
        raise errors.SAME_PERSON.error()
    receivable = Receivable.objects.select_for_update(of=("self",)).select_related("project").get(pk=deferral.receivable_id)
    if approve:
        if receivable.state not in lifecycle.OPEN_STATES:
            raise errors.DEFERRAL_CLOSED.error(state=ReceivableState(receivable.state).label)
        receivable.deferred_until = deferral.until
        _settle(receivable, lifecycle.DEFERRAL)
    deferral.status = DeferralStatus.APPROVED if approve else DeferralStatus.REJECTED
    deferral.decided_by = actor
    deferral.decided_at = timezone.now()
    deferral.comment = comment[:500]
    deferral.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    _audit(
        "finance.deferral_approved" if approve else "finance.deferral_rejected",
        actor,
        deferral,
        project=receivable.project,
        reason=comment,
        until=deferral.until,
    )
    return deferral


def deferral_decide(*, actor: Any, deferral: Deferral, approve: bool, comment: str = "") -> Deferral:
    """Approve or refuse a deferral: someone other than the requester, holding the approve permission."""
    _require(actor, APPROVE, deferral.receivable.project)
    comment = (comment or "").strip()
    if actor.pk == deferral.requested_by_id:
        raise errors.SAME_PERSON.error()
    if not approve and not comment:
        raise errors.COMMENT_REQUIRED.error(field="comment")
    with transaction.atomic(durable=True):
        return _decide(actor, deferral, approve, comment)
