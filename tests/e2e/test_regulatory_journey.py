"""Issue 4 journey (regulatory): finance enters a month (a negative figure is refused in Chinese and
nothing saved), the general manager reads the metrics (no in-force guarantees yet: limits from net
assets), a business manager tests a proposed guarantee against the concentration limit."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_finance_month_metrics_and_what_if(login, page, live_server, shot, transactional_db) -> None:
    from django.utils import timezone

    from danbao.customers.tests.customers_support import make_customer
    from danbao.org.demo import seed as seed_org
    from danbao.org.models import User
    from danbao.regulatory.models import FinanceInput
    from danbao.system.seeds import ensure_parameters

    seed_org()
    ensure_parameters()
    month = timezone.localdate().replace(day=1)
    previous = (month.replace(year=month.year - 1, month=12) if month.month == 1 else month.replace(month=month.month - 1)).strftime(
        "%Y-%m"
    )

    login("finance")
    page.goto(f"{live_server.url}/regulatory/inputs/new/")
    page.fill("input[name=period]", previous)
    page.fill("input[name=net_assets_amount]", "-1")
    page.fill("input[name=total_assets_amount]", "900000000")
    page.get_by_test_id("save").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("不得为负数")
    shot("regulatory-input-refused")
    assert FinanceInput.objects.count() == 0
    page.fill("input[name=net_assets_amount]", "600000000")
    page.fill("input[name=cash_and_deposits_amount]", "500000000")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("history")).to_be_visible()
    assert FinanceInput.objects.get().net_assets_amount == 600_000_000

    page.context.clear_cookies()
    login("gm")
    page.goto(f"{live_server.url}/regulatory/")
    expect(page.get_by_test_id("no-exposures")).to_be_visible()
    expect(page.get_by_test_id("net-assets")).to_contain_text("60,000.00")
    expect(page.get_by_test_id("leverage")).to_contain_text("600,000.00")
    expect(page.get_by_test_id("choice-threshold_basis")).to_contain_text("本公司承担份额")
    shot("regulatory-metrics")

    manager = User.objects.get(username="manager")
    customer = make_customer(manager, name="长沙市金禾农业科技有限公司")
    page.context.clear_cookies()
    login("manager")
    page.goto(f"{live_server.url}/regulatory/what-if/")
    page.locator("select[name=customer]").select_option(str(customer.pk))
    page.fill("input[name=amount]", "70000000")
    page.get_by_test_id("run").click()
    expect(page.get_by_test_id("breach-single")).to_contain_text("条例第十六条")
    expect(page.get_by_test_id("cmp-single")).to_contain_text("11.67%")
    shot("regulatory-what-if")
