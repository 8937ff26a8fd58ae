"""Issue 7 counter-guarantees (browser): the A-role business manager of an approved project sees the
approval's requirements, records a mortgage by a third party, registers a house (owner, first
appraisal) from the measure page, links it with an allocated value, records the registration; the
page says exactly what is missing; after the contract is signed and evidence uploaded the measure is
put in place and the coverage turns green. A revaluation proposed by the manager is confirmed by the
risk manager (maker-checker). Phone-width screenshots of the forms."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=30_000)

RIC = "11010519491231002X"


def _approved_project():  # type: ignore[no-untyped-def]
    """The same approved project as the contracts journey, with counter-guarantee requirements."""
    from tests.e2e.test_contracts_journey import _approved_project as approved

    project = approved()
    terms = project.terms.filter(effective_at__isnull=False).order_by("-sequence").first()
    terms.counter_guarantees = "实际控制人连带责任保证\n房产抵押"
    terms.save(update_fields=["counter_guarantees"])
    return project


def test_manager_puts_a_mortgage_in_place(login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.securities.models import Collateral, Measure
    from danbao.securities.services import ensure_setup
    from danbao.securities.tests.support import add_evidence, sign_contract

    project = _approved_project()
    ensure_setup()
    page.set_default_timeout(30_000)
    login("manager")
    page.goto(f"{live_server.url}/securities/project/{project.pk}/")
    expect(page.get_by_test_id("sec-requirements")).to_contain_text("房产抵押")
    expect(page.get_by_test_id("sec-readiness")).to_contain_text("尚未登记任何措施")
    shot("securities-project-empty")

    # A mortgage by a third party (the actual controller), for the requirement line.
    page.get_by_test_id("sec-requirements").get_by_role("link").nth(1).click()
    form = page.get_by_test_id("sec-measure-form")
    form.locator("select[name=kind]").select_option("mortgage")
    form.locator("input[name=provider_source][value=third]").check()
    form.locator("input[name=provider_name]").fill("张三")
    form.locator("input[name=provider_id_code]").fill("110105194912310021")  # wrong check character
    page.get_by_test_id("sec-measure-save").click()
    expect(page.locator(".invalid-feedback, [data-testid=form-errors]").first).to_contain_text("校验码")
    form.locator("input[name=provider_id_code]").fill(RIC)
    page.get_by_test_id("sec-measure-save").click()
    expect(page.get_by_test_id("sec-missing")).to_contain_text("尚未关联抵质押物")
    expect(page.get_by_test_id("sec-masked-id")).to_have_text("110***********002X")
    measure = Measure.objects.get(project=project)
    assert measure.requirement == "房产抵押"

    # Register the house from the measure page (owner, first appraisal) and link it.
    page.get_by_test_id("sec-new-collateral").click()
    page.fill("input[name=name]", "岳麓区梅溪湖小区3栋1201室住宅")
    page.fill("input[name=attr-address]", "长沙市岳麓区梅溪湖小区3栋1201室")
    page.fill("input[name=attr-certificate_no]", "湘(2023)长沙市不动产权第0012345号")
    page.fill("input[name=attr-area]", "128.5")
    page.fill("input[name=owner-name]", "张三")
    page.fill("input[name=owner-id_code]", RIC)
    page.fill("input[name=appraisal-value]", "1500000")
    page.fill("input[name=appraisal-appraiser]", "湖南中联评估有限公司")
    page.fill("input[name=appraisal-appraised_on]", (dt.date.today() - dt.timedelta(days=3)).isoformat())
    page.set_viewport_size({"width": 390, "height": 844})
    shot("securities-collateral-form-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_test_id("col-save").click()
    collateral = Collateral.objects.get()
    page.locator("input[name=allocated_value]").fill("1600000")
    page.get_by_test_id("sec-allocate").click()
    expect(page.locator(".alert-danger, .alert").filter(has_text="最多还能分配").first).to_be_visible()
    page.locator("input[name=allocated_value]").fill("1500000")
    page.get_by_test_id("sec-allocate").click()
    expect(page.get_by_test_id("sec-allocation")).to_contain_text("1,500,000.00")
    expect(page.get_by_test_id("sec-missing")).to_contain_text("尚未登记他项权证号")
    expect(page.get_by_test_id("sec-fulfil")).to_be_disabled()
    shot("securities-measure-missing")

    # The registration on the collateral page.
    page.goto(f"{live_server.url}/securities/collateral/{collateral.pk}/")
    page.fill("input[name=reg-registry_office]", "长沙市不动产登记中心")
    page.fill("input[name=reg-certificate_no]", "湘(2026)长沙市不动产证明第0000123号")
    page.fill("input[name=reg-registered_on]", dt.date.today().isoformat())
    page.get_by_test_id("col-registration-save").click()
    expect(page.get_by_test_id("col-registration")).to_contain_text("不动产证明第0000123号")
    expect(page.get_by_test_id("col-project")).to_contain_text(project.number)

    # Contract signed on the contracts page (the contracts journey covers it) and evidence uploaded.
    from danbao.org.models import User

    manager = User.objects.get(username="manager")
    sign_contract(manager, measure)
    add_evidence(manager, measure)
    page.goto(f"{live_server.url}/securities/measure/{measure.pk}/")
    expect(page.get_by_test_id("sec-ready")).to_be_visible()
    page.get_by_test_id("sec-fulfil").click()
    expect(page.get_by_test_id("sec-state").first).to_have_text("已落实")
    page.goto(f"{live_server.url}/securities/project/{project.pk}/")
    # 1,500,000 × 70 % ÷ 800,000 approved = 131.3 %.
    expect(page.get_by_test_id("sec-coverage")).to_contain_text("131.3%")
    expect(page.get_by_test_id("sec-coverage-below")).to_have_count(0)
    shot("securities-project-in-place")

    # Revaluation: proposed by the manager, confirmed by the risk manager.
    page.goto(f"{live_server.url}/securities/collateral/{collateral.pk}/")
    page.locator("#appraisals details summary").click()
    page.fill("input[name=appraisal-value]", "1400000")
    page.fill("input[name=appraisal-appraiser]", "湖南中联评估有限公司")
    page.fill("input[name=appraisal-appraised_on]", dt.date.today().isoformat())
    page.get_by_test_id("col-appraisal-save").click()
    expect(page.get_by_test_id("col-proposed")).to_contain_text("须由他人确认")
    page.context.clear_cookies()
    login("risk")
    page.goto(f"{live_server.url}/securities/collateral/{collateral.pk}/")
    expect(page.get_by_test_id("col-proposed")).to_be_visible()
    shot("securities-collateral-revaluation")
    page.get_by_test_id("col-confirm").click()
    expect(page.get_by_test_id("col-value")).to_contain_text("1,400,000.00")
    page.goto(f"{live_server.url}/securities/collateral/")
    expect(page.locator("table")).to_contain_text(collateral.number)
    expect(page.locator("body")).not_to_contain_text(RIC)
    shot("securities-collateral-register")
