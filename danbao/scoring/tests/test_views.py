"""Every scoring page: who sees it (200), who gets 403 (no permission) or 404 (out of scope), and the happy paths."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.scoring.models import Adjustment, Assessment, ScorecardTemplate
from danbao.scoring.services import assessment_run
from danbao.scoring.tests.conftest import DAY, build_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(owner: Any, customer: Any, version: Any) -> Assessment:
    return assessment_run(
        actor=owner, subject=customer, customer=customer, template_version=version, answers={"mgmt": "5to10"}, coverage=D("1.2"), on=DAY
    )


# --- templates ---------------------------------------------------------------------------------


def test_template_pages_permissions(client_for: Any, nobody: Any, owner: Any, risk_manager: Any, gm: Any, version: Any) -> None:
    t = version.template
    view_pages = [reverse("scoring:template-list"), reverse("scoring:template-detail", args=[t.pk])]
    manage_pages = [reverse("scoring:template-create"), reverse("scoring:template-edit", args=[t.pk])]
    for url in view_pages + manage_pages:
        assert client_for(nobody).get(url).status_code == 403
    for url in view_pages:
        assert client_for(owner).get(url).status_code == 200  # business managers may read scorecards
    for url in manage_pages:
        assert client_for(owner).get(url).status_code == 403
    for user in (risk_manager, gm):
        for url in view_pages + manage_pages:
            assert client_for(user).get(url).status_code == 200, (user, url)


def test_template_detail_shows_factors_grades_and_no_edit_buttons_for_readers(client_for: Any, owner: Any, version: Any) -> None:
    response = client_for(owner).get(reverse("scoring:template-detail", args=[version.template.pk]))
    body = response.content.decode()
    assert "资产负债率" in body and "[0.5, 0.7)" in body and "AAA" in body
    assert 'data-testid="draft-open"' not in body and 'data-testid="factor-add"' not in body


def test_template_missing_is_404(client_for: Any, risk_manager: Any) -> None:
    assert client_for(risk_manager).get(reverse("scoring:template-detail", args=[999])).status_code == 404


def test_create_template_then_edit_factor_grades_and_publish(client_for: Any, risk_manager: Any) -> None:
    client = client_for(risk_manager)
    response = client.post(
        reverse("scoring:template-create"), {"code": "NEW", "name": "新评分卡", "customer_kinds": ["enterprise"], "description": ""}
    )
    template = ScorecardTemplate.objects.get(code="NEW")
    assert response.status_code == 302
    add = reverse("scoring:factor-add", args=[template.pk, 1])
    assert client.get(add).status_code == 200
    # Invalid bins come back on the form with a Chinese message and nothing saved
    response = client.post(
        add,
        {
            "code": "debt",
            "name": "资产负债率",
            "kind": "financial",
            "source": "debt_to_asset",
            "weight": "100",
            "bins": "(-∞, 0.5) = 100\n[0.6, +∞) = 0",
        },
    )
    assert response.status_code == 200 and "0.5" in response.content.decode()
    assert not template.versions.get().factors.exists()
    response = client.post(
        add,
        {
            "code": "debt",
            "name": "资产负债率",
            "kind": "financial",
            "source": "debt_to_asset",
            "weight": "100",
            "bins": "(-∞, 0.5) = 100\n[0.5, +∞) = 0",
        },
    )
    assert response.status_code == 302
    edit = reverse("scoring:factor-edit", args=[template.pk, 1, "debt"])
    assert "[0.5, +∞) = 0" in client.get(edit).content.decode()
    grades = reverse("scoring:grades-edit", args=[template.pk, 1])
    assert client.get(grades).status_code == 200
    response = client.post(grades, {"A_min": "60", "A_amount": "1000000", "A_fee_min": "1", "A_fee_max": "1.5", "C_min": "0"})
    assert response.status_code == 302
    band = template.versions.get().grades.get(grade="A")
    assert (band.min_score, band.max_score, band.fee_rate_min) == (D(60), D(100), D("0.01"))
    response = client.post(grades, {"A_min": "60", "C_min": "10"})  # nothing from 0 to 10
    assert response.status_code == 200 and 'data-testid="form-errors"' in response.content.decode()
    mark = audit_mark()
    response = client.post(reverse("scoring:version-publish", args=[template.pk, 1]))
    assert response.status_code == 302
    assert template.versions.get().status == "published"
    assert_one_event("scoring.version_published", since=mark, actor_id=risk_manager.pk)
    # A published version's editor redirects back with a message, nothing changes
    response = client.get(edit)
    assert response.status_code == 302
    response = client.post(reverse("scoring:factor-remove", args=[template.pk, 1, "debt"]))
    assert template.versions.get().factors.count() == 1


def test_publish_incomplete_shows_problems(client_for: Any, risk_manager: Any) -> None:
    template = build_template(actor=risk_manager)
    draft = template.versions.get()
    draft.factors.get(code="debt").delete()
    client = client_for(risk_manager)
    body = client.get(reverse("scoring:template-detail", args=[template.pk])).content.decode()
    assert 'data-testid="problems"' in body and "70" in body
    response = client.post(reverse("scoring:version-publish", args=[template.pk, 1]), follow=True)
    assert draft.__class__.objects.get(pk=draft.pk).status == "draft"
    assert "100" in response.content.decode()


def test_new_version_and_retire_pages(client_for: Any, risk_manager: Any, owner: Any, version: Any) -> None:
    t = version.template
    assert client_for(owner).post(reverse("scoring:draft-open", args=[t.pk])).status_code == 403
    assert client_for(owner).post(reverse("scoring:version-retire", args=[t.pk, 1]), {"reason": "x"}).status_code == 403
    client = client_for(risk_manager)
    response = client.post(reverse("scoring:draft-open", args=[t.pk]))
    assert response.status_code == 302 and t.versions.count() == 2
    client.post(reverse("scoring:version-retire", args=[t.pk, 1]), {"reason": ""})
    version.refresh_from_db()
    assert version.status == "published"  # a reason is required
    client.post(reverse("scoring:version-retire", args=[t.pk, 1]), {"reason": "停用"})
    version.refresh_from_db()
    assert version.status == "retired"


# --- assessments ---------------------------------------------------------------------------------


def test_assessment_pages_scope(
    client_for: Any, owner: Any, colleague: Any, outsider: Any, nobody: Any, risk_manager: Any, assessment: Any
) -> None:
    detail = reverse("scoring:assessment-detail", args=[assessment.pk])
    assert client_for(nobody).get(detail).status_code == 403
    assert client_for(outsider).get(detail).status_code == 404  # another department's customer
    for user in (owner, risk_manager):
        response = client_for(user).get(detail)
        assert response.status_code == 200
    listing = reverse("scoring:assessment-list")
    assert client_for(nobody).get(listing).status_code == 403
    assert "长沙金禾" in client_for(owner).get(listing).content.decode()
    assert "长沙金禾" not in client_for(outsider).get(listing).content.decode()


def test_assessment_page_shows_breakdown_chart_and_adjust_only_for_risk(
    client_for: Any, owner: Any, risk_manager: Any, assessment: Any
) -> None:
    detail = reverse("scoring:assessment-detail", args=[assessment.pk])
    body = client_for(owner).get(detail).content.decode()
    assert 'data-testid="breakdown-table"' in body and 'data-testid="assessment-chart"' in body
    assert f'id="scoring-chart-{assessment.pk}-data"' in body and "vendor/echarts/echarts.min.js" in body
    assert "60.00%" in body  # debt-to-asset shown as a percentage
    assert 'data-testid="adjust-mgmt"' not in body
    body = client_for(risk_manager).get(detail).content.decode()
    assert 'data-testid="adjust-mgmt"' in body and 'data-testid="adjust-debt"' not in body


def test_adjust_page(client_for: Any, owner: Any, outsider: Any, risk_manager: Any, assessment: Any) -> None:
    url = reverse("scoring:assessment-adjust", args=[assessment.pk, "mgmt"])
    assert client_for(owner).get(url).status_code == 403
    assert client_for(risk_manager).get(url).status_code == 200
    response = client_for(risk_manager).post(url, {"new_answer": "gt10", "reason": ""})
    assert response.status_code == 200 and not Adjustment.objects.exists()
    mark = audit_mark()
    response = client_for(risk_manager).post(url, {"new_answer": "gt10", "reason": "现场核实"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.total_score == D("68.00") and assessment.grade == "BB"  # no credit report: 18 + 0 + 30 + 20
    assert_one_event("scoring.assessment_adjusted", since=mark, actor_id=risk_manager.pk)
    body = client_for(owner).get(reverse("scoring:assessment-detail", args=[assessment.pk])).content.decode()
    assert "现场核实" in body and "5至10年 → 10年以上" in body  # the answers' texts, not their codes
    # non-qualitative factor: back to the page, nothing changed
    assert client_for(risk_manager).get(reverse("scoring:assessment-adjust", args=[assessment.pk, "debt"])).status_code == 302


def test_run_pages(client_for: Any, owner: Any, outsider: Any, nobody: Any, dept_head: Any, customer: Any, version: Any) -> None:
    start = reverse("scoring:run-start")
    run = reverse("scoring:run-customer", args=[customer.pk])
    for user in (nobody, dept_head):
        assert client_for(user).get(start).status_code == 403
        assert client_for(user).get(run).status_code == 403
    assert client_for(outsider).get(run).status_code == 404
    client = client_for(owner)
    assert "长沙金禾" in client.get(start).content.decode()
    assert client.get(start, {"customer": customer.pk}).status_code == 302
    body = client.get(run).content.decode()
    assert "实际控制人从业经验" in body and 'name="coverage"' in body
    response = client.post(run, {"version": version.pk, "answer_mgmt": "gt10", "coverage": "120"})
    assert response.status_code == 302
    a = Assessment.objects.get()
    assert a.inputs["coverage"] == "1.2" and a.inputs["answers"] == {"mgmt": "gt10"}
    assert a.subject_type.model == "customer" and a.created_by == owner
    response = client.post(run, {"version": version.pk, "coverage": "-5"})
    assert response.status_code == 200 and Assessment.objects.count() == 1


def test_run_page_without_scorecard(client_for: Any, owner: Any) -> None:
    from danbao.customers.tests.extras_support import customer as make

    farmer = make(owner, "张三", kind="farmer")
    body = client_for(owner).get(reverse("scoring:run-customer", args=[farmer.pk])).content.decode()
    assert 'data-testid="no-scorecard"' in body


def test_assessment_list_query_budget(client_for: Any, owner: Any, customer: Any, version: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(5):
        assessment_run(actor=owner, subject=customer, customer=customer, template_version=version, answers={}, coverage=None, on=DAY)
    client = client_for(owner)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("scoring:assessment-list")).status_code == 200


def test_customer_360_tab(client_for: Any, owner: Any, assessment: Any, customer: Any) -> None:
    url = reverse("customers:customer-detail", args=[customer.pk])
    body = client_for(owner).get(url).content.decode()
    assert 'data-testid="tab-assessments"' in body and 'data-testid="assessment-panel"' in body
    assert 'data-testid="tab-run"' in body
