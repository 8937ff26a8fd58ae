"""Issue 6 pre-guarantee process in the browser: the business manager takes an application on the
intake page and hands it through due diligence to risk review; the risk manager writes the opinion
(rules before approval and the regulatory what-if beside it) and submits; the department head
approves on the task page; the review committee meets and votes; the general manager enters the
approved terms and approves; the approval letter PDF reads (pdftotext) with the project number and
the amount in figures and in Chinese capitals.

Handing the project to risk review is refused until its due diligence is complete; the report,
site visit and scorecard are then completed through the services (the browser does them in
test_diligence_journey and test_pre_guarantee_journey); the committee meeting is held through the
review services (its pages are in the review journey and the pre-guarantee journey)."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=30_000)


def _world() -> dict:  # type: ignore[type-arg]
    """Demo users and committee, the project flows, a product bound to them, a bank with an agreement, a customer."""
    from danbao.customers.tests.customers_support import make_customer
    from danbao.org.demo import seed as seed_org
    from danbao.org.models import User
    from danbao.partners.tests.factories import in_force, make_bank
    from danbao.products.services import Band, MaterialItem, product_create, product_version_publish
    from danbao.products.tests.support import terms
    from danbao.projects.flows import flows_ensure
    from danbao.review.demo import seed as seed_review
    from danbao.rules.services import rules_ensure
    from danbao.system.seeds import ensure_dictionaries, ensure_parameters
    from danbao.workflow.models import FlowDefinition

    seed_org()
    ensure_dictionaries()
    ensure_parameters()
    rules_ensure()
    seed_review()
    users = {u.username: u for u in User.objects.filter(username__in=["manager", "manager2", "gm", "risk2"])}
    flows_ensure(users["gm"])
    std, major = FlowDefinition.objects.get(code="PA-10"), FlowDefinition.objects.get(code="PA-20")
    product = product_create(
        actor=None,
        code="XW-E2E",
        name="小微企业融资担保",
        terms=terms(amount_max=D("8000000")),
        materials=[MaterialItem("enterprise", "营业执照")],
        bands=[Band(D("5000000"), std), Band(None, major)],
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    bank = make_bank("ICBC", "工商银行湖南省分行")
    branch = make_bank("ICBC-CS", "工商银行长沙分行", parent=bank)
    in_force(bank, users["gm"], product_codes=["XW-E2E"])
    customer = make_customer(users["manager"], name="长沙市金禾农业科技有限公司")
    return {"product": product, "bank": bank, "branch": branch, "customer": customer, "users": users}


def test_intake_review_committee_approval_letter(login, page, live_server, shot) -> None:  # type: ignore[no-untyped-def]
    from danbao.projects.demo import Committee
    from danbao.projects.models import Project

    world = _world()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. The business manager takes the application.
    login("manager")
    page.goto(f"{live_server.url}/projects/new/")
    page.select_option("select[name=customer]", str(world["customer"].pk))
    page.select_option("select[name=product]", str(world["product"].pk))
    page.fill("input[name=amount]", "1200000")
    page.fill("input[name=term_months]", "12")
    page.fill("input[name=fee_rate]", "0.8")
    page.fill("input[name=purpose]", "收购稻谷")
    page.select_option("select[name=repayment_method]", "interest_monthly")
    page.select_option("select[name=bank]", str(world["bank"].pk))
    page.select_option("select[name=branch]", str(world["branch"].pk))
    page.select_option("select[name=manager_b]", str(world["users"]["manager2"].pk))
    shot("project-intake")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("project-state")).to_have_text("已受理")
    project = Project.objects.get()
    expect(page.get_by_test_id("rule-hits")).to_contain_text("受理")
    page.get_by_test_id("start-diligence").click()
    expect(page.get_by_test_id("project-state")).to_have_text("尽调中")
    # Risk review waits for a complete due diligence (the diligence app's readiness check).
    page.get_by_test_id("submit-review").click()
    expect(page.locator(".alert-danger").first).to_contain_text("尽职调查尚未完成")
    expect(page.get_by_test_id("project-state")).to_have_text("尽调中")
    from danbao.diligence.tests.support import complete

    complete(project, world["users"]["manager"], world["users"]["manager2"])  # written, signed, confirmed (own journey)
    page.reload()
    page.get_by_test_id("submit-review").click()
    expect(page.get_by_test_id("project-state")).to_have_text("风险审查")

    # 2. The risk manager reviews: rules before approval and the what-if beside the opinion.
    page.context.clear_cookies()
    login("risk")
    page.goto(f"{live_server.url}/projects/review-queue/")
    expect(page.get_by_test_id("review-queue")).to_contain_text(project.number)
    page.goto(f"{live_server.url}/projects/{project.pk}/review/")
    expect(page.get_by_test_id("what-if-card")).to_be_visible()
    page.check("input[name=recommendation][value=conditional]")
    page.fill("textarea[name=opinion]", "主营稳定，第一还款来源充足，同意提交审批。")
    page.fill("textarea[name=suggested_conditions]", "实际控制人提供连带责任反担保")
    shot("project-risk-review")
    page.get_by_test_id("submit-approval").click()
    expect(page.get_by_test_id("project-state")).to_have_text("上会/审批中")

    # 3. The department head approves on the task page.
    page.context.clear_cookies()
    login("depthead")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_test_id("open-task").click()
    page.fill("#approve-comment", "同意，提交评审会")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success, .toast").first).to_be_visible()

    # 4. The review committee meets and votes (five members, all present).
    from django.utils import timezone

    committee = Committee(world["users"]["risk2"])
    assert committee.ready
    assert committee.decide([(project, "agree")], timezone.now()) == 1

    # 5. The general manager enters the approved terms and approves.
    page.context.clear_cookies()
    login("gm")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    form = page.get_by_test_id("terms-form")
    form.locator("input[name=amount]").fill("1000000")
    form.locator("textarea[name=counter_guarantees]").fill("实际控制人夫妇提供连带责任保证")
    form.locator("textarea[name=conditions]").fill("落实应收账款质押登记后出具担保函")
    page.get_by_test_id("save-terms").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    page.get_by_test_id("open-task").click()
    page.fill("#approve-comment", "同意")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success, .toast").first).to_be_visible()
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_test_id("project-state")).to_have_text("已批复")
    expect(page.get_by_test_id("terms-history")).to_contain_text("1,000,000.00")
    shot("project-dossier-approved")

    # 6. The approval letter downloads as a PDF whose text has the number and both amounts.
    project.refresh_from_db()
    response = page.request.get(f"{live_server.url}/projects/{project.pk}/letter/")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = subprocess.run(  # noqa: S603 - fixed local binary, no shell
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    assert project.number in text
    assert project.approval_number in text
    assert "1,000,000.00" in text
    assert "壹佰万元整" in text
    assert "落实应收账款质押登记后出具担保函" in text
