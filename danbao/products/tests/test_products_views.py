"""Product pages: who sees them (403 for no permission, 404 for a missing product), the catalogue
with filters and htmx partial, create/edit/publish through the form, diff, suspend."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from danbao.products.models import Product
from danbao.products.tests.support import published

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("params")]


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "XW-2",
        "name": "小微企业续贷担保",
        "business_type": "loan",
        "guarantee_class": "loan",
        "loan_kind": "small_micro",
        "is_policy": "on",
        "effective_from": "2025-03-01",
        "customer_kinds": ["enterprise", "individual_business"],
        "amount_min": "100000",
        "amount_max": "5000000",
        "term_min_months": "3",
        "term_max_months": "12",
        "industries": ["A"],
        "regions": ["430000"],
        "fee_rate_min": "0.5",
        "fee_rate_max": "1",
        "fee_rate_default": "0.8",
        "fee_basis": "annual",
        "review_fee_amount": "0",
        "margin_ratio": "0",
        "bank_share": "20",
        "reguarantor_share": "20",
        "fund_share": "20",
        "gov_pool_share": "0",
        "monitor_01": "90",
        "monitor_02": "30",
        "materials_enterprise": "营业执照\n财务报表\n租赁合同（可选）",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["owner", "risk_manager", "dept_head", "gm"])
def test_catalogue_visible_to_business_roles(who: str, request: Any, client_for: Any) -> None:
    published(code="A-1", name="甲产品")
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("products:product-list"))
    assert response.status_code == 200
    assert "甲产品" in response.content.decode()


@pytest.mark.parametrize("who", ["nobody", "sysadmin", "auditadmin"])
def test_catalogue_refused_without_permission(who: str, request: Any, client_for: Any) -> None:
    product = published()
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("products:product-list")).status_code == 403
    assert client.get(reverse("products:product-detail", args=[product.pk])).status_code == 403


def test_catalogue_filters_and_htmx_partial(client_for: Any, gm: Any, django_assert_max_num_queries: Any) -> None:
    published(code="A-1", name="甲产品", is_policy=True)
    published(code="B-1", name="乙保函", business_type="bid", guarantee_class="non_financing")
    client = client_for(gm)
    html = client.get(reverse("products:product-list"), {"type": "bid"}).content.decode()
    assert "乙保函" in html and "甲产品" not in html
    html = client.get(reverse("products:product-list"), {"policy": "True"}).content.decode()
    assert "甲产品" in html and "乙保函" not in html
    with django_assert_max_num_queries(20):
        partial = client.get(reverse("products:product-list"), headers={"HX-Request": "true", "HX-Target": "list-region"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_export_needs_export_permission(client_for: Any, gm: Any, owner: Any) -> None:
    published()
    assert client_for(gm).get(reverse("products:product-list"), {"export": "xlsx"}).status_code == 200
    assert client_for(owner).get(reverse("products:product-list"), {"export": "xlsx"}).status_code == 403


def test_missing_product_is_404(client_for: Any, owner: Any) -> None:
    assert client_for(owner).get(reverse("products:product-detail", args=[999])).status_code == 404


def test_create_through_the_form_then_publish(client_for: Any, gm: Any) -> None:
    client = client_for(gm)
    assert client.get(reverse("products:product-create")).status_code == 200
    response = client.post(reverse("products:product-create"), _form())
    product = Product.objects.get(code="XW-2")
    assert response.status_code == 302
    version = product.versions.get()
    assert str(version.fee_rate_default) == "0.008000" and version.monitoring_days == {"01": 90, "02": 30}
    assert [(m.name, m.required) for m in version.materials.all()] == [("营业执照", True), ("财务报表", True), ("租赁合同", False)]
    response = client.post(reverse("products:product-publish", args=[product.pk, 1]))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == "active"
    detail = client.get(reverse("products:product-detail", args=[product.pk])).content.decode()
    assert "0.8%" in detail and "今日有效" in detail


def test_bad_form_shows_chinese_message_and_saves_nothing(client_for: Any, gm: Any) -> None:
    response = client_for(gm).post(reverse("products:product-create"), _form(fee_rate_default="2"))
    assert response.status_code == 200
    assert "默认费率 2% 须在费率区间 0.5% – 1% 之内" in response.content.decode()
    assert not Product.objects.exists()


def test_policy_cap_refusal_at_publish_is_shown(client_for: Any, gm: Any) -> None:
    client = client_for(gm)
    client.post(reverse("products:product-create"), _form(fee_rate_max="1.2", fee_rate_default="1"))
    product = Product.objects.get(code="XW-2")
    response = client.post(reverse("products:product-publish", args=[product.pk, 1]), follow=True)
    assert "国办发〔2019〕6号" in response.content.decode()
    assert product.versions.get().status == "draft"


def test_edit_makes_new_version_and_diff(client_for: Any, gm: Any) -> None:
    product = published(gm, code="E-1", name="编辑产品")
    client = client_for(gm)
    assert client.post(reverse("products:product-draft-open", args=[product.pk])).status_code == 302
    form = client.get(reverse("products:product-draft", args=[product.pk]))
    assert form.status_code == 200
    data = _form(name="编辑产品", fee_rate_default="0.6", industries=[], regions=[], is_policy="")
    data.pop("code")
    response = client.post(reverse("products:product-draft", args=[product.pk]), data)
    assert response.status_code == 302
    client.post(reverse("products:product-publish", args=[product.pk, 2]))
    html = client.get(reverse("products:product-detail", args=[product.pk]), {"a": 1, "b": 2}).content.decode()
    assert 'data-testid="diff-fee_rate_default"' in html and "0.6%" in html


def test_draft_open_refused_for_viewers(client_for: Any, owner: Any) -> None:
    product = published()
    client = client_for(owner)
    assert client.post(reverse("products:product-draft-open", args=[product.pk])).status_code == 403
    assert client.get(reverse("products:product-draft", args=[product.pk])).status_code == 403
    assert client.post(reverse("products:product-publish", args=[product.pk, 1])).status_code == 403
    assert client.get(reverse("products:product-status", args=[product.pk, "suspend"])).status_code == 403


def test_suspend_with_reason(client_for: Any, gm: Any) -> None:
    product = published()
    client = client_for(gm)
    url = reverse("products:product-status", args=[product.pk, "suspend"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    response = client.post(url, {"reason": "合作银行暂停放款"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == "suspended" and product.status_reason == "合作银行暂停放款"


def test_status_buttons_follow_the_lifecycle(client_for: Any, gm: Any) -> None:
    from danbao.products.services import product_create
    from danbao.products.tests.support import terms

    draft = product_create(actor=gm, code="DR", name="草稿产品", terms=terms())
    html = client_for(gm).get(reverse("products:product-detail", args=[draft.pk])).content.decode()
    assert 'data-testid="status-retire"' in html and 'data-testid="status-resume"' not in html
    assert 'data-testid="product-publish"' in html
    active = published(code="AC")
    html = client_for(gm).get(reverse("products:product-detail", args=[active.pk])).content.decode()
    assert 'data-testid="status-suspend"' in html and 'data-testid="status-resume"' not in html
