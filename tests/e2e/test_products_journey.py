"""Issue 4 journey: the general manager edits a product (a new version is drafted, saved and
published), sees the difference between the versions, then runs a trial rule evaluation that
produces a blocking hit with its Chinese reason — and nothing is stored."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _seed() -> None:
    from danbao.org.demo import seed as org_seed
    from danbao.products.demo import seed as products_seed
    from danbao.rules.services import rules_ensure
    from danbao.system.demo import seed as system_seed

    org_seed()
    system_seed()
    products_seed()
    rules_ensure()


def test_gm_edits_product_sees_diff_and_trial_blocks(login, page, live_server, shot, transactional_db) -> None:
    from danbao.products.models import Product
    from danbao.rules.models import Evaluation

    _seed()
    page.set_viewport_size({"width": 1400, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())  # the publish button asks for confirmation
    login("gm")

    page.goto(f"{live_server.url}/products/")
    expect(page.get_by_test_id("list-table")).to_contain_text("小微企业流动资金贷款担保")
    shot("products-catalogue")
    page.get_by_role("link", name="科技贷担保").first.click()
    expect(page.get_by_test_id("shown-version")).to_contain_text("第 1 版")
    expect(page.get_by_test_id("term-fee_rate_default")).to_have_text("1%")

    # Edit: a new draft version (v2) copied from v1.
    page.get_by_test_id("product-edit").click()
    expect(page.get_by_test_id("product-form")).to_be_visible()
    page.fill("input[name=fee_rate_default]", "0.9")
    page.fill("input[name=term_max_months]", "24")
    page.fill("input[name=change_note]", "降费：默认费率下调至0.9%，期限放宽至24个月")
    shot("product-draft-form")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("shown-version")).to_contain_text("第 2 版")
    expect(page.get_by_test_id("term-fee_rate_default")).to_have_text("0.9%")

    page.get_by_test_id("product-publish").click()
    expect(page.locator(".alert-success")).to_contain_text("第 2 版已发布")
    product = Product.objects.get(code="KJ-KJD")
    assert list(product.versions.order_by("number").values_list("status", flat=True)) == ["published", "published"]
    assert str(product.versions.get(number=1).fee_rate_default) == "0.010000"  # v1 unchanged for existing projects

    # The version difference.
    page.locator("select[name=a]").select_option("1")
    page.locator("select[name=b]").select_option("2")
    page.get_by_test_id("diff-submit").click()
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("版本差异 v1 → v2")
    expect(page.get_by_test_id("diff-fee_rate_default")).to_contain_text("0.9%")
    expect(page.get_by_test_id("diff-term_max_months")).to_contain_text("24")
    shot("product-version-diff")

    # Trial evaluation: 1200万 is above the product's 1000万 maximum → a blocking hit in Chinese.
    page.goto(f"{live_server.url}/rules/trial/")
    page.locator("select[name=stage]").select_option("pre_approval")
    page.locator("select[name=product]").select_option(str(product.pk))
    page.locator("select[name=customer_kind]").select_option("enterprise")
    page.fill("input[name=amount]", "12000000")
    page.fill("input[name=term_months]", "12")
    page.fill("input[name=fee_rate]", "1")
    page.get_by_test_id("trial-run").click()
    expect(page.get_by_test_id("trial-blocked")).to_contain_text("禁止办理")
    hit = page.get_by_test_id("hit-PRD_AMOUNT_MAX")
    expect(hit).to_contain_text("禁止")
    expect(hit).to_contain_text("担保金额 12,000,000.00 元超过产品上限 10,000,000.00 元")
    shot("rule-trial-block")
    assert not Evaluation.objects.exists()

    # The catalogue shows the rule with its severity and stages.
    page.goto(f"{live_server.url}/rules/")
    expect(page.get_by_test_id("list-table")).to_contain_text("PRD_AMOUNT_MAX")
    shot("rules-catalogue")
