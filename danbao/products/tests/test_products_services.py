"""Product services: create, draft/publish (immutability, projects keep their version), lifecycle
moves, validation refusals, policy caps, approval bands, audit events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.products import lifecycle
from danbao.products.calculations import own_share, percent, terms_problems
from danbao.products.models import Product, ProductStatus, ProductVersion
from danbao.products.selectors import approval_flow_for, product_version_current, version_diff
from danbao.products.services import (
    APPROVAL_FLOW_TYPE,
    Band,
    MaterialItem,
    product_create,
    product_draft_open,
    product_draft_save,
    product_transition,
    product_version_publish,
)
from danbao.products.tests.support import published, terms
from danbao.workflow.models import FlowDefinition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("params")]


def test_create_makes_a_draft_and_publish_activates(gm: Any) -> None:
    mark = audit_mark()
    product = product_create(actor=gm, code="xw-1", name="小微贷", terms=terms(), materials=[MaterialItem("enterprise", "营业执照")])
    assert product.code == "XW-1" and product.status == ProductStatus.DRAFT
    assert_one_event("product.created", since=mark, actor_id=gm.pk)
    assert product_version_current(product, date(2026, 1, 1)) is None
    version, warnings = product_version_publish(actor=gm, version=product.versions.get())
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE and version.status == "published" and version.published_by == gm
    assert warnings == []
    assert product_version_current(product, date(2026, 1, 1)) == version
    assert product_version_current(product, date(2025, 2, 28)) is None  # before effective_from
    assert_one_event("product.version_published", since=mark, actor_id=gm.pk)


def test_published_version_is_immutable_and_editing_makes_a_new_version(gm: Any) -> None:
    product = published(gm)
    v1 = product.versions.get(number=1)
    with pytest.raises(DomainError) as exc:
        product_draft_save(actor=gm, version=v1, terms={"fee_rate_default": D("0.009")})
    assert exc.value.code == "products.not_draft"
    v1.fee_rate_default = D("0.009")
    with pytest.raises(ValueError):
        v1.save()
    draft = product_draft_open(actor=gm, product=product)
    assert draft.number == 2 and draft.materials.count() == 1
    assert product_draft_open(actor=gm, product=product) == draft  # idempotent
    product_draft_save(actor=gm, version=draft, name="小微贷（降费版）", terms={"fee_rate_default": D("0.006"), "change_note": "降费"})
    product_version_publish(actor=gm, version=draft)
    v1.refresh_from_db()
    assert v1.fee_rate_default == D("0.008")  # what an existing project points at did not move
    product.refresh_from_db()
    assert product.name == "小微贷（降费版）"
    assert product_version_current(product, date(2026, 1, 1)).number == 2
    rows = {r["field"]: r for r in version_diff(v1, ProductVersion.objects.get(pk=draft.pk))}
    assert rows["fee_rate_default"]["old"] == "0.8%" and rows["fee_rate_default"]["new"] == "0.6%"
    assert set(rows) == {"fee_rate_default"}


def test_new_version_dated_later_leaves_old_in_force_until_then(gm: Any) -> None:
    product = published(gm)
    draft = product_draft_open(actor=gm, product=product)
    product_draft_save(actor=gm, version=draft, terms={"effective_from": date(2027, 1, 1)})
    product_version_publish(actor=gm, version=draft)
    assert product_version_current(product, date(2026, 12, 31)).number == 1
    assert product_version_current(product, date(2027, 1, 1)).number == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_min": D("6000000")}, "最低金额"),
        ({"term_min_months": 24}, "期限"),
        ({"fee_rate_default": D("0.02")}, "默认费率"),
        ({"bank_share": D("0.5"), "reguarantor_share": D("0.3"), "fund_share": D("0.2"), "gov_pool_share": D("0.01")}, "101%"),
        ({"customer_kinds": []}, "客户类型"),
        ({"customer_kinds": ["alien"]}, "客户类型"),
        ({"industries": ["ZZ"]}, "ZZ"),
        ({"regions": ["999999"]}, "999999"),
        ({"monitoring_days": {"01": 0}}, "天"),
        ({"effective_to": date(2020, 1, 1)}, "日期"),
    ],
)
def test_invalid_terms_are_refused_in_chinese_and_nothing_saved(gm: Any, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(DomainError) as exc:
        product_create(actor=gm, code="BAD", name="坏产品", terms=terms(**changes))
    assert exc.value.code == "products.invalid"
    assert message in exc.value.message
    assert not Product.objects.filter(code="BAD").exists()


def test_shares_exactly_100_percent_are_accepted(gm: Any) -> None:
    values = terms(bank_share=D("0.2"), reguarantor_share=D("0.2"), fund_share=D("0.2"), gov_pool_share=D("0.4"))
    product = product_create(actor=gm, code="S100", name="全分险", terms=values)
    assert own_share(product.versions.get()) == 0


def test_create_refusals(gm: Any, owner: Any) -> None:
    published(gm, code="DUP")
    for actor, code, name, expected in [
        (owner, "X1", "x", "products.permission_denied"),
        (gm, "", "x", "products.code_required"),
        (gm, "有中文", "x", "products.code_required"),
        (gm, "X2", " ", "products.name_required"),
        (gm, "dup", "x", "products.code_taken"),
    ]:
        with pytest.raises(DomainError) as exc:
            product_create(actor=actor, code=code, name=name, terms=terms())
        assert exc.value.code == expected


@pytest.mark.parametrize(
    ("overrides", "refused"),
    [
        ({"is_policy": True, "fee_rate_max": D("0.01")}, False),  # ≤500万 at exactly 1%
        ({"is_policy": True, "fee_rate_max": D("0.010001")}, True),
        ({"is_policy": True, "amount_max": D("8000000"), "fee_rate_max": D("0.015")}, False),
        ({"is_policy": True, "amount_max": D("8000000"), "fee_rate_max": D("0.015001")}, True),
        ({"is_policy": False, "fee_rate_max": D("0.03")}, False),
    ],
)
def test_policy_fee_caps_at_publish(gm: Any, overrides: dict[str, Any], refused: bool) -> None:
    product = product_create(actor=gm, code="P", name="政策产品", terms=terms(**overrides))
    version = product.versions.get()
    if refused:
        with pytest.raises(DomainError) as exc:
            product_version_publish(actor=gm, version=version)
        assert exc.value.code == "products.policy_cap" and "国办发〔2019〕6号" in exc.value.message
        version.refresh_from_db()
        assert version.status == "draft"
    else:
        product_version_publish(actor=gm, version=version)


def test_policy_warnings_for_wide_band_and_agri_range(gm: Any) -> None:
    product = product_create(
        actor=gm, code="W", name="宽区间", terms=terms(is_policy=True, amount_max=D("12000000"), fee_rate_max=D("0.015"))
    )
    _v, warnings = product_version_publish(actor=gm, version=product.versions.get())
    assert any("500万元" in w for w in warnings) and any("1000万元" in w for w in warnings)
    agri = product_create(
        actor=gm,
        code="NJ",
        name="农担",
        terms=terms(business_type="agri_policy", customer_kinds=["farmer"], amount_min=D("50000"), fee_rate_max=D("0.01")),
    )
    _v, warnings = product_version_publish(actor=gm, version=agri.versions.get())
    assert any("双控" in w for w in warnings) and any("0.8%" in w for w in warnings)
    too_big = product_create(
        actor=gm,
        code="NJ2",
        name="农担大额",
        terms=terms(business_type="agri_policy", customer_kinds=["farmer"], amount_max=D("10000000.01")),
    )
    with pytest.raises(DomainError) as exc:
        product_version_publish(actor=gm, version=too_big.versions.get())
    assert "1000万元" in exc.value.message


def test_lifecycle_moves_and_refusals(gm: Any) -> None:
    product = published(gm)
    mark = audit_mark()
    with pytest.raises(DomainError) as exc:
        product_transition(actor=gm, product=product, target="suspended", reason=" ")
    assert exc.value.code == "products.reason_required"
    product = product_transition(actor=gm, product=product, target="suspended", reason="额度用尽")
    assert product.status == "suspended" and product.status_reason == "额度用尽"
    assert_one_event("product.status_changed", since=mark, data={"before": "active", "after": "suspended"})
    product = product_transition(actor=gm, product=product, target="active", reason="恢复")
    product = product_transition(actor=gm, product=product, target="retired", reason="停办")
    for target in ("active", "suspended"):
        with pytest.raises(DomainError) as exc:
            product_transition(actor=gm, product=product, target=target, reason="x")
        assert exc.value.code == "products.transition"
    with pytest.raises(DomainError) as exc:
        product_draft_open(actor=gm, product=product)
    assert exc.value.code == "products.retired"


def test_draft_product_cannot_be_activated_by_hand(gm: Any) -> None:
    product = product_create(actor=gm, code="D", name="草稿", terms=terms())
    mark = audit_mark()
    with pytest.raises(DomainError):
        product_transition(actor=gm, product=product, target="active", reason="x")
    assert_no_event("product.status_changed", since=mark)


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (
            s,
            t,
            (s, t)
            in {
                ("draft", "active"),
                ("active", "suspended"),
                ("suspended", "active"),
                ("active", "retired"),
                ("suspended", "retired"),
                ("draft", "retired"),
            },
        )
        for s in ProductStatus.values
        for t in ProductStatus.values
        if s != t
    ],
)
def test_transition_table(source: str, target: str, allowed: bool) -> None:
    assert (lifecycle.move_for(source, target) is not None) is allowed


def test_permission_needed_for_every_write(gm: Any, owner: Any) -> None:
    product = published(gm)
    for call in (
        lambda: product_draft_open(actor=owner, product=product),
        lambda: product_transition(actor=owner, product=product, target="suspended", reason="x"),
        lambda: product_version_publish(actor=owner, version=product.versions.get()),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "products.permission_denied"


def test_approval_bands_choose_the_flow_by_amount(gm: Any) -> None:
    small = FlowDefinition.objects.create(code="PA-S", name="部门审批", flow_type=APPROVAL_FLOW_TYPE)
    large = FlowDefinition.objects.create(code="PA-L", name="总经理审批", flow_type=APPROVAL_FLOW_TYPE)
    other = FlowDefinition.objects.create(code="X", name="其他流程", flow_type="other.type")
    bands = [Band(D("1000000"), small), Band(None, large)]
    product = product_create(actor=gm, code="B", name="分档", terms=terms(), bands=bands)
    version = product.versions.get()
    assert approval_flow_for(version, D("1000000")) == small
    assert approval_flow_for(version, D("1000000.01")) == large
    with pytest.raises(DomainError) as exc:
        product_draft_save(actor=gm, version=version, terms={}, bands=[Band(None, other)])
    assert exc.value.code == "products.flow_invalid"
    with pytest.raises(DomainError):
        product_draft_save(actor=gm, version=version, terms={}, bands=[Band(None, small), Band(None, large)])
    only_small = product_create(actor=gm, code="B2", name="仅小额", terms=terms(), bands=[Band(D("1000000"), small)])
    assert approval_flow_for(only_small.versions.get(), D("2000000")) is None


def test_calculation_helpers() -> None:
    assert percent(D("0.015")) == "1.5%" and percent(D("0.01")) == "1%"

    class T:
        amount_min, amount_max, term_min_months, term_max_months = D(1), D(2), 1, 2
        fee_rate_min = fee_rate_default = fee_rate_max = D("0.01")
        bank_share = reguarantor_share = fund_share = gov_pool_share = D("0.25")
        margin_ratio, review_fee_amount, effective_from, effective_to = D(0), D(0), None, None

    assert terms_problems(T()) == []
