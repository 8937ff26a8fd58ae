"""Every write of the ledger: recording a bank disbursement (放款), which creates or adds to the
in-force guarantee. One durable transaction with the project row locked, one audit event per tranche
(and one when the guarantee comes into force); bad input changes nothing.

The bank portal (a later issue) calls the same `disbursement_record`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from danbao.core.events import security_event
from danbao.core.money import format_amount
from danbao.ledger import book, errors, imports, lifecycle, schedules, selectors
from danbao.ledger.models import Guarantee, GuaranteeState, Loan, RepaymentMethod, ScheduleLine
from danbao.projects.models import Project, ProjectState

ZERO = Decimal(0)
MAX_AMOUNT = Decimal("100000000000")


@dataclass(frozen=True)
class Tranche:
    """A checked disbursement, ready to be written."""

    contract_number: str
    amount: Decimal
    loan_date: date
    maturity_date: date
    interest_rate: Decimal
    method: str
    lines: list[schedules.Line]


def _decimal(value: Any, error: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        raise error.error(field=field) from None
    if not number.is_finite():
        raise error.error(field=field)
    return number


def _date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise errors.DATES_INVALID.error(field=field) from None


def schedule_for(
    *,
    amount: Any,
    loan_date: Any,
    maturity_date: Any,
    interest_rate: Any,
    repayment_method: str,
    custom_lines: Sequence[schedules.RawLine] | None = None,
) -> Tranche:
    """Check the loan terms and build its schedule (no database): the preview and the service share it.

    `interest_rate` is the annual rate as a fraction (0.0435 = 4.35 %)."""
    amount = _decimal(amount, errors.AMOUNT_INVALID, "amount")
    if amount <= 0 or amount > MAX_AMOUNT or schedules.cents(amount) != amount:
        raise errors.AMOUNT_INVALID.error(field="amount")
    rate = _decimal(interest_rate, errors.RATE_INVALID, "interest_rate")
    if rate < 0 or rate >= 1:
        raise errors.RATE_INVALID.error(field="interest_rate")
    loan_date, maturity_date = _date(loan_date, "loan_date"), _date(maturity_date, "maturity_date")
    if maturity_date <= loan_date:
        raise errors.DATES_INVALID.error(field="maturity_date")
    if repayment_method not in RepaymentMethod.values:
        raise errors.METHOD_INVALID.error(field="repayment_method")
    try:
        if repayment_method == RepaymentMethod.CUSTOM:
            if not custom_lines:
                raise errors.CUSTOM_REQUIRED.error(field="schedule_file")
            lines = schedules.check_custom(custom_lines, amount=amount, loan_date=loan_date, maturity_date=maturity_date)
        else:
            lines = schedules.generate(repayment_method, amount=amount, annual_rate=rate, loan_date=loan_date, maturity_date=maturity_date)
    except schedules.ScheduleError as exc:
        field = "schedule_file" if repayment_method == RepaymentMethod.CUSTOM else None
        raise errors.SCHEDULE.error(problem=imports.problem_text(exc), field=field) from None
    return Tranche("", amount, loan_date, maturity_date, rate, repayment_method, lines)


def _audit(event: str, actor: Any, obj: Any, project: Project, **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        data={"project": project.number, **{k: (str(v) if v is not None else None) for k, v in data.items()}},
    )


def _existing(project: Project, bank_id: int, contract_number: str, key: str) -> Loan | None:
    """The tranche this submission already recorded (same key, or same bank + contract number)."""
    if key:
        loan = Loan.objects.select_related("guarantee__project").filter(idempotency_key=key).first()
        if loan is not None:
            if loan.guarantee.project_id != project.pk:
                raise errors.KEY_TAKEN.error()
            return loan
    loan = Loan.objects.select_related("guarantee__project", "bank").filter(bank_id=bank_id, contract_number=contract_number).first()
    if loan is not None:
        if loan.guarantee.project_id != project.pk:
            raise errors.CONTRACT_TAKEN.error(
                contract=contract_number, bank=loan.bank.name, number=loan.guarantee.project.number, field="loan_contract_number"
            )
        return loan
    return None


def refresh_regulatory(customer_ids: Sequence[int], on: date) -> None:
    """Recompute the weighted regulatory liability (计量办法, regulation.md §2.2) of the customers'
    in-force guarantees on `on` with the regulatory app's formulas and dated weights; the 单户
    threshold is tested on the customer's whole book, so every guarantee of the customer is redone.
    Without the regulatory parameters the figure stays empty (the metrics page says why)."""
    from danbao.core.errors import DomainError
    from danbao.regulatory.calculations import compute_liability_table
    from danbao.regulatory.params import load_weights

    try:
        params = load_weights(on)
    except DomainError:
        return
    table = compute_liability_table(book.exposures_on(on, customer_ids=customer_ids), params)
    by_key = {item.exposure.key: item for item in table.items}
    for guarantee in Guarantee.objects.filter(customer_id__in=customer_ids, state=GuaranteeState.IN_FORCE):
        item = by_key.get(f"guarantee:{guarantee.pk}")
        guarantee.regulatory_balance = schedules.cents(item.liability) if item else None
        guarantee.regulatory_bucket = item.bucket if item else ""
        guarantee.regulatory_on = on
        guarantee.save(update_fields=["regulatory_balance", "regulatory_bucket", "regulatory_on", "updated_at"])


def book_tranche(
    *, project: Project, letter: Any, tranche: Tranche, actor: Any, idempotency_key: str = "", evaluation: Any = None, at: Any = None
) -> Loan:
    """Write a checked tranche: the guarantee (created on the first loan, else added to), the loan,
    its schedule, balances and shares. No checks here: `disbursement_record` checks, the demo step
    writes history directly. The caller holds the project lock inside its transaction."""
    when = at or timezone.now()
    guarantee = Guarantee.objects.select_for_update(of=("self",)).filter(project=project).first()
    bank = project.branch or project.bank
    created = guarantee is None
    if created:
        shares = selectors.shares_for(project, tranche.loan_date)
        if shares.own < 0:
            raise errors.SHARES_INVALID.error(
                bank=f"{shares.bank:.2%}", reguarantor=f"{shares.reguarantor:.2%}", fund=f"{shares.fund:.2%}", pool=f"{shares.gov_pool:.2%}"
            )
        guarantee = Guarantee(
            project=project,
            customer_id=project.customer_id,
            bank_id=project.bank_id,
            branch_id=project.branch_id,
            product_version_id=project.product_version_id,
            letter=letter,
            agreement=shares.agreement,
            approved_amount=project.approved_amount,
            guaranteed_amount=ZERO,
            bank_share=shares.bank,
            bank_share_source=shares.bank_source,
            reguarantor_share=shares.reguarantor,
            fund_share=shares.fund,
            gov_pool_share=shares.gov_pool,
            own_share=shares.own,
            loan_balance=ZERO,
            liability_balance=ZERO,
            start_date=tranche.loan_date,
            maturity_date=tranche.maturity_date,
            created_by=actor,
        )
    guarantee.letter = letter
    guarantee.approved_amount = project.approved_amount
    guarantee.guaranteed_amount += tranche.amount
    guarantee.start_date = min(guarantee.start_date, tranche.loan_date)
    guarantee.maturity_date = max(guarantee.maturity_date, tranche.maturity_date)
    if not created:
        guarantee.version += 1
    guarantee.save()
    if created:
        lifecycle.enter(guarantee, actor=actor, at=when)
    sequence = (Loan.objects.filter(guarantee=guarantee).aggregate(m=Max("sequence"))["m"] or 0) + 1
    loan = Loan.objects.create(
        guarantee=guarantee,
        sequence=sequence,
        bank=bank,
        contract_number=tranche.contract_number,
        amount=tranche.amount,
        balance=tranche.amount,
        loan_date=tranche.loan_date,
        maturity_date=tranche.maturity_date,
        interest_rate=tranche.interest_rate,
        repayment_method=tranche.method,
        idempotency_key=idempotency_key,
        evaluation=evaluation,
        created_by=actor,
    )
    if at is not None:
        Loan.objects.filter(pk=loan.pk).update(created_at=at)
        loan.created_at = at
    ScheduleLine.objects.bulk_create(
        [
            ScheduleLine(
                loan=loan, seq=x.seq, due_date=x.due_date, principal=x.principal, interest=x.interest, balance_after=x.balance_after
            )
            for x in tranche.lines
        ]
    )
    balance = Loan.objects.filter(guarantee=guarantee).aggregate(total=Sum("balance"))["total"] or ZERO
    guarantee.loan_balance = balance
    guarantee.liability_balance = schedules.cents(balance * guarantee.own_share)
    guarantee.save(update_fields=["loan_balance", "liability_balance", "updated_at"])
    return loan


def disbursement_record(
    *,
    actor: Any,
    project: Project,
    loan_contract_number: str,
    amount: Any,
    loan_date: Any,
    maturity_date: Any,
    interest_rate: Any,
    repayment_method: str,
    custom_lines: Sequence[schedules.RawLine] | None = None,
    idempotency_key: str = "",
    today: date | None = None,
) -> Loan:
    """Record one bank disbursement under the project's approval and put the guarantee in force.

    Refuses (DomainError, nothing written) unless: the actor may record for this project; the project
    is approved and has a valid guarantee letter issued on or before the loan date; the loan date is
    not in the future; amount > 0 and all tranches stay within the approved amount; the maturity is
    within the approved term from the first loan date (plus the tolerance parameter); the schedule is
    valid; the bank's agreement in force has the credit line available; the pre-disbursement rules
    do not block. Idempotent: the same `idempotency_key`, or the same bank and loan contract number
    for this project, returns the tranche already recorded and writes nothing."""
    today = today or timezone.localdate()
    if not selectors.may_record(actor, project):
        raise errors.PERMISSION_DENIED.error()
    contract_number = (loan_contract_number or "").strip()[:60]
    if not contract_number:
        raise errors.CONTRACT_REQUIRED.error(field="loan_contract_number")
    key = (idempotency_key or "").strip()[:64]
    with transaction.atomic(durable=True):
        project = (
            Project.objects.select_for_update(of=("self",))
            .select_related("customer", "product_version__product", "bank", "branch")
            .get(pk=project.pk)
        )
        if not selectors.may_record(actor, project):
            raise errors.PERMISSION_DENIED.error()
        existing = _existing(project, (project.branch or project.bank).pk, contract_number, key)
        if existing is not None:
            return existing
        tranche = schedule_for(
            amount=amount,
            loan_date=loan_date,
            maturity_date=maturity_date,
            interest_rate=interest_rate,
            repayment_method=repayment_method,
            custom_lines=custom_lines,
        )
        tranche = Tranche(
            contract_number, *[getattr(tranche, f) for f in ("amount", "loan_date", "maturity_date", "interest_rate", "method", "lines")]
        )
        evaluation = _check(actor, project, tranche, today)
        letter = selectors.letter_for(project)
        loan = book_tranche(project=project, letter=letter, tranche=tranche, actor=actor, idempotency_key=key, evaluation=evaluation)
        guarantee = loan.guarantee
        if loan.sequence == 1:
            _audit("ledger.guarantee_in_force", actor, guarantee, project, own_share=guarantee.own_share, bank_share=guarantee.bank_share)
        _audit(
            "ledger.loan_recorded",
            actor,
            loan,
            project,
            contract=loan.contract_number,
            tranche=loan.sequence,
            amount=loan.amount,
            loan_date=loan.loan_date,
            maturity=loan.maturity_date,
            method=loan.repayment_method,
        )
        refresh_regulatory([project.customer_id], max(today, tranche.loan_date))
        loan.guarantee.refresh_from_db()
    return loan


def _check(actor: Any, project: Project, tranche: Tranche, today: date) -> Any:
    """The business checks of a disbursement (project locked); returns the rules evaluation."""
    if project.state != ProjectState.APPROVED:
        raise errors.PROJECT_NOT_APPROVED.error(number=project.number, state=ProjectState(project.state).label)
    letter = selectors.letter_for(project)
    if letter is None:
        raise errors.NO_LETTER.error(number=project.number)
    if tranche.loan_date > today:
        raise errors.LOAN_DATE_FUTURE.error(date=tranche.loan_date.isoformat(), field="loan_date")
    if tranche.loan_date < letter.issue_date:
        raise errors.LOAN_BEFORE_LETTER.error(date=tranche.loan_date.isoformat(), issued=letter.issue_date.isoformat(), field="loan_date")
    guarantee = selectors.guarantee_of(project)
    if guarantee is not None and guarantee.state != GuaranteeState.IN_FORCE:
        raise errors.NOT_IN_FORCE.error(number=project.number, state=GuaranteeState(guarantee.state).label)
    approved = project.approved_amount or ZERO
    lent = selectors.lent_amount(project)
    if lent + tranche.amount > approved:
        raise errors.OVER_APPROVAL.error(
            approved=format_amount(approved),
            lent=format_amount(lent),
            remaining=format_amount(max(approved - lent, ZERO)),
            amount=format_amount(tranche.amount),
            field="amount",
        )
    first = min(filter(None, [selectors.first_loan_date(project), tranche.loan_date]))
    latest = selectors.latest_maturity(project, first)
    if latest is not None and tranche.maturity_date > latest:
        raise errors.TERM_EXCEEDED.error(
            maturity=tranche.maturity_date.isoformat(),
            months=project.approved_term_months,
            first=first.isoformat(),
            latest=latest.isoformat(),
            field="maturity_date",
        )
    if guarantee is None and selectors.shares_for(project, tranche.loan_date).own < 0:
        shares = selectors.shares_for(project, tranche.loan_date)
        raise errors.SHARES_INVALID.error(
            bank=f"{shares.bank:.2%}", reguarantor=f"{shares.reguarantor:.2%}", fund=f"{shares.fund:.2%}", pool=f"{shares.gov_pool:.2%}"
        )
    agreement, usage = selectors.credit_line_for(project, tranche.loan_date)
    lending_bank = project.branch or project.bank
    if agreement is None:
        raise errors.NO_AGREEMENT.error(bank=lending_bank.name, date=tranche.loan_date.isoformat())
    if usage.available < tranche.amount:
        raise errors.CREDIT_LINE.error(
            agreement=agreement.number,
            limit=format_amount(usage.limit),
            used=format_amount(usage.used),
            available=format_amount(usage.available),
            amount=format_amount(tranche.amount),
            field="amount",
        )
    return _rules(actor, project, tranche, today)


def _rules(actor: Any, project: Project, tranche: Tranche, today: date) -> Any:
    """The pre-disbursement rules on the guarantee as it will stand: amount = what is already lent
    plus this tranche (product limits and single caps are about the guarantee), and the exposure
    replaces the guarantee's own entry in the book (the credit-line rule then counts it once)."""
    import dataclasses

    from danbao.projects.selectors import exposure_of
    from danbao.rules.inputs import RuleInput
    from danbao.rules.models import Stage
    from danbao.rules.services import rules_evaluate

    total = selectors.lent_amount(project) + tranche.amount
    exposure = exposure_of(project, total)
    guarantee = selectors.guarantee_of(project)
    if guarantee is not None:
        exposure = dataclasses.replace(exposure, key=f"guarantee:{guarantee.pk}")
    rule_input = RuleInput(
        stage=Stage.PRE_DISBURSEMENT,
        on=today,
        amount=total,
        term_months=project.approved_term_months,
        fee_rate=project.approved_fee_rate,
        product_version=project.product_version,
        customer=project.customer,
        bank_code=(project.branch or project.bank).code,
        exposure=exposure,
    )
    result = rules_evaluate(subject=project, rule_input=rule_input, actor=actor)
    if result.blocked:
        raise errors.RULES_BLOCKED.error(reasons="；".join(h["reason_zh"] for h in result.blocking))
    return result.evaluation
