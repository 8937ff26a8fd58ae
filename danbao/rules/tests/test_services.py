"""Evaluation storage and explanation, catalogue changes with versions and history, dated rule parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.customers.tests.extras_support import customer
from danbao.rules.models import Evaluation, Rule
from danbao.rules.services import rule_parameter_add, rule_update, rules_ensure, rules_evaluate, rules_trial
from danbao.rules.tests.support import make_input, product_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def _update(rule: Rule, actor: Any, **kw: Any) -> Rule:
    data = dict(
        expected_version=rule.version,
        reason="调整",
        name=rule.name,
        reason_zh=rule.reason_zh,
        reason_en=rule.reason_en,
        severity=rule.severity,
        stages=rule.stages,
        all_products=rule.all_products,
        product_codes=rule.product_codes,
        active=rule.active,
    )
    data.update(kw)
    return rule_update(actor=actor, rule=rule, **data)


def test_ensure_is_idempotent() -> None:
    count = Rule.objects.count()
    assert count >= 17
    assert rules_ensure() == 0 and Rule.objects.count() == count


def test_evaluate_stores_inputs_versions_parameters_and_hits(owner: Any) -> None:
    version = product_version(is_policy=True, amount_max=D("10000000"), fee_rate_max=D("0.015"))
    c = customer(owner)
    mark = audit_mark()
    result = rules_evaluate(subject=c, rule_input=make_input(version, customer=c, amount=D("20000000"), fee_rate=D("0.02")), actor=owner)
    evaluation = result.evaluation
    assert isinstance(evaluation, Evaluation) and evaluation.subject == c
    assert result.blocked and evaluation.blocked and evaluation.needs_approval
    codes = [h["code"] for h in result.hits]
    assert {"PRD_AMOUNT_MAX", "FEE_IN_RANGE", "POLICY_FEE_CAP", "GOV_SINGLE_MAX"} <= set(codes)
    assert result.hits[0]["severity"] == "block"  # blocking hits first
    cap = next(r for r in evaluation.results if r["code"] == "POLICY_FEE_CAP")
    assert cap["rule_version"] == 1 and cap["outcome"] == "hit"
    assert {p["key"]: p["source"] for p in cap["params"]} == {"threshold": "default", "cap_le": "system", "cap_gt": "system"}
    assert next(p for p in cap["params"] if p["key"] == "cap_gt")["value"] == "0.015"
    assert "超过上限 1.5%" in cap["reason_zh"] and "20,000,000.00" in cap["reason_zh"]
    assert evaluation.inputs["customer"]["id"] == c.pk and evaluation.inputs["product"]["version"] == 1
    assert evaluation.inputs["amount"] == "20000000"
    assert_one_event("rule.evaluated", since=mark, actor_id=owner.pk, object_id=str(evaluation.pk))


def test_evaluation_is_append_only(owner: Any) -> None:
    version = product_version()
    evaluation = rules_evaluate(subject=None, rule_input=make_input(version), actor=owner).evaluation
    assert evaluation is not None and not evaluation.blocked
    with pytest.raises(ValueError):
        evaluation.save()
    with pytest.raises(ValueError):
        evaluation.delete()


def test_trial_stores_nothing_and_needs_view(nobody: Any, owner: Any) -> None:
    version = product_version()
    result = rules_trial(actor=owner, rule_input=make_input(version, amount=D("1")))
    assert "PRD_AMOUNT_MIN" in {h["code"] for h in result.hits}
    assert not Evaluation.objects.exists()
    with pytest.raises(DomainError) as exc:
        rules_trial(actor=nobody, rule_input=make_input(version))
    assert exc.value.code == "rules.permission_denied"


def test_stage_and_product_applicability(gm: Any) -> None:
    version = product_version()
    fee_rule = Rule.objects.get(code="FEE_IN_RANGE")
    # The fee rule is not checked at intake by default.
    intake = rules_trial(actor=None, rule_input=make_input(version, stage="intake", fee_rate=D("0.5")))
    assert "FEE_IN_RANGE" not in {r["code"] for r in intake.results}
    _update(fee_rule, gm, all_products=False, product_codes=["T-1"])
    other = product_version(code="T-2")
    assert "FEE_IN_RANGE" in {h["code"] for h in rules_trial(actor=None, rule_input=make_input(version, fee_rate=D("0.5"))).hits}
    assert "FEE_IN_RANGE" not in {r["code"] for r in rules_trial(actor=None, rule_input=make_input(other, fee_rate=D("0.5"))).results}


def test_inactive_rule_is_skipped_and_severity_change_recorded(gm: Any) -> None:
    version = product_version()
    rule = Rule.objects.get(code="PRD_AMOUNT_MIN")
    mark = audit_mark()
    rule = _update(rule, gm, severity="warn", reason="试行期间仅提示")
    assert rule.version == 2 and rule.history.count() == 2
    assert_one_event("rule.updated", since=mark, actor_id=gm.pk, data={"code": "PRD_AMOUNT_MIN"})
    result = rules_trial(actor=None, rule_input=make_input(version, amount=D("1")))
    hit = next(h for h in result.hits if h["code"] == "PRD_AMOUNT_MIN")
    assert hit["severity"] == "warn" and hit["rule_version"] == 2 and not result.blocked
    rule = _update(rule, gm, active=False)
    assert "PRD_AMOUNT_MIN" not in {r["code"] for r in rules_trial(actor=None, rule_input=make_input(version, amount=D("1"))).results}


def test_rule_update_refusals(gm: Any, owner: Any) -> None:
    rule = Rule.objects.get(code="PRD_AMOUNT_MIN")
    cases = [
        (owner, {}, "rules.permission_denied"),
        (gm, {"reason": " "}, "rules.reason_required"),
        (gm, {"expected_version": 9}, "rules.stale"),
        (gm, {"stages": ["nonsense"]}, "rules.stages_required"),
        (gm, {"severity": "maybe"}, "rules.severity_invalid"),
        (gm, {"reason_zh": ""}, "rules.text_required"),
        (gm, {"all_products": False, "product_codes": []}, "rules.products_required"),
        (gm, {"all_products": False, "product_codes": ["NOPE"]}, "rules.product_unknown"),
    ]
    mark = audit_mark()
    for actor, changes, code in cases:
        with pytest.raises(DomainError) as exc:
            _update(rule, actor, **changes)
        assert exc.value.code == code
    rule.refresh_from_db()
    assert rule.version == 1
    assert_no_event("rule.updated", since=mark)


def test_rule_parameter_overrides_system_value_from_its_date(gm: Any) -> None:
    version = product_version(is_policy=True, fee_rate_max=D("0.01"))
    rule = Rule.objects.get(code="POLICY_FEE_CAP")
    mark = audit_mark()
    rule_parameter_add(actor=gm, rule=rule, key="cap_le", value_text="0.8", valid_from=date(2026, 7, 1), note="省级文件", reason="省内从严")
    assert_one_event("rule.parameter_added", since=mark, actor_id=gm.pk)
    before = make_input(version, on=date(2026, 6, 30), fee_rate=D("0.009"))
    after = make_input(version, on=date(2026, 7, 1), fee_rate=D("0.009"))
    assert "POLICY_FEE_CAP" not in {h["code"] for h in rules_trial(actor=None, rule_input=before).hits}
    hit = next(h for h in rules_trial(actor=None, rule_input=after).hits if h["code"] == "POLICY_FEE_CAP")
    assert {p["key"]: p["source"] for p in hit["params"]}["cap_le"] == "rule" and hit["rule_version"] == 2
    # A later value closes the open-ended one the day before.
    rule.refresh_from_db()
    rule_parameter_add(actor=gm, rule=rule, key="cap_le", value_text="0.9", valid_from=date(2027, 1, 1), reason="再调整")
    first = rule.parameters.get(valid_from=date(2026, 7, 1))
    assert first.valid_to == date(2026, 12, 31)


def test_rule_parameter_refusals(gm: Any) -> None:
    rule = Rule.objects.get(code="POLICY_FEE_CAP")
    rule_parameter_add(
        actor=gm, rule=rule, key="cap_le", value_text="0.8", valid_from=date(2026, 7, 1), valid_to=date(2026, 12, 31), reason="x"
    )
    for kwargs, code in [
        ({"key": "nope"}, "rules.param_unknown"),
        ({"value_text": "abc"}, "rules.param_value"),
        ({"valid_from": date(2026, 8, 1)}, "rules.param_period"),
        ({"reason": ""}, "rules.reason_required"),
    ]:
        data = dict(key="cap_le", value_text="0.7", valid_from=date(2026, 9, 1), reason="y")
        data.update(kwargs)
        with pytest.raises(DomainError) as exc:
            rule_parameter_add(actor=gm, rule=rule, **data)
        assert exc.value.code == code
    assert rule.parameters.count() == 1


def test_missing_parameter_blocks_with_error(gm: Any) -> None:
    from danbao.system.models import Parameter

    version = product_version(is_policy=True)
    Parameter.objects.filter(code="gov_fee_cap_gt_5m").first().versions.all().delete()
    from django.core.cache import cache

    cache.clear()
    result = rules_trial(actor=None, rule_input=make_input(version, fee_rate=D("0.009")))
    error = next(h for h in result.hits if h["code"] == "POLICY_FEE_CAP")
    assert error["outcome"] == "error" and "cap_gt" in error["reason_zh"] and result.blocked


def test_stored_inputs_mask_personal_id_numbers(owner: Any) -> None:
    version = product_version(customer_kinds=["natural_person"])
    person = customer(owner, "张三", kind="natural_person")
    evaluation = rules_evaluate(subject=person, rule_input=make_input(version, customer=person), actor=owner).evaluation
    assert evaluation.inputs["party_key"] != person.identity_code and "*" in evaluation.inputs["party_key"]
    company = customer(owner, "长沙某某有限公司")
    evaluation = rules_evaluate(subject=company, rule_input=make_input(version, customer=company), actor=owner).evaluation
    assert evaluation.inputs["party_key"] == company.identity_code  # credit codes are public registration data
