"""Demo disbursements (step 120, after the letters step 110).

Every approved demo project with a valid guarantee letter gets its bank loan a few days after the
letter (never in the future): repayment methods in turn (equal instalments, equal principal, interest
monthly, interest quarterly), rates between 3.45 % and 5.50 %, maturity after the approved term;
every fourth project is lent in two tranches (60 % then 40 % one to two months later, when that date
has come). Because the demo clock back-dates the projects, the loan dates spread over the past
eighteen months, so the partners' credit-line usage and the regulatory figures show a real book.
A tranche the bank's credit line could not take, or a project without an agreement in force, is left
out (the agreement page would otherwise show an overdrawn line).

Rows are written directly through `services.book_tranche` (the writes of the service without its
durable block, which seed_demo's single transaction refuses); idempotent: a project with a guarantee
is skipped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from danbao.core.events import security_event
from danbao.ledger import schedules, selectors, services
from danbao.ledger.models import Guarantee, RepaymentMethod
from danbao.projects.models import Project, ProjectState

METHODS = (RepaymentMethod.ANNUITY, RepaymentMethod.EQUAL_PRINCIPAL, RepaymentMethod.INTEREST_MONTHLY, RepaymentMethod.INTEREST_QUARTERLY)
RATES = (Decimal("0.0345"), Decimal("0.0385"), Decimal("0.0435"), Decimal("0.0475"), Decimal("0.0550"))
TWO_TRANCHES_EVERY = 4


def _tranche(contract: str, amount: Decimal, loan_date: dt.date, maturity: dt.date, rate: Decimal, method: str) -> services.Tranche:
    lines = schedules.generate(method, amount=amount, annual_rate=rate, loan_date=loan_date, maturity_date=maturity)
    return services.Tranche(contract, amount, loan_date, maturity, rate, method, lines)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


def _fits(project: Project, loan_date: dt.date, amount: Decimal) -> bool:
    agreement, usage = selectors.credit_line_for(project, loan_date)
    return agreement is not None and usage.available >= amount


@transaction.atomic
def _disburse(project: Project, letter, index: int, today: dt.date) -> int:  # type: ignore[no-untyped-def]
    approved = project.approved_amount
    months = project.approved_term_months or 12
    loan_date = min(letter.issue_date + dt.timedelta(days=3 + index % 15), today)
    maturity = schedules.add_months(loan_date, months)
    method = METHODS[index % len(METHODS)]
    rate = RATES[index % len(RATES)]
    bank = project.branch or project.bank
    prefix = f"{bank.code}-JK-{loan_date:%Y}-{project.pk:05d}"
    second_date = loan_date + dt.timedelta(days=30 + 30 * (index % 2))
    split = index % TWO_TRANCHES_EVERY == 0 and second_date <= today
    first_amount = (approved * Decimal("0.6")).quantize(schedules.CENT) if split else approved
    plan = [(f"{prefix}-1", first_amount, loan_date)]
    if split:
        plan.append((f"{prefix}-2", approved - first_amount, second_date))
    actor = project.manager_a
    written = 0
    for contract, amount, day in plan:
        due = min(schedules.add_months(day, months), maturity + dt.timedelta(days=7))
        if due <= day or not _fits(project, day, amount):
            break
        tranche = _tranche(contract, amount, day, due, rate, method)
        loan = services.book_tranche(project=project, letter=letter, tranche=tranche, actor=actor, at=_at(day))
        security_event(
            "ledger.loan_recorded",
            actor=actor,
            object_type="ledger.Loan",
            object_id=loan.pk,
            data={"project": project.number, "contract": contract, "amount": str(amount), "demo": "1"},
        )
        written += 1
    return written


def seed(today: dt.date | None = None) -> str:
    from danbao.ledger.parameters import ensure_parameters

    ensure_parameters()
    today = today or timezone.localdate()
    projects = list(
        Project.objects.filter(state=ProjectState.APPROVED, guarantee__isnull=True, approved_amount__isnull=False)
        .select_related("customer", "product_version__product", "bank", "branch", "manager_a")
        .order_by("approved_at", "pk")
    )
    tranches = 0
    customers: set[int] = set()
    for index, project in enumerate(projects):
        letter = selectors.letter_for(project)
        if letter is None or letter.issue_date > today:
            continue
        count = _disburse(project, letter, index, today)
        if count:
            tranches += count
            customers.add(project.customer_id)
    if customers:
        services.refresh_regulatory(sorted(customers), today)
    total = Guarantee.objects.count()
    return f"{tranches} tranches recorded for {len(customers)} customers; {total} guarantees in force"
