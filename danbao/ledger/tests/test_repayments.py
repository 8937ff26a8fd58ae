"""Repayments: allocation to schedule lines, balances and liability, days past due, reversal, release."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.ledger import overdue, repayments
from danbao.ledger.models import GuaranteeState, Repayment, ScheduleLine
from danbao.ledger.schedules import add_months
from danbao.ledger.tests.support import TODAY, record

pytestmark = pytest.mark.django_db

START = TODAY - dt.timedelta(days=200)


@pytest.fixture
def loan(lettered, owner, dept_head):
    from danbao.letters.models import GuaranteeLetter

    GuaranteeLetter.objects.filter(project=lettered).update(issue_date=START - dt.timedelta(days=5))
    return record(lettered, owner, loan_date=START, maturity_date=add_months(START, 12))


def lines(loan):
    return list(ScheduleLine.objects.filter(loan=loan).order_by("seq"))


def pay(loan, actor, line, **kw):
    data = {"paid_on": line.due_date, "principal": line.principal, "interest": line.interest}
    data.update(kw)
    return repayments.repayment_record(actor=actor, loan=loan, **data)


class TestAllocation:
    def test_pays_oldest_lines_first_and_updates_balances(self, loan, owner):
        first, second = lines(loan)[:2]
        r = repayments.repayment_record(
            actor=owner, loan=loan, paid_on=second.due_date, principal=first.principal + D("10"), interest=first.interest, reference="R1"
        )
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.settled_on == second.due_date and first.paid_principal == first.principal
        assert second.paid_principal == D("10") and second.settled_on is None
        assert r.allocations.count() == 2
        loan.refresh_from_db()
        g = loan.guarantee
        g.refresh_from_db()
        assert loan.balance == D("500000") - first.principal - D("10")
        assert g.loan_balance == loan.balance
        assert g.liability_balance == (loan.balance * g.own_share).quantize(D("0.01"))
        assert AuditEvent.objects.filter(event_type="ledger.repayment_recorded").count() == 1

    def test_idempotency_key_and_natural_key(self, loan, owner):
        line = lines(loan)[0]
        a = pay(loan, owner, line, idempotency_key="k1")
        b = pay(loan, owner, line, idempotency_key="k1")
        assert a.pk == b.pk and Repayment.objects.count() == 1
        c = pay(loan, owner, lines(loan)[1], natural="nk")
        d = pay(loan, owner, lines(loan)[1], natural="nk")
        assert c.pk == d.pk and Repayment.objects.count() == 2

    @pytest.mark.parametrize(
        "kw",
        [
            {"principal": D("-1")},
            {"principal": D("0"), "interest": D("0")},
            {"principal": D("1.001")},
            {"principal": D("9999999")},
            {"paid_on": TODAY + dt.timedelta(days=1)},
            {"paid_on": START - dt.timedelta(days=1)},
        ],
    )
    def test_bad_input_changes_nothing(self, loan, owner, kw):
        with pytest.raises(DomainError):
            pay(loan, owner, lines(loan)[0], **kw)
        assert Repayment.objects.count() == 0
        loan.refresh_from_db()
        assert loan.balance == D("500000")

    def test_outsider_may_not_record(self, loan, risk_manager):
        with pytest.raises(DomainError) as exc:
            pay(loan, risk_manager, lines(loan)[0])
        assert exc.value.code == "ledger.repay_denied"

    def test_reversal_restores_everything(self, loan, owner):
        line = lines(loan)[0]
        r = pay(loan, owner, line)
        with pytest.raises(DomainError):
            repayments.repayment_reverse(actor=owner, repayment=r, reason=" ")
        repayments.repayment_reverse(actor=owner, repayment=r, reason="银行冲正")
        line.refresh_from_db()
        loan.refresh_from_db()
        assert line.settled_on is None and line.paid_principal == 0 and loan.balance == D("500000")
        r.refresh_from_db()
        assert r.reversed_at and r.reversal_reason == "银行冲正"
        with pytest.raises(DomainError):
            repayments.repayment_reverse(actor=owner, repayment=r, reason="again")


def _settle(line):
    ScheduleLine.objects.filter(pk=line.pk).update(paid_principal=line.principal, paid_interest=line.interest, settled_on=line.due_date)


class TestDaysPastDue:
    def test_nothing_paid(self, loan):
        first = lines(loan)[0]
        g = loan.guarantee
        assert overdue.days_past_due(g, first.due_date) == 0
        assert overdue.days_past_due(g, first.due_date + dt.timedelta(days=3)) == 3
        amounts = overdue.overdue_amounts(g, TODAY)
        due = [x for x in lines(loan) if x.due_date < TODAY]
        assert amounts.days == (TODAY - due[0].due_date).days
        assert amounts.principal == sum(x.principal for x in due) and amounts.interest == sum(x.interest for x in due)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(skip=st.integers(min_value=0, max_value=5), late=st.integers(min_value=0, max_value=20))
    def test_on_time_is_zero_and_skipping_counts_from_oldest_unpaid(self, loan, owner, skip, late):
        ScheduleLine.objects.filter(loan=loan).update(paid_principal=0, paid_interest=0, settled_on=None)
        all_lines = [x for x in lines(loan) if x.due_date < TODAY]
        for line in all_lines[:skip]:
            _settle(line)
        on = min(all_lines[skip].due_date + dt.timedelta(days=late), TODAY) if skip < len(all_lines) else TODAY
        expected = (on - all_lines[skip].due_date).days if skip < len(all_lines) else 0
        g = loan.guarantee
        assert overdue.days_past_due(g, on) == expected
        assert overdue.days_past_due_map(on) == {g.pk: expected}
        # paid on time, everything before `on` → 0
        for line in all_lines:
            _settle(line)
        assert overdue.days_past_due(g, on) == 0

    def test_late_payment_counts_until_paid(self, loan, owner):
        first = lines(loan)[0]
        pay(loan, owner, first, paid_on=first.due_date + dt.timedelta(days=10))
        g = loan.guarantee
        assert overdue.days_past_due(g, first.due_date + dt.timedelta(days=9)) == 9
        assert overdue.days_past_due(g, first.due_date + dt.timedelta(days=10)) == 0

    def test_map_equals_single_and_has_fixed_queries(self, loan, django_assert_max_num_queries):
        g = loan.guarantee
        with django_assert_max_num_queries(2):
            result = overdue.days_past_due_map(TODAY, [g.pk, 999999])
        assert result == {g.pk: overdue.days_past_due(g, TODAY), 999999: 0}


class TestRelease:
    def test_needs_zero_balance_or_notice(self, loan, owner, dept_head):
        g = loan.guarantee
        with pytest.raises(DomainError) as exc:
            repayments.guarantee_release(actor=dept_head, guarantee=g, released_on=TODAY)
        assert exc.value.code == "ledger.release_balance"
        g = repayments.guarantee_release(actor=dept_head, guarantee=g, released_on=TODAY, notice_reference="ICBC-JB-1", reason="结清")
        assert g.state == GuaranteeState.RELEASED and g.loan_balance == 0 and g.liability_balance == 0
        assert g.transitions.filter(target="released").count() == 1
        again = repayments.guarantee_release(actor=dept_head, guarantee=g, released_on=TODAY, notice_reference="x")
        assert again.transitions.filter(target="released").count() == 1
        with pytest.raises(DomainError):
            pay(loan, owner, lines(loan)[0])

    def test_after_full_repayment(self, loan, owner, dept_head):
        line = lines(loan)[0]
        repayments.repayment_record(actor=owner, loan=loan, paid_on=line.due_date, principal=D("500000"), interest=line.interest)
        g = loan.guarantee
        g.refresh_from_db()
        assert g.loan_balance == 0
        assert repayments.guarantee_release(actor=dept_head, guarantee=g, released_on=TODAY).state == GuaranteeState.RELEASED

    def test_permission(self, loan, nobody):
        with pytest.raises(DomainError) as exc:
            repayments.guarantee_release(actor=nobody, guarantee=loan.guarantee, released_on=TODAY, notice_reference="x")
        assert exc.value.code == "ledger.release_denied"
