"""Services: fee plans (idempotent, re-plan after a change), receipts and their allocation limits,
idempotency, reversal, deferral maker-checker, readiness lines, the fee notice PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.finance import selectors, services
from danbao.finance.models import Deferral, FeePlan, Receipt, ReceiptAllocation, Receivable
from danbao.finance.tests.support import approved_project, pay

pytestmark = pytest.mark.django_db
ISSUE = dt.date(2026, 1, 10)


def _plan(clerk: Any, project: Any) -> FeePlan:
    return services.fee_schedule_create(actor=clerk, project=project, issue_date=ISSUE)


def _rows(project: Any, **filters: Any) -> list[Receivable]:
    return list(Receivable.objects.filter(project=project, **filters).order_by("kind", "instalment", "pk"))


def _first_fee(project: Any) -> Receivable:
    return Receivable.objects.get(project=project, kind="guarantee_fee", instalment=1, state__in=("open", "partly_paid", "deferred"))


class TestPlan:
    def test_annual_plan_creates_receivables_once(self, project: Any, clerk: Any) -> None:
        plan = _plan(clerk, project)
        assert plan.guarantee_fee_amount == D("37500.00") and plan.margin_amount == D("100000.00")
        fees = _rows(project, kind="guarantee_fee")
        assert [(r.instalment, r.amount, r.due_date) for r in fees] == [
            (1, D("15000.00"), ISSUE),
            (2, D("15000.00"), dt.date(2027, 1, 10)),
            (3, D("7500.00"), dt.date(2028, 1, 10)),
        ]
        assert "× 6/12" in fees[2].basis or "6/12" in fees[2].basis
        assert _rows(project, kind="review_fee")[0].amount == D("2000.00")
        assert "年" in plan.explanation or "Annual" in plan.explanation
        again = services.fee_schedule_create(actor=clerk, project=project, issue_date=dt.date(2026, 5, 1))
        assert again.pk == plan.pk and Receivable.objects.filter(project=project).count() == 5
        assert AuditEvent.objects.filter(event_type="finance.plan_created").count() == 1

    def test_refusals(self, fin_world: Any, owner: Any, b_manager: Any, clerk: Any, colleague: Any, risk_manager: Any, nobody: Any) -> None:
        from danbao.projects import services as ps

        pending = ps.project_intake(
            actor=owner,
            customer=fin_world["customer"],
            product=fin_world["product"],
            amount=D("500000"),
            term_months=12,
            purpose="流动资金",
            repayment_method="interest_monthly",
            bank=fin_world["bank"],
            manager_a=owner,
            manager_b=b_manager,
        )
        with pytest.raises(DomainError) as exc:
            services.fee_schedule_create(actor=clerk, project=pending)
        assert exc.value.code == "finance.not_approved"
        for user in (risk_manager, nobody):  # no plan permission
            with pytest.raises(DomainError) as exc:
                services.fee_schedule_create(actor=user, project=pending)
            assert exc.value.code == "finance.permission_denied"
        with pytest.raises(DomainError) as exc:  # a business manager outside the project
            services.fee_schedule_create(actor=colleague, project=pending)
        assert exc.value.code == "finance.permission_denied"
        assert not FeePlan.objects.exists()

    def test_change_of_terms_replans_and_keeps_history(self, project: Any, clerk: Any, owner: Any, dept_head: Any, gm: Any) -> None:
        from danbao.projects import services as ps
        from danbao.workflow import services as wf
        from danbao.workflow.models import Task

        _plan(clerk, project)
        first = _first_fee(project)
        review = _rows(project, kind="review_fee")[0]
        pay(clerk, project, {first.pk: "10000", review.pk: "2000"})
        ps.project_change_request(
            actor=owner, project=project, amount="1200000", term_months=30, bank=project.bank, branch=project.branch, reason="扩大生产"
        )
        for user in (dept_head, gm):
            wf.task_approve(actor=user, task=Task.objects.get(assignee=user, status=Task.Status.PENDING))
        stale = selectors.readiness(project)
        assert not any(i.ok for i in stale) and "re-plan" in stale[1].detail.lower() or "重新" in stale[1].detail
        plan2 = _plan(clerk, project)
        assert plan2.sequence == 2 and plan2.amount == D("1200000")
        old = FeePlan.objects.get(project=project, sequence=1)
        assert not old.is_current and old.superseded_at
        first.refresh_from_db()
        review.refresh_from_db()
        assert first.state == "cancelled" and first.paid_amount == D("10000.00") and "2" in first.cancel_reason
        assert review.state == "paid"  # paid items stay paid
        new_first = _first_fee(project)
        assert new_first.amount == D("18000.00") - D("10000.00")  # 1.2m × 1.5 %, less what was received
        assert "10,000.00" in new_first.basis
        assert not Receivable.objects.filter(plan=plan2, kind="review_fee").exists()  # review fee unchanged and paid
        assert Receivable.objects.get(plan=plan2, kind="margin").amount == D("120000.00")
        assert AuditEvent.objects.filter(event_type="finance.plan_replanned").count() == 1

    def test_policy_cap_warning(
        self, fin_world: Any, owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any, clerk: Any
    ) -> None:
        product = fin_world["make_product"](
            "FIN-P", is_policy=True, fee_basis="one_off", fee_rate_max=D("0.01"), fee_rate_default=D("0.008"), amount_max=D("5000000")
        )
        world = {**fin_world, "product": product}
        project = approved_project(world, owner, b_manager, risk_manager, dept_head, gm, term_months=6, fee_rate=D("0.008"))
        plan = _plan(clerk, project)
        assert plan.annualised_rate == D("0.016") and plan.cap_rate == D("0.01")
        assert plan.warnings and "1.6%" in plan.warnings[0]


class TestReceipts:
    def test_allocate_to_several_and_state_follows_money(self, project: Any, clerk: Any) -> None:
        _plan(clerk, project)
        first, review, margin = _first_fee(project), _rows(project, kind="review_fee")[0], _rows(project, kind="margin")[0]
        receipt = pay(clerk, project, {first.pk: "15000", review.pk: "2000", margin.pk: "40000"}, amount="60000")
        assert receipt.number.startswith("SK")
        first.refresh_from_db()
        margin.refresh_from_db()
        assert first.state == "paid" and margin.state == "partly_paid" and margin.outstanding == D("60000.00")
        assert ReceiptAllocation.objects.filter(receipt=receipt).count() == 3
        assert AuditEvent.objects.filter(event_type="finance.receipt_recorded").count() == 1

    @pytest.mark.parametrize(
        "amount, alloc, code",
        [
            ("1000", "1000.01", "finance.allocation_over_receipt"),
            ("20000", "15000.01", "finance.allocation_over_receivable"),
            ("0", "0", "finance.amount_invalid"),
            ("12.345", "12.345", "finance.amount_invalid"),
            ("100", "", "finance.allocation_empty"),
        ],
    )
    def test_refusals_change_nothing(self, project: Any, clerk: Any, amount: str, alloc: str, code: str) -> None:
        _plan(clerk, project)
        first = _first_fee(project)
        with pytest.raises(DomainError) as exc:
            pay(clerk, project, {first.pk: alloc}, amount=amount)
        assert exc.value.code == code
        first.refresh_from_db()
        assert first.paid_amount == 0 and first.state == "open" and not Receipt.objects.exists()

    def test_other_refusals(self, project: Any, clerk: Any, owner: Any, fin_world: Any, b_manager: Any) -> None:
        _plan(clerk, project)
        first = _first_fee(project)
        with pytest.raises(DomainError) as exc:
            pay(owner, project, {first.pk: "100"})  # business managers do not record money
        assert exc.value.code == "finance.permission_denied"
        tomorrow = dt.date.today() + dt.timedelta(days=2)
        with pytest.raises(DomainError) as exc:
            services.receipt_record(
                actor=clerk,
                project=project,
                amount="100",
                received_on=tomorrow,
                method="cash",
                payer="某人",
                idempotency_key="k-future",
                allocations={first.pk: "100"},
            )
        assert exc.value.code == "finance.date_in_future"
        pay(clerk, project, {first.pk: "15000"})
        with pytest.raises(DomainError) as exc:
            pay(clerk, project, {first.pk: "1"})
        assert exc.value.code == "finance.allocation_closed"

    def test_same_key_records_once(self, project: Any, clerk: Any) -> None:
        _plan(clerk, project)
        first = _first_fee(project)
        one = pay(clerk, project, {first.pk: "5000"}, key="double-click")
        two = pay(clerk, project, {first.pk: "5000"}, key="double-click")
        assert one.pk == two.pk and Receipt.objects.count() == 1
        first.refresh_from_db()
        assert first.paid_amount == D("5000.00")
        with pytest.raises(DomainError) as exc:  # the same key for a different receipt
            pay(clerk, project, {first.pk: "6000"}, key="double-click")
        assert exc.value.code == "finance.key_reused"
        assert AuditEvent.objects.filter(event_type="finance.receipt_recorded").count() == 1

    def test_reverse_restores_what_was_owed(self, project: Any, clerk: Any) -> None:
        _plan(clerk, project)
        first = _first_fee(project)
        receipt = pay(clerk, project, {first.pk: "15000"})
        with pytest.raises(DomainError) as exc:
            services.receipt_reverse(actor=clerk, receipt=receipt, reason=" ")
        assert exc.value.code == "finance.reason_required"
        services.receipt_reverse(actor=clerk, receipt=receipt, reason="银行退回，重复入账")
        receipt.refresh_from_db()
        first.refresh_from_db()
        assert receipt.state == "reversed" and receipt.reverse_reason == "银行退回，重复入账"
        assert first.state == "open" and first.paid_amount == 0
        assert not receipt.allocations.filter(is_active=True).exists() and receipt.allocations.count() == 1  # kept
        with pytest.raises(DomainError) as exc:
            services.receipt_reverse(actor=clerk, receipt=receipt, reason="again")
        assert exc.value.code == "finance.already_reversed"


class TestDeferrals:
    def test_maker_checker(self, project: Any, clerk: Any, owner: Any, dept_head: Any, gm: Any) -> None:
        _plan(clerk, project)
        first = _first_fee(project)
        with pytest.raises(DomainError) as exc:
            services.deferral_request(actor=owner, receivable=first, until=ISSUE, reason="x")
        assert exc.value.code == "finance.deferral_date"
        deferral = services.deferral_request(actor=owner, receivable=first, until=ISSUE + dt.timedelta(days=3650), reason="回款季节性")
        with pytest.raises(DomainError) as exc:
            services.deferral_request(actor=owner, receivable=first, until=ISSUE + dt.timedelta(days=400), reason="again")
        assert exc.value.code == "finance.deferral_pending"
        with pytest.raises(DomainError) as exc:  # finance may request but not approve
            services.deferral_decide(actor=clerk, deferral=deferral, approve=True)
        assert exc.value.code == "finance.permission_denied"
        with pytest.raises(DomainError) as exc:
            services.deferral_decide(actor=dept_head, deferral=deferral, approve=False)
        assert exc.value.code == "finance.comment_required"
        services.deferral_decide(actor=dept_head, deferral=deferral, approve=True, comment="同意")
        first.refresh_from_db()
        assert first.state == "deferred" and first.deferred_until == deferral.until
        with pytest.raises(DomainError) as exc:
            services.deferral_decide(actor=gm, deferral=deferral, approve=True)
        assert exc.value.code == "finance.deferral_decided"
        pay(clerk, project, {first.pk: "15000"})
        first.refresh_from_db()
        assert first.state == "paid"

    def test_requester_cannot_decide(self, project: Any, clerk: Any, dept_head: Any) -> None:
        _plan(clerk, project)
        first = _first_fee(project)
        # A department head who may request (as business staff could) still cannot decide their own request.
        deferral = Deferral.objects.create(receivable=first, until=ISSUE + dt.timedelta(days=30), reason="x", requested_by=dept_head)
        with pytest.raises(DomainError) as exc:
            services.deferral_decide(actor=dept_head, deferral=deferral, approve=True, comment="ok")
        assert exc.value.code == "finance.same_person"
        deferral.refresh_from_db()
        assert deferral.status == "pending"


class TestReadiness:
    def test_lines(self, project: Any, clerk: Any, owner: Any, gm: Any) -> None:
        lines = selectors.readiness(project)
        assert [i.key for i in lines] == ["finance.fee:guarantee_fee", "finance.fee:review_fee", "finance.fee:margin"]
        assert not any(i.ok for i in lines) and "fee" in lines[0].url or "finance" in lines[0].url
        _plan(clerk, project)
        first, review, margin = _first_fee(project), _rows(project, kind="review_fee")[0], _rows(project, kind="margin")[0]
        pay(clerk, project, {first.pk: "2655", review.pk: "2000"})
        lines = {i.key: i for i in selectors.readiness(project)}
        assert not lines["finance.fee:guarantee_fee"].ok
        assert "12,345.00" in lines["finance.fee:guarantee_fee"].detail
        assert lines["finance.fee:review_fee"].ok and "2,000.00" in lines["finance.fee:review_fee"].detail
        assert "100,000.00" in lines["finance.fee:margin"].detail
        pay(clerk, project, {first.pk: "12345", margin.pk: "100000"})
        deferral = services.deferral_request(
            actor=owner, receivable=_rows(project, kind="guarantee_fee")[1], until=dt.date(2027, 6, 1), reason="x"
        )
        services.deferral_decide(actor=gm, deferral=deferral, approve=True)
        assert all(i.ok for i in selectors.readiness(project))

    def test_deferral_covers_until_it_runs_out(self, project: Any, clerk: Any, owner: Any, gm: Any) -> None:
        _plan(clerk, project)
        first = _first_fee(project)
        until = dt.date.today() + dt.timedelta(days=30)
        deferral = services.deferral_request(actor=owner, receivable=first, until=max(until, ISSUE + dt.timedelta(days=1)), reason="x")
        services.deferral_decide(actor=gm, deferral=deferral, approve=True)
        line = selectors.readiness(project)[0]
        assert line.ok and "15,000.00" in line.detail
        Receivable.objects.filter(pk=first.pk).update(deferred_until=dt.date.today() - dt.timedelta(days=1))
        line = selectors.readiness(project)[0]
        assert not line.ok and "15,000.00" in line.detail

    def test_summary(self, project: Any, clerk: Any) -> None:
        _plan(clerk, project)
        pay(clerk, project, {_first_fee(project).pk: "15000"})
        summary = selectors.fee_summary(project)
        assert summary.amount == D("37500") + D("2000") + D("100000")
        assert summary.paid == D("15000.00") and summary.outstanding == summary.amount - summary.paid
        assert len(selectors.receivables_of(project)) == 5


def test_notice_pdf_text(project: Any, clerk: Any) -> None:
    import shutil
    import subprocess

    from danbao.finance import pdf

    _plan(clerk, project)
    context = pdf.notice_context(project)
    assert context["total_words"] == "壹拾叁万玖仟伍佰元整"  # 37,500 + 2,000 + 100,000 = 139,500.00
    data = pdf.notice_pdf(project, actor=clerk)
    assert data.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event_type="finance.notice_printed").count() == 1
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()  # noqa: S603,S607
    flat = "".join(text.split())
    assert project.number in flat and "壹万伍仟元整" in flat and "缴费通知书" in flat and "139,500.00" in flat
