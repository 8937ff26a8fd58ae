"""Archive end to end (browser): a withdrawn project's file is archived and borrowed.

The A-role business manager's project was withdrawn after intake (services). The archivist finds it
under 待归档, opens its archive file, ticks the paper application form (original, 6 pages) and the
application materials (copy), gives box and location and archives it. The business manager asks to
borrow the original; the department head approves; the archivist records the hand-over and the return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=30_000)


def _withdrawn_project():  # type: ignore[no-untyped-def]
    from danbao.archive.parameters import ensure_parameters as archive_parameters
    from danbao.archive.services import numbering_ensure
    from danbao.archive.tests.support import attach
    from danbao.customers.tests.customers_support import make_customer
    from danbao.org.models import User
    from danbao.partners.tests.factories import in_force, make_bank
    from danbao.products.services import Band, product_create, product_version_publish
    from danbao.products.tests.support import terms
    from danbao.projects import services as project_services
    from danbao.projects.flows import flows_ensure
    from danbao.rules.services import rules_ensure
    from danbao.system.seeds import ensure_dictionaries, ensure_parameters
    from danbao.workflow.models import FlowDefinition

    ensure_dictionaries()
    ensure_parameters()
    archive_parameters()
    numbering_ensure()
    rules_ensure()
    a, b, gm = (User.objects.get(username=u) for u in ("manager", "manager2", "gm"))
    flows_ensure(gm)
    flow = FlowDefinition.objects.filter(flow_type="project.approval").order_by("code").first()
    product = product_create(
        actor=None, code="ZB-ARC", name="小微企业融资担保", terms=terms(amount_max=D("8000000")), bands=[Band(None, flow)]
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    customer = make_customer(a, name="长沙市金禾农业科技有限公司")
    bank = make_bank("ICBC", "工商银行湖南省分行")
    in_force(bank, gm, product_codes=["ZB-ARC"], credit_line_amount=D("5000000"), single_cap_amount=D("3000000"), today=dt.date.today())
    project = project_services.project_intake(
        actor=a,
        customer=customer,
        product=product,
        amount=D("800000"),
        term_months=12,
        purpose="购买原材料",
        repayment_method="equal_principal",
        bank=bank,
        manager_a=a,
        manager_b=b,
    )
    attach(project, "materials", a, "营业执照及财务报表.pdf")
    return project_services.project_withdraw(actor=a, project=project, reason="客户另有融资安排，撤回申请")


def _switch(page, login, username: str):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    login(username)


def test_archive_and_borrow_a_withdrawn_projects_file(demo_org, page, live_server, login, shot) -> None:  # type: ignore[no-untyped-def]
    from danbao.archive.models import ArchiveFile, Borrowing

    project = _withdrawn_project()
    base = live_server.url

    # 1. The archivist archives the file.
    _switch(page, login, "archivist")
    page.goto(f"{base}/archive/ready/")
    expect(page.get_by_test_id("ready-list")).to_contain_text(project.number)
    page.get_by_test_id("ready-list").get_by_role("link").first.click()
    page.get_by_test_id("file-open").click()
    expect(page.get_by_test_id("missing")).to_be_visible()
    page.get_by_test_id("received-application.form").select_option("original")
    page.get_by_test_id("pages-application.form").fill("6")
    page.get_by_test_id("save-application.form").click()
    expect(page.get_by_test_id("received-application.form")).to_have_value("original")
    page.get_by_test_id("received-project.materials").select_option("copy")
    page.get_by_test_id("pages-project.materials").fill("12")
    page.get_by_test_id("save-project.materials").click()
    expect(page.get_by_test_id("missing")).to_have_count(0)
    form = page.get_by_test_id("archive-form")
    form.locator("input[name=box]").fill("2026-B07")
    form.locator("input[name=room]").fill("档案室 301")
    form.locator("input[name=cabinet]").fill("柜 3")
    form.locator("input[name=shelf]").fill("第 2 层")
    shot("archive-01-checklist-ticked")
    page.get_by_test_id("archive-submit").click()
    expect(page.get_by_test_id("file-state")).to_have_text("已归档")
    file = ArchiveFile.objects.get(project=project)
    expect(page.get_by_test_id("archive-number")).to_have_text(file.number)
    expect(page.get_by_test_id("archive-location")).to_have_text("档案室 301 / 柜 3 / 第 2 层")
    shot("archive-02-archived")

    # 2. The business manager asks to borrow the original.
    _switch(page, login, "manager")
    page.goto(f"{base}/archive/project/{project.pk}/")
    page.get_by_test_id("borrow-link").click()
    page.fill("input[name=purpose]", "客户重新申请，核对原申请材料")
    page.select_option("select[name=form]", "original")
    page.select_option("select[name=mode]", "take_out")
    shot("archive-03-borrow-request")
    page.get_by_test_id("borrow-submit").click()
    expect(page.get_by_test_id("borrow-state")).to_have_text("待审批")
    borrowing = Borrowing.objects.get()
    expect(page.get_by_test_id("borrow-approve")).to_have_count(0)  # never approves own request

    # 3. The department head approves.
    _switch(page, login, "depthead")
    page.goto(f"{base}/archive/borrowings/?tab=approve")
    expect(page.get_by_test_id("borrow-list")).to_contain_text(borrowing.number)
    page.get_by_role("link", name=borrowing.number).click()
    page.fill("input[name=comment]", "同意，请按期归还")
    page.get_by_test_id("borrow-approve").click()
    expect(page.get_by_test_id("borrow-state")).to_have_text("已批准")
    shot("archive-04-approved")

    # 4. The archivist hands the original over and takes it back.
    _switch(page, login, "archivist")
    page.goto(f"{base}/archive/borrowing/{borrowing.pk}/")
    page.get_by_test_id("borrow-lend").click()
    expect(page.get_by_test_id("borrow-state")).to_have_text("已借出")
    page.goto(f"{base}/archive/project/{project.pk}/")
    expect(page.get_by_test_id("file-state")).to_have_text("已借出")
    page.goto(f"{base}/archive/borrowing/{borrowing.pk}/")
    page.fill("input[name=condition]", "完好，页数无误")
    page.get_by_test_id("borrow-return").click()
    expect(page.get_by_test_id("borrow-state")).to_have_text("已归还")
    shot("archive-05-returned")
    file.refresh_from_db()
    assert file.state == "archived"
    page.goto(f"{base}/archive/boxes/")
    expect(page.get_by_test_id("boxes")).to_contain_text("2026-B07")
    shot("archive-06-boxes")
