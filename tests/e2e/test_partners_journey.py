"""Issue 4 journey: the general manager sees the partner banks with their credit-line usage bars,
enters an agreement with reversed dates (refused in Chinese, nothing saved), fixes it, and sees the
new branch agreement's usage bar (amber: 84 % of the line used by in-force guarantees)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partners_demo(transactional_db, monkeypatch):
    """The demo organisation, parameters and partners, plus an in-force book with loans of two demo banks."""
    from danbao.core import demo
    from danbao.regulatory import exposures
    from danbao.regulatory.categories import GuaranteeClass

    for step in sorted(demo.steps, key=lambda s: s.order):
        if step.key in ("org", "system", "notifications", "partners"):
            step.run()

    def row(key: str, bank: str, amount: str, party: str) -> exposures.Exposure:
        return exposures.Exposure(
            key=key,
            party_key=key,
            party_name=party,
            guarantee_class=GuaranteeClass.values[0],
            loan_balance=Decimal(amount),
            bank_code=bank,
            channel_code="PARK-CSEDZ",
        )

    book = [
        row("g1", "BCS-XT", "30000000", "湘潭市竹埠港农业发展有限公司"),
        row("g2", "BCS-XT", "12000000", "湘潭县花石镇湘莲专业合作社"),
        row("g3", "ABC-CS", "450000000", "长沙县黄兴镇蔬菜基地"),
    ]
    monkeypatch.setitem(exposures.sources._entries, "e2e-book", lambda on: list(book))


def test_general_manager_creates_an_agreement_and_sees_the_usage_bar(partners_demo, login, page, live_server, shot) -> None:
    from danbao.partners.models import Agreement

    page.set_viewport_size({"width": 1440, "height": 900})
    login("gm")
    page.goto(f"{live_server.url}/partners/")
    expect(page.get_by_test_id("list-table")).to_contain_text("中国农业银行湖南省分行")
    # The ABC head-office line (10亿) carries 4.5亿 of its Changsha branch's loans.
    expect(page.locator("[data-testid=usage-bar][data-level=green]").first).to_be_visible()
    shot("partners-bank-list")

    page.get_by_text("长沙银行湘潭分行").first.click()
    expect(page.get_by_test_id("bank-profile")).to_be_visible()
    page.get_by_test_id("bank-new-agreement").click()
    form = page.get_by_test_id("agreement-form")
    expect(form).to_be_visible()
    page.fill("input[name=number]", "YD-HN-XT-2026")
    page.fill("input[name=title]", "长沙银行湘潭分行银担合作补充协议")
    page.fill("input[name=valid_from]", "2026-12-31")
    page.fill("input[name=valid_to]", "2026-01-01")
    page.fill("input[name=credit_line_amount]", "50000000")
    page.fill("input[name=single_cap_amount]", "5000000")
    page.fill("input[name=bank_share_rate]", "20")
    page.fill("input[name=margin_rate]", "5")
    page.check("input[name=covers_interest]")
    page.fill("input[name=product_codes]", "NDB-GEN")
    page.get_by_test_id("save").click()
    error = page.get_by_test_id("error-valid_to")
    expect(error).to_contain_text("早于生效日")
    shot("partners-agreement-dates-reversed")
    assert not Agreement.objects.filter(number="YD-HN-XT-2026").exists()

    page.fill("input[name=valid_from]", "2026-01-01")
    page.fill("input[name=valid_to]", "2027-12-31")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("agreement-status")).to_contain_text("草稿")
    bar = page.get_by_test_id("agreement-usage").get_by_test_id("usage-bar")
    expect(bar).to_have_attribute("data-level", "amber")
    expect(page.get_by_test_id("usage-percent")).to_have_text("84.0%")
    expect(page.get_by_test_id("usage-available")).to_have_text("8,000,000.00")
    expect(page.get_by_test_id("agreement-terms")).to_contain_text("20%")
    shot("partners-agreement-detail")
    agreement = Agreement.objects.get(number="YD-HN-XT-2026")
    assert agreement.bank.code == "BCS-XT" and agreement.created_by.username == "gm"

    # Maker-checker: the general manager is not offered "put in force" on his own draft.
    expect(page.get_by_test_id("agreement-activate")).to_have_count(0)
    expect(page.get_by_test_id("draft-note")).to_contain_text("双人复核")

    # The chairman, the second holder of the right, puts it in force.
    page.context.clear_cookies()
    login("chairman")
    page.goto(f"{live_server.url}/partners/agreements/{agreement.pk}/")
    page.get_by_test_id("agreement-activate").click()
    expect(page.get_by_test_id("agreement-status")).to_contain_text("生效中")
    shot("partners-agreement-in-force")
    page.goto(f"{live_server.url}/partners/banks/{agreement.bank.pk}/")
    expect(page.get_by_test_id("bank-profile")).to_be_visible()
    expect(page.locator("[data-testid=usage-bar][data-level=amber]")).to_be_visible()
    shot("partners-bank-detail")
