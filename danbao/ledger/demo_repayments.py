"""Demo repayments (step 125, after the disbursements of step 120).

Every in-force demo guarantee without repayments gets the repayments its schedule asks for up to
today, paid on the due date (a few days late for every third guarantee), except:

* about 10 % stop paying at some instalment and are overdue today (every 10th guarantee; every 30th
  from an instalment more than 90 days ago, so the classification sees 次级 and worse);
* a few (every 25th) repaid the whole loan early: balance 0, ready for release (解保).

Written in bulk (repayments, allocations, line updates per guarantee) through the same allocation as
the service; idempotent: a guarantee with any repayment is skipped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from danbao.ledger import schedules
from danbao.ledger.models import Guarantee, GuaranteeState, Loan, Repayment, RepaymentAllocation, ScheduleLine
from danbao.ledger.repayments import allocate

ZERO = Decimal("0.00")


def _plan(index: int) -> str:
    if index % 25 == 7:
        return "repaid"
    if index % 30 == 3:
        return "overdue_long"
    if index % 10 == 3:
        return "overdue"
    return "current"


def _pay_loan(loan: Loan, lines: list[ScheduleLine], plan: str, late: int, today: dt.date) -> tuple[list, list]:
    """(repayments, parts) for one tranche; lines are mutated by the allocation."""
    due = [x for x in lines if x.due_date < today]
    if plan == "overdue":
        due = due[: max(len(due) - 1 - (loan.pk % 2), 0)]
    elif plan == "overdue_long":
        due = [x for x in due if x.due_date < today - dt.timedelta(days=95)][:-1] if due else []
    out = []
    for line in due:
        paid_on = min(line.due_date + dt.timedelta(days=late), today)
        out.append((paid_on, line.principal - line.paid_principal, line.interest - line.paid_interest, f"DEMO-{loan.pk}-{line.seq}"))
    if plan == "repaid":
        paid_on = max([x.due_date for x in due] + [loan.loan_date + dt.timedelta(days=20)])
        paid_on = min(paid_on, today)
        rest = sum((x.principal for x in lines), ZERO) - sum((p for _d, p, _i, _r in out), ZERO)
        if rest > 0:
            out.append((paid_on, rest, ZERO, f"DEMO-{loan.pk}-PAYOFF"))
    return out, due


@transaction.atomic
def _seed_guarantee(guarantee: Guarantee, plan: str, late: int, today: dt.date) -> int:
    count = 0
    for loan in guarantee.loans.order_by("sequence"):
        lines = list(loan.lines.order_by("seq"))
        payments, _due = _pay_loan(loan, lines, plan, late, today)
        if not payments:
            continue
        made = Repayment.objects.bulk_create(
            [
                Repayment(
                    loan=loan,
                    guarantee=guarantee,
                    paid_on=paid_on,
                    principal=p,
                    interest=i,
                    reference=ref,
                    source=Repayment.Source.DEMO,
                    natural_key=f"demo|{ref}",
                    created_by=guarantee.project.manager_a,
                )
                for paid_on, p, i, ref in payments
            ]
        )
        parts = []
        touched: dict[int, ScheduleLine] = {}
        for repayment in made:
            for line, p, i in allocate(lines, repayment.principal, repayment.interest, repayment.paid_on):
                parts.append(RepaymentAllocation(repayment=repayment, line=line, principal=p, interest=i))
                touched[line.pk] = line
        RepaymentAllocation.objects.bulk_create(parts)
        ScheduleLine.objects.bulk_update(list(touched.values()), ["paid_principal", "paid_interest", "settled_on"])
        paid = sum((r.principal for r in made), ZERO)
        Loan.objects.filter(pk=loan.pk).update(balance=max(loan.balance - paid, ZERO))
        count += len(made)
    balance = Loan.objects.filter(guarantee=guarantee).aggregate(t=Sum("balance"))["t"] or ZERO
    Guarantee.objects.filter(pk=guarantee.pk).update(loan_balance=balance, liability_balance=schedules.cents(balance * guarantee.own_share))
    return count


def seed(today: dt.date | None = None) -> str:
    from danbao.ledger.maturity import ensure_parameters
    from danbao.ledger.services import refresh_regulatory

    ensure_parameters()
    today = today or timezone.localdate()
    guarantees = list(
        Guarantee.objects.filter(state=GuaranteeState.IN_FORCE, repayments__isnull=True).select_related("project__manager_a").order_by("pk")
    )
    total = 0
    plans: dict[str, int] = {}
    for index, guarantee in enumerate(guarantees):
        plan = _plan(index)
        made = _seed_guarantee(guarantee, plan, 3 if index % 3 == 0 else 0, today)
        total += made
        plans[plan] = plans.get(plan, 0) + 1
    extended = _demo_extension(guarantees, today)
    customers = sorted({g.customer_id for g in guarantees})
    if customers:
        refresh_regulatory(customers, today)
    return f"{total} repayments for {len(guarantees)} guarantees, {extended} extension; " + ", ".join(
        f"{k}: {v}" for k, v in sorted(plans.items())
    )


def _demo_extension(guarantees: list[Guarantee], today: dt.date) -> int:
    """Publish the extension flow (LE-10) and record one approved extension (6 months) of a current
    guarantee, written directly like the rest of the demo history."""
    from danbao.ledger import extensions
    from danbao.ledger.models import Extension
    from danbao.org.models import User

    gm = User.objects.filter(username="gm", is_active=True).first()
    if gm is not None:
        extensions.flows_ensure(gm)
    candidates = [g for index, g in enumerate(guarantees) if _plan(index) == "current" and g.maturity_date > today]
    if not candidates or Extension.objects.exists():
        return 0
    guarantee = candidates[len(candidates) // 2]
    loan = guarantee.loans.order_by("sequence").first()
    manager = guarantee.project.manager_a
    if loan is None or manager is None:
        return 0
    extension = Extension.objects.create(
        guarantee=guarantee,
        loan=loan,
        number=1,
        old_maturity=loan.maturity_date,
        new_maturity=schedules.add_months(loan.maturity_date, 6),
        reason="受季节性销售回款影响，申请展期6个月",
        status=Extension.Status.APPROVED,
        decision_comment="同意",
        requested_by=manager,
        requested_at=timezone.now(),
        decided_at=timezone.now(),
    )
    extensions.extend(extension, today)
    extension.save(update_fields=["before"])
    return 1
