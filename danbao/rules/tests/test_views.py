"""Rule pages: catalogue, detail, edit, parameter, trial (nothing stored), evaluations (scoped by customer)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse

from danbao.customers.tests.extras_support import customer
from danbao.rules.models import Evaluation, Rule
from danbao.rules.services import rules_evaluate
from danbao.rules.tests.support import make_input, product_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


@pytest.mark.parametrize("who", ["owner", "risk_manager", "dept_head", "gm"])
def test_catalogue_and_detail_for_viewers(who: str, request: Any, client_for: Any) -> None:
    client = client_for(request.getfixturevalue(who))
    html = client.get(reverse("rules:rule-list")).content.decode()
    assert "PRD_AMOUNT_MAX" in html and "禁止" in html
    rule = Rule.objects.get(code="POLICY_FEE_CAP")
    detail = client.get(reverse("rules:rule-detail", args=[rule.pk])).content.decode()
    assert "gov_fee_cap_le_5m" in detail and "0.01" in detail and "国办发〔2019〕6号" in detail


@pytest.mark.parametrize("who", ["nobody", "sysadmin", "secadmin"])
def test_pages_refused_without_permission(who: str, request: Any, client_for: Any) -> None:
    client = client_for(request.getfixturevalue(who))
    rule = Rule.objects.first()
    for url in (
        reverse("rules:rule-list"),
        reverse("rules:rule-detail", args=[rule.pk]),
        reverse("rules:trial"),
        reverse("rules:evaluation-list"),
    ):
        assert client.get(url).status_code == 403


def test_missing_rule_and_evaluation_are_404(client_for: Any, owner: Any) -> None:
    client = client_for(owner)
    assert client.get(reverse("rules:rule-detail", args=[9999])).status_code == 404
    assert client.get(reverse("rules:evaluation-detail", args=[9999])).status_code == 404


def test_edit_only_for_managers_and_writes_history(client_for: Any, gm: Any, risk_manager: Any) -> None:
    rule = Rule.objects.get(code="PRD_AMOUNT_MIN")
    url = reverse("rules:rule-edit", args=[rule.pk])
    assert client_for(risk_manager).get(url).status_code == 403
    client = client_for(gm)
    assert client.get(url).status_code == 200
    data = {
        "name": rule.name,
        "reason_zh": rule.reason_zh,
        "reason_en": rule.reason_en,
        "severity": "warn",
        "stages": ["intake", "pre_approval"],
        "all_products": "on",
        "active": "on",
        "reason": "试行",
        "version": rule.version,
    }
    assert client.post(url, dict(data, reason="")).status_code == 200
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.severity == "warn" and rule.version == 2 and rule.stages == ["intake", "pre_approval"]
    detail = client.get(reverse("rules:rule-detail", args=[rule.pk])).content.decode()
    assert "试行" in detail and "v2" in detail
    stale = client.post(url, dict(data, version=1, severity="block"))
    assert "已被他人修改" in stale.content.decode()


def test_parameter_add_page(client_for: Any, gm: Any, owner: Any) -> None:
    rule = Rule.objects.get(code="GOV_SINGLE_MAX")
    url = reverse("rules:rule-parameter-add", args=[rule.pk])
    assert client_for(owner).get(url).status_code == 403
    client = client_for(gm)
    assert client.get(url).status_code == 200
    response = client.post(url, {"key": "max", "value": "8000000", "valid_from": "2026-07-01", "note": "省政策", "reason": "从严"})
    assert response.status_code == 302
    assert rule.parameters.get().value == 8000000
    # A rule without parameters has no parameter page.
    plain = Rule.objects.get(code="PRD_AMOUNT_MIN")
    assert client.get(reverse("rules:rule-parameter-add", args=[plain.pk])).status_code == 404


def test_trial_shows_block_hit_in_chinese_and_stores_nothing(client_for: Any, owner: Any) -> None:
    version = product_version()
    client = client_for(owner)
    assert client.get(reverse("rules:trial")).status_code == 200
    data = {
        "stage": "pre_approval",
        "on": "2026-06-01",
        "product": version.product_id,
        "customer_kind": "enterprise",
        "amount": "6000000",
        "term_months": "12",
        "fee_rate": "0.8",
    }
    html = client.post(reverse("rules:trial"), data).content.decode()
    assert "担保金额 6,000,000.00 元超过产品上限 5,000,000.00 元" in html and "禁止办理" in html
    assert not Evaluation.objects.exists()


def test_trial_refuses_a_customer_out_of_scope(client_for: Any, owner: Any, outsider: Any) -> None:
    version = product_version()
    other = customer(outsider, "外部门客户有限公司")
    data = {"stage": "intake", "on": "2026-06-01", "product": version.product_id, "customer": other.pk, "amount": "1000000"}
    response = client_for(owner).post(reverse("rules:trial"), data)
    # The picker offers only customers in the user's scope: a guessed id is an invalid choice, nothing is evaluated.
    assert response.status_code == 200
    assert "customer" in response.context["form"].errors
    assert response.context["result"] is None
    assert "外部门客户有限公司" not in response.content.decode()


def test_evaluation_detail_scoped_by_customer(client_for: Any, owner: Any, outsider: Any, risk_manager: Any) -> None:
    version = product_version()
    c = customer(owner, "本部门客户有限公司")
    evaluation = rules_evaluate(subject=c, rule_input=make_input(version, customer=c, amount=D("1")), actor=owner).evaluation
    url = reverse("rules:evaluation-detail", args=[evaluation.pk])
    html = client_for(owner).get(url).content.decode()
    assert "担保金额 1.00 元低于产品下限 100,000.00 元" in html and "PRD_AMOUNT_MIN" in html
    assert client_for(risk_manager).get(url).status_code == 200  # all-data scope
    assert client_for(outsider).get(url).status_code == 404
    listing = client_for(outsider).get(reverse("rules:evaluation-list")).content.decode()
    assert "本部门客户有限公司" not in listing
    assert "本部门客户有限公司" in client_for(owner).get(reverse("rules:evaluation-list")).content.decode()


def test_catalogue_partial_query_budget(client_for: Any, gm: Any, django_assert_max_num_queries: Any) -> None:
    client = client_for(gm)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("rules:rule-list"), {"severity": "block"}, headers={"HX-Request": "true", "HX-Target": "list-region"})
    html = response.content.decode()
    assert "PRD_AMOUNT_MAX" in html and "GOV_SINGLE_MAX" not in html
