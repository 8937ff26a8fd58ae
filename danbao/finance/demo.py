"""Demo fees (step 104, after projects 90 and diligence 95): a fee schedule for every approved demo
project, receipts for most of them. Of the approved projects (in id order) the first has a deferral
waiting for a decision, the next two an approved deferral of the guarantee fee (the review fee and
margin paid), two are partly paid, two have received
nothing yet (they show as overdue), and the rest (about 95 %) have paid everything due before issue.

Runs the services' inner helpers inside seed_demo's one transaction (the entry services open durable
transactions, which an enclosing transaction refuses). Idempotent: a project with a fee plan is left
alone; receipts carry fixed idempotency keys."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from danbao.core.money import to_money
from danbao.finance import parameters, services
from danbao.finance.models import FeePlan, ReceiptMethod, ReceivableKind
from danbao.org.models import User
from danbao.projects.demo import DEMO_NOTE
from danbao.projects.models import Project, ProjectState


def _issue_date(project: Project, today: dt.date) -> dt.date:
    approved = timezone.localtime(project.approved_at).date() if project.approved_at else today
    return min(approved + dt.timedelta(days=20), today)


def _pay(actor: User, project: Project, plan: FeePlan, *, share: Decimal, suffix: str, fee: bool = True) -> None:
    """Record one bank transfer paying `share` of everything due before issue (without the guarantee fee: `fee=False`)."""
    rows = [
        r
        for r in plan.receivables.all()
        if (r.kind == ReceivableKind.GUARANTEE_FEE and r.instalment == 1 and fee) or r.kind != ReceivableKind.GUARANTEE_FEE
    ]
    pairs = [(r.pk, to_money(r.outstanding * share)) for r in rows if r.outstanding > 0]
    pairs = [(pk, x) for pk, x in pairs if x > 0]
    if not pairs:
        return
    amount = sum((x for _pk, x in pairs), Decimal("0.00"))
    on = min(plan.issue_date, timezone.localdate())
    payer = project.customer.name
    key = f"demo-{project.number}-{suffix}"
    digest = services._digest(project, amount, on, ReceiptMethod.BANK_TRANSFER, payer, pairs)
    services._record(
        actor, project, amount, on, ReceiptMethod.BANK_TRANSFER, payer, f"DEMO{project.pk:06d}{suffix}", key, pairs, digest, "演示数据"
    )


@transaction.atomic
def seed() -> str:
    started = time.monotonic()
    finance = User.objects.filter(username="finance").first()
    approver = User.objects.filter(username="gm").first()
    if finance is None or approver is None:
        return "demo users missing (org demo not loaded): skipped"
    parameters.ensure_parameters(demo=True)
    services.numbering_ensure()
    today = timezone.localdate()
    projects = list(
        Project.objects.filter(note__startswith=DEMO_NOTE, state=ProjectState.APPROVED)
        .select_related("customer", "product_version", "manager_a")
        .order_by("pk")
    )
    if not projects:
        return "no approved demo projects: skipped"
    planned = set(FeePlan.objects.filter(project__in=projects).values_list("project_id", flat=True))
    counts = {"plans": 0, "paid": 0, "partly": 0, "deferred": 0, "pending": 0, "unpaid": 0}
    for index, project in enumerate(projects):
        if project.pk in planned:
            continue
        plan = services._plan(finance, project, _issue_date(project, today))
        counts["plans"] += 1
        first_fee = plan.receivables.filter(kind=ReceivableKind.GUARANTEE_FEE, instalment=1).first()
        if index == 0 and first_fee is not None:
            services._request_deferral(
                project.manager_a, first_fee, plan.issue_date + dt.timedelta(days=60), "企业季节性回款，申请缓缴首期担保费"
            )
            counts["pending"] += 1
        elif index in (1, 2) and first_fee is not None:
            deferral = services._request_deferral(
                project.manager_a, first_fee, plan.issue_date + dt.timedelta(days=90), "政府贴息资金到账后缴纳"
            )
            services._decide(approver, deferral, True, "同意缓缴，到期前提醒企业")
            _pay(finance, project, plan, share=Decimal("1"), suffix="1", fee=False)
            counts["deferred"] += 1
        elif index in (3, 4):
            _pay(finance, project, plan, share=Decimal("0.5"), suffix="1")
            counts["partly"] += 1
        elif index in (5, 6):
            counts["unpaid"] += 1
        else:
            _pay(finance, project, plan, share=Decimal("1"), suffix="1")
            counts["paid"] += 1
    elapsed = time.monotonic() - started
    if not counts["plans"]:
        return f"fee plans exist ({len(planned)} projects)"
    return (
        f"{counts['plans']} fee plans in {elapsed:.1f}s: {counts['paid']} paid before issue, {counts['partly']} partly paid, "
        f"{counts['deferred']} deferred, {counts['pending']} deferral pending, {counts['unpaid']} unpaid"
    )
