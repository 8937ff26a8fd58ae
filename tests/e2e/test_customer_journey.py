"""Issue 3 journey: an invalid credit code is refused with a clear message and nothing is saved; the
manager fixes it, adds an annual statement, and sees the ratios and the related-party graph."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _valid_uscc(body17: str) -> str:
    from danbao.customers.identity import uscc_check_char

    return body17 + uscc_check_char(body17)


def _pick(page, name: str, value: str) -> None:
    """Choose a value in a searchable (tom-select) picker as a user would end up with."""
    page.evaluate(
        "([n, v]) => { const s = document.querySelector(`select[name=${n}]`); s.tomselect ? s.tomselect.setValue(v) : (s.value = v); }",
        [name, value],
    )


def test_enterprise_with_bad_code_then_statement_ratios_and_graph(login, page, live_server, shot, transactional_db) -> None:
    from danbao.core.crypto import blind_index
    from danbao.customers.models import Customer
    from danbao.org.demo import seed

    seed()
    login("manager")
    page.goto(f"{live_server.url}/customers/new/?kind=enterprise")
    expect(page.get_by_test_id("customer-form")).to_be_visible()
    good = _valid_uscc("91430100MA4L00001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    page.fill("input[name=name]", "长沙浏阳河农业科技有限公司")
    page.fill("input[name=identity_code]", bad)
    page.fill("input[name=legal_rep_name]", "张建国")
    industry = page.locator("select[name=industry_code] option").nth(1).get_attribute("value")
    region = page.locator("select[name=region_code] option").nth(1).get_attribute("value")
    _pick(page, "industry_code", industry)
    _pick(page, "region_code", region)
    page.get_by_test_id("save").click()
    error = page.locator(".invalid-feedback").first
    expect(error).to_be_visible()
    expect(error).to_contain_text("校验")
    shot("customer-bad-code")
    assert not Customer.objects.filter(name="长沙浏阳河农业科技有限公司").exists()

    page.fill("input[name=identity_code]", good)
    _pick(page, "industry_code", industry)
    _pick(page, "region_code", region)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("customer-profile")).to_be_visible()
    customer = Customer.objects.get(identity_index=blind_index(good))

    page.goto(f"{live_server.url}/customers/{customer.pk}/statements/new/")
    page.locator("select[name=period_type]").select_option("annual")
    page.fill("input[name=period_end]", "2025-12-31")
    figures = {
        "cash_amount": "500000",
        "accounts_receivable_amount": "800000",
        "inventory_amount": "700000",
        "current_assets_amount": "2000000",
        "total_assets_amount": "5000000",
        "current_liabilities_amount": "1000000",
        "total_liabilities_amount": "3000000",
        "equity_amount": "2000000",
        "revenue_amount": "8000000",
        "cost_of_sales_amount": "6000000",
        "net_profit_amount": "400000",
        "interest_expense_amount": "100000",
        "profit_before_tax_amount": "500000",
        "operating_cash_flow_amount": "600000",
    }
    for field, value in figures.items():
        page.fill(f"input[name={field}]", value)
    shot("statement-form")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(rf"/customers/{customer.pk}/"))

    page.get_by_test_id("tab-link-financials").click()
    expect(page.get_by_test_id("ratio-table")).to_be_visible()
    expect(page.get_by_test_id("ratio-debt_to_asset")).to_contain_text("60")  # 3,000,000 / 5,000,000
    expect(page.get_by_test_id("ratio-chart")).to_be_visible()
    shot("customer-ratios")

    page.get_by_test_id("tab-link-relations").click()
    expect(page.get_by_test_id("customer-graph")).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=customer-graph] canvas') !== null")
    shot("customer-graph")
