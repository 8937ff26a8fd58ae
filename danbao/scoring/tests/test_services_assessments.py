"""Running and adjusting assessments: inputs pulled from the customer's data, refusals, scope, audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.customers.models import CreditConsent, CreditEntry, CreditReport, FinancialStatement
from danbao.scoring.models import Adjustment, Assessment
from danbao.scoring.services import assessment_adjust, assessment_run, version_draft_open, version_publish
from danbao.scoring.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def _run(actor: Any, customer: Any, version: Any, **kw: Any) -> Assessment:
    values = {"answers": {"mgmt": "5to10"}, "coverage": D("1.2"), "on": DAY}
    values.update(kw)
    return assessment_run(actor=actor, subject=customer, customer=customer, template_version=version, **values)


def _credit(customer: Any, owner: Any, *overdue_days: int) -> None:
    consent = CreditConsent.objects.create(
        customer=customer, text_version="v1", signed_on=date(2025, 1, 1), scope="担保", valid_until=date(2026, 1, 1)
    )
    report = CreditReport.objects.create(customer=customer, consent=consent, query_date=date(2025, 6, 1), purpose="担保")
    CreditEntry.objects.create(report=report, kind="loan", institution="长沙银行", amount=D(1000), balance=D(500))
    for days in overdue_days:
        CreditEntry.objects.create(report=report, kind="overdue", institution="长沙银行", overdue_days=days, as_of=date(2025, 3, 1))


def test_run_pulls_statement_ratios_and_credit_record(owner: Any, customer: Any, version: Any) -> None:
    _credit(customer, owner, 10)
    mark = audit_mark()
    a = _run(owner, customer, version)
    # debt 600/1000 = 0.6 → 60 × 30 % = 18; 1 overdue → 50 × 20 % = 10; 5to10 70 × 30 % = 21; 1.2 → 100 × 20 % = 20
    assert a.total_score == D("69.00") and a.grade == "BB"
    assert (a.max_amount, a.fee_rate_min, a.fee_rate_max) == (D("500000"), D("0.015"), D("0.02"))
    assert a.missing_count == 0
    assert a.inputs["values"]["debt"] == "0.6000"
    assert a.inputs["values"]["credit"] == "1"
    assert a.inputs["sources"]["debt"].endswith("2024-12-31")
    by_code = {row["code"]: row for row in a.breakdown}
    assert by_code["debt"]["bin"] == "[0.5, 0.7)" and by_code["debt"]["unit"] == "ratio"
    assert a.version == version and a.created_by == owner and a.subject_id == str(customer.pk)
    assert_one_event("scoring.assessment_run", since=mark, actor_id=owner.pk, object_id=str(a.pk))


def test_missing_data_scores_zero_and_is_flagged(owner: Any, customer: Any, version: Any) -> None:
    FinancialStatement.objects.filter(customer=customer).delete()
    a = _run(owner, customer, version, answers={}, coverage=None)
    assert a.missing_count == 4  # no statement, no credit report, no answer, no coverage
    assert all(row["missing"] and D(row["points"]) == 0 and row["note"] for row in a.breakdown)
    assert a.total_score == D("0.00") and a.grade == "C"


def test_draft_statements_and_later_statements_are_ignored(owner: Any, customer: Any, version: Any) -> None:
    FinancialStatement.objects.create(
        customer=customer, period_end=date(2025, 12, 31), total_assets_amount=D(100), total_liabilities_amount=D(95)
    )
    FinancialStatement.objects.create(
        customer=customer, period_end=date(2023, 12, 31), is_draft=True, total_assets_amount=D(100), total_liabilities_amount=D(10)
    )
    a = _run(owner, customer, version)
    assert a.inputs["values"]["debt"] == "0.6000"


def test_refusals_change_nothing(owner: Any, outsider: Any, nobody: Any, customer: Any, version: Any) -> None:
    with pytest.raises(DomainError) as exc:
        _run(nobody, customer, version)
    assert exc.value.code == "scoring.permission_denied"
    with pytest.raises(DomainError) as exc:
        _run(outsider, customer, version)
    assert exc.value.code == "scoring.customer_out_of_scope"
    with pytest.raises(DomainError) as exc:
        _run(owner, customer, version, answers={"mgmt": "nonsense"})
    assert exc.value.code == "scoring.answer_invalid"
    with pytest.raises(DomainError) as exc:
        _run(owner, customer, version, coverage=D("-1"))
    assert exc.value.code == "scoring.coverage_invalid"
    assert not Assessment.objects.exists()


def test_only_published_versions_and_covered_kinds(owner: Any, customer: Any, version: Any) -> None:
    from danbao.customers.tests.extras_support import customer as make

    draft = version_draft_open(actor=None, template=version.template)
    with pytest.raises(DomainError) as exc:
        _run(owner, customer, draft)
    assert exc.value.code == "scoring.not_published"
    farmer = make(owner, "张三", kind="farmer")
    with pytest.raises(DomainError) as exc:
        _run(owner, farmer, version)
    assert exc.value.code == "scoring.kind_not_covered"
    assert "Farmer" in exc.value.message or "农户" in exc.value.message


def test_assessment_keeps_its_version_after_a_new_one_is_published(owner: Any, customer: Any, version: Any) -> None:
    a = _run(owner, customer, version)
    draft = version_draft_open(actor=None, template=version.template)
    v2 = version_publish(actor=None, version=draft)
    a.refresh_from_db()
    version.refresh_from_db()
    assert a.version_id == version.pk and version.status == "retired" and v2.status == "published"
    with pytest.raises(DomainError):
        _run(owner, customer, version)  # a retired version runs no new assessment


def test_adjust_qualitative_factor_with_reason(owner: Any, risk_manager: Any, customer: Any, version: Any) -> None:
    a = _run(owner, customer, version)  # 5to10
    before_total = a.total_score
    mark = audit_mark()
    adjusted = assessment_adjust(actor=risk_manager, assessment=a, factor_code="mgmt", new_answer="gt10", reason="现场核实从业20年")
    # +30 points × 30 % = +9
    assert adjusted.total_score == before_total + D(9) and adjusted.adjustment_count == 1
    assert adjusted.inputs["answers"]["mgmt"] == "gt10"
    assert adjusted.inputs["values"]["debt"] == a.inputs["values"]["debt"]  # other inputs kept, not re-pulled
    row = Adjustment.objects.get(assessment=a)
    assert (row.old_answer, row.new_answer, row.old_points, row.new_points) == ("5to10", "gt10", D(70), D(100))
    assert (row.old_total, row.new_total, row.reason, row.actor) == (before_total, adjusted.total_score, "现场核实从业20年", risk_manager)
    event = assert_one_event("scoring.assessment_adjusted", since=mark, actor_id=risk_manager.pk, object_id=str(a.pk))
    assert event.data["before"]["answer"] == "5to10" and event.data["after"]["answer"] == "gt10"
    assert event.data["reason"] == "现场核实从业20年"
    assert a.history.count() == 2  # created, adjusted


@pytest.mark.parametrize(
    ("factor", "answer", "reason", "code"),
    [
        ("mgmt", "gt10", "  ", "scoring.reason_required"),
        ("debt", "gt10", "理由", "scoring.not_qualitative"),
        ("mgmt", "nonsense", "理由", "scoring.answer_invalid"),
        ("mgmt", "5to10", "理由", "scoring.answer_unchanged"),
        ("nope", "gt10", "理由", "scoring.factor_unknown"),
    ],
)
def test_adjust_refusals(
    owner: Any, risk_manager: Any, customer: Any, version: Any, factor: str, answer: str, reason: str, code: str
) -> None:
    a = _run(owner, customer, version)
    mark = audit_mark()
    with pytest.raises(DomainError) as exc:
        assessment_adjust(actor=risk_manager, assessment=a, factor_code=factor, new_answer=answer, reason=reason)
    assert exc.value.code == code
    assert not Adjustment.objects.exists()
    assert_no_event("scoring.assessment_adjusted", since=mark)


def test_only_risk_managers_adjust(owner: Any, dept_head: Any, customer: Any, version: Any) -> None:
    a = _run(owner, customer, version)
    for actor in (owner, dept_head, None):
        with pytest.raises(DomainError) as exc:
            assessment_adjust(actor=actor, assessment=a, factor_code="mgmt", new_answer="gt10", reason="理由")
        assert exc.value.code == "scoring.permission_denied"
