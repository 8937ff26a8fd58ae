"""Disbursement: the checks, what it writes, shares and liability, idempotency, atomicity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.ledger.models import Guarantee, GuaranteeState, Loan, ScheduleLine
from danbao.ledger.schedules import RawLine, add_months
from danbao.ledger.tests.support import LOAN_DATE, TODAY, issue_letter, record

pytestmark = pytest.mark.django_db


def _refused(code, project, actor, **overrides):
    with pytest.raises(DomainError) as exc:
        record(project, actor, **overrides)
    assert exc.value.code == code, exc.value.message
    return exc.value


class TestRecord:
    def test_first_tranche_puts_the_guarantee_in_force(self, lettered, owner):
        loan = record(lettered, owner)
        g = loan.guarantee
        assert g.state == GuaranteeState.IN_FORCE
        assert g.project == lettered and g.letter.number.startswith("BH-T-")
        assert (g.bank_share, g.reguarantor_share, g.fund_share, g.gov_pool_share) == (D("0.2"), D("0.2"), D("0.2"), D("0"))
        assert g.bank_share_source == "agreement" and g.agreement is not None
        assert g.own_share == D("0.4")
        assert g.loan_balance == D("500000") and g.guaranteed_amount == D("500000")
        assert g.liability_balance == D("200000.00")
        assert g.start_date == LOAN_DATE and g.maturity_date == add_months(LOAN_DATE, 12)
        assert loan.sequence == 1 and loan.evaluation is not None
        lines = list(ScheduleLine.objects.filter(loan=loan).order_by("seq"))
        assert len(lines) == 12 and sum(x.principal for x in lines) == D("500000")
        assert [t.action for t in g.transitions.all()] == ["disburse"]
        events = list(AuditEvent.objects.filter(event_type__startswith="ledger.").values_list("event_type", flat=True))
        assert sorted(events) == ["ledger.guarantee_in_force", "ledger.loan_recorded"]

    def test_second_tranche_adds_up_under_one_approval(self, lettered, owner):
        record(lettered, owner)
        second = record(lettered, owner, loan_contract_number="ICBC-JK-2026-002", amount=D("300000"), repayment_method="equal_principal")
        g = Guarantee.objects.get(project=lettered)
        assert second.sequence == 2 and second.guarantee_id == g.pk
        assert g.loan_balance == D("800000") and g.liability_balance == D("320000.00")
        assert Guarantee.objects.count() == 1

    def test_cap_against_the_approved_amount_shows_the_remaining(self, lettered, owner):
        record(lettered, owner)
        err = _refused("ledger.over_approval", lettered, owner, loan_contract_number="X-2", amount=D("300000.01"))
        assert "300,000.00" in err.message and "800,000.00" in err.message
        assert Loan.objects.count() == 1
        record(lettered, owner, loan_contract_number="X-3", amount=D("300000"))

    def test_amount_must_be_positive(self, lettered, owner):
        _refused("ledger.amount_invalid", lettered, owner, amount=D("0"))
        _refused("ledger.amount_invalid", lettered, owner, amount=D("-5"))
        _refused("ledger.amount_invalid", lettered, owner, amount=D("1.001"))

    def test_maturity_within_the_approved_term_from_the_first_loan(self, lettered, owner):
        record(lettered, owner)
        latest = add_months(LOAN_DATE, 12) + dt.timedelta(days=7)
        err = _refused(
            "ledger.term_exceeded",
            lettered,
            owner,
            loan_contract_number="X-2",
            amount=D("1000"),
            maturity_date=latest + dt.timedelta(days=1),
        )
        assert latest.isoformat() in err.message
        record(lettered, owner, loan_contract_number="X-3", amount=D("1000"), loan_date=TODAY, maturity_date=latest)

    def test_letter_required(self, approved, owner):
        _refused("ledger.no_letter", approved, owner)
        assert not Guarantee.objects.exists()

    def test_loan_not_before_the_letter_nor_in_the_future(self, lettered, owner):
        _refused("ledger.loan_before_letter", lettered, owner, loan_date=TODAY - dt.timedelta(days=11))
        _refused("ledger.loan_date_future", lettered, owner, loan_date=TODAY + dt.timedelta(days=1))

    def test_project_must_be_approved(self, world, owner, b_manager, dept_head):
        from danbao.projects.tests.support import intake

        project = intake(world, owner, b_manager)
        project.approved_amount = D("100000")
        issue_letter(project, dept_head)
        _refused("ledger.project_not_approved", project, owner)

    def test_credit_line_refusal_shows_the_figures(self, lettered, owner):
        from danbao.ledger.book import exposures_on
        from danbao.partners.models import Agreement

        Agreement.objects.filter(bank=lettered.bank).update(credit_line_amount=D("600000"))
        record(lettered, owner, amount=D("400000"))
        assert sum(e.loan_balance for e in exposures_on(TODAY)) == D("400000")
        err = _refused("ledger.credit_line", lettered, owner, loan_contract_number="X-2", amount=D("200000.01"))
        assert "600,000.00" in err.message and "400,000.00" in err.message and "200,000.00" in err.message
        record(lettered, owner, loan_contract_number="X-3", amount=D("200000"))

    def test_no_agreement_refused(self, lettered, owner):
        from danbao.partners.models import Agreement

        Agreement.objects.filter(bank=lettered.bank).update(valid_to=TODAY - dt.timedelta(days=30))
        _refused("ledger.no_agreement", lettered, owner)

    def test_pre_disbursement_rule_blocks(self, lettered, owner, monkeypatch):
        from danbao.rules import services as rule_services

        real = rule_services._run

        def blocking(inp):
            result = real(inp)
            result.hits.insert(0, {"code": "T", "severity": "block", "outcome": "hit", "reason_zh": "测试规则拦截"})
            return result

        monkeypatch.setattr(rule_services, "_run", blocking)
        err = _refused("ledger.rules_blocked", lettered, owner)
        assert "测试规则拦截" in err.message
        assert not Loan.objects.exists() and not Guarantee.objects.exists()

    def test_custom_schedule(self, lettered, owner):
        lines = [
            RawLine(2, LOAN_DATE + dt.timedelta(days=90), D("200000"), D("5000")),
            RawLine(3, add_months(LOAN_DATE, 12), D("300000"), D("9000")),
        ]
        loan = record(lettered, owner, repayment_method="custom", custom_lines=lines)
        assert [x.balance_after for x in loan.lines.order_by("seq")] == [D("300000"), D("0")]
        bad = [RawLine(5, LOAN_DATE + dt.timedelta(days=90), D("100000"), D("0"))]
        err = _refused(
            "ledger.schedule", lettered, owner, loan_contract_number="X-2", amount=D("200000"), repayment_method="custom", custom_lines=bad
        )
        assert "100,000.00" in err.message
        _refused("ledger.custom_required", lettered, owner, loan_contract_number="X-3", amount=D("1000"), repayment_method="custom")


class TestIdempotency:
    def test_same_key_records_once(self, lettered, owner):
        first = record(lettered, owner, idempotency_key="k-1")
        again = record(lettered, owner, idempotency_key="k-1", loan_contract_number="OTHER")
        assert again.pk == first.pk and Loan.objects.count() == 1

    def test_same_contract_records_once(self, lettered, owner):
        first = record(lettered, owner)
        again = record(lettered, owner, amount=D("100"))
        assert again.pk == first.pk and Loan.objects.count() == 1
        assert AuditEvent.objects.filter(event_type="ledger.loan_recorded").count() == 1

    def test_contract_of_another_project_refused(self, lettered, owner, world, b_manager, risk_manager, dept_head, gm):
        from danbao.letters.tests.support import approved_project

        record(lettered, owner)
        other = approved_project(world, owner, b_manager, risk_manager, dept_head, gm)
        issue_letter(other, dept_head)
        _refused("ledger.contract_taken", other, owner)


class TestPermissions:
    def test_business_manager_only_for_own_projects(self, lettered, colleague, outsider):
        _refused("ledger.permission_denied", lettered, colleague)
        _refused("ledger.permission_denied", lettered, outsider)

    def test_finance_records_any(self, lettered, org):
        from danbao.org.tests.factories import UserFactory

        finance = UserFactory(username="fin", department=org.head_office, roles=[org.roles["finance"]], real_name="何财务")
        assert record(lettered, finance).guarantee.created_by == finance


class TestShares:
    def test_bank_share_from_the_product_when_the_agreement_states_none(self, lettered, owner):
        from danbao.partners.models import Agreement

        Agreement.objects.filter(bank=lettered.bank).update(bank_share_rate=D("0"))
        g = record(lettered, owner).guarantee
        assert g.bank_share_source == "product" and g.bank_share == D("0.2") and g.own_share == D("0.4")

    def test_shares_over_100_refused(self, lettered, owner):
        from danbao.products.models import ProductVersion

        ProductVersion.objects.filter(pk=lettered.product_version_id).update(gov_pool_share=D("0.5"))
        _refused("ledger.shares_invalid", lettered, owner)

    def test_regulatory_balance_uses_the_weights(self, lettered, owner):
        g = record(lettered, owner).guarantee
        # own share for the regulator = 1 − bank 20 % − pool 0 = 80 % (re-guarantee not deducted by default)
        assert g.regulatory_on is not None
        weight = {"1.1": D("0.75"), "1.2": D("0.75"), "1.4": D("1")}[g.regulatory_bucket]
        assert g.regulatory_balance == (D("500000") * D("0.8") * weight).quantize(D("0.01"))
