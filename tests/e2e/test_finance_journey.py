"""Issue 7 fees (browser): on an approved project the A-role business manager creates the fee schedule
(explanation, instalments); finance records a receipt allocated to the guarantee fee (a double click
records it once) and the review fee; the business manager asks to defer the margin deposit; the
department head approves it from the deferral queue; the pre-issue lines turn green; the fee notice
PDF opens with the project number and the amounts in 大写; the receivables list filters overdue items."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=30_000)


def _approved_project():  # type: ignore[no-untyped-def]
    """Demo users, a product with a review fee and a margin ratio, a project driven through intake,
    due diligence (the diligence demo hooks), risk review and the approval flow — all through the services."""
    from danbao.customers.tests.customers_support import make_customer
    from danbao.org.demo import seed as seed_org
    from danbao.org.models import User
    from danbao.partners.tests.factories import in_force, make_bank
    from danbao.products.services import Band, product_create, product_version_publish
    from danbao.products.tests.support import terms
    from danbao.projects import demo_hooks
    from danbao.projects import services as project_services
    from danbao.projects.flows import flows_ensure
    from danbao.rules.services import rules_ensure
    from danbao.system.seeds import ensure_dictionaries, ensure_parameters
    from danbao.workflow import services as wf
    from danbao.workflow.models import FlowDefinition, FlowInstance, Task

    seed_org()
    ensure_dictionaries()
    ensure_parameters()
    rules_ensure()
    a, b, risk, gm = (User.objects.get(username=u) for u in ("manager", "manager2", "risk", "gm"))
    flows_ensure(gm)
    flow = FlowDefinition.objects.filter(flow_type="project.approval").order_by("code").first()
    product = product_create(
        actor=None,
        code="FEE-E2E",
        name="小微企业融资担保",
        terms=terms(amount_max=D("8000000"), term_max_months=36, review_fee_amount=D("2000"), margin_ratio=D("0.1")),
        bands=[Band(None, flow)],
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    customer = make_customer(a, name="长沙市金禾农业科技有限公司")
    bank = make_bank("ICBC", "工商银行湖南省分行")
    in_force(bank, gm, product_codes=["FEE-E2E"])  # the pre-approval rules need a cooperation agreement in force
    project = project_services.project_intake(
        actor=a,
        customer=customer,
        product=product,
        amount=D("1000000"),
        term_months=24,
        purpose="购买原材料",
        repayment_method="interest_monthly",
        bank=bank,
        manager_a=a,
        manager_b=b,
        fee_rate=D("0.01"),
    )
    project_services.project_diligence_start(actor=a, project=project)
    demo_hooks.run("diligence_started", project)
    demo_hooks.run("before_review", project)
    project_services.project_review_submit(actor=a, project=project)
    project_services.project_approval_submit(actor=risk, project=project, recommendation="agree", opinion="同意")
    instance = FlowInstance.objects.get(object_id=project.pk, flow_type="project.approval")
    for _ in range(6):  # walk the flow: approve each pending task; complete the committee node
        project.refresh_from_db()
        if project.state == "approved":
            break
        task = Task.objects.filter(instance=instance, status=Task.Status.PENDING).first()
        if task is None:
            wf.committee_complete(actor=None, instance=instance, result="approved", comment="评审会通过")
            continue
        wf.task_approve(actor=task.assignee, task=task, comment="同意")
    project.refresh_from_db()
    assert project.state == "approved", project.state
    return project


def test_schedule_receipt_deferral_notice(login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.finance.models import Receipt, Receivable

    project = _approved_project()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())
    fees = f"{live_server.url}/finance/project/{project.pk}/"

    # The A-role business manager creates the schedule: 1,000,000 × 1 % × 24/12 in two yearly instalments.
    login("manager")
    page.goto(fees)
    expect(page.get_by_test_id("fin-readiness")).to_contain_text("尚未生成收费计划")
    page.get_by_test_id("fin-plan").click()
    expect(page.get_by_test_id("fin-explanation")).to_contain_text("按年收费")
    expect(page.get_by_test_id("fin-receivable")).to_have_count(4)  # two fee instalments, review fee, margin
    expect(page.get_by_test_id("fin-readiness")).to_contain_text("担保费尚欠 10,000.00 元")
    shot("finance-schedule")

    # Finance records one transfer for the first instalment and the review fee; a double click records it once.
    page.context.clear_cookies()
    login("finance")
    page.goto(fees)
    page.get_by_test_id("fin-receipt-new").click()
    page.fill("input[name=amount]", "12000")
    page.fill("input[name=reference]", "HX20260105001")
    first = Receivable.objects.get(project=project, kind="guarantee_fee", instalment=1)
    review = Receivable.objects.get(project=project, kind="review_fee")
    margin = Receivable.objects.get(project=project, kind="margin")
    page.fill(f"input[name=alloc_{first.pk}]", "10000")
    page.fill(f"input[name=alloc_{review.pk}]", "2000")
    shot("finance-receipt-form")
    page.get_by_test_id("fin-receipt-save").dblclick()
    expect(page.get_by_test_id("fin-receipt")).to_have_count(1)
    assert Receipt.objects.filter(project=project).count() == 1
    expect(page.get_by_test_id("fin-readiness")).to_contain_text("保证金尚欠 100,000.00 元")

    # The business manager asks to defer the margin deposit.
    page.context.clear_cookies()
    login("manager")
    page.goto(f"{live_server.url}/finance/project/{project.pk}/receivable/{margin.pk}/defer/")
    page.fill("input[name=until]", "2030-06-30")
    page.fill("textarea[name=reason]", "企业以存单质押替代，申请缓缴保证金")
    page.get_by_test_id("fin-deferral-save").click()
    expect(page.get_by_test_id("fin-deferral")).to_contain_text("待审批")

    # The department head approves it from the queue.
    page.context.clear_cookies()
    login("depthead")
    page.goto(f"{live_server.url}/finance/deferrals/")
    expect(page.get_by_test_id("fin-queue-item")).to_have_count(1)
    shot("finance-deferral-queue")
    page.get_by_test_id("fin-queue-approve").click()
    expect(page.get_by_test_id("fin-queue-item")).to_have_count(0)
    page.goto(fees)
    expect(page.locator("[data-testid=fin-readiness] .ti-circle-x")).to_have_count(0)
    shot("finance-fees-ready")

    with page.expect_download() as info:
        page.get_by_test_id("fin-notice").click()
    pdf_path = tmp_path / "notice.pdf"
    info.value.save_as(str(pdf_path))
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode().split())  # noqa: S603,S607
        assert project.number in text and "缴费通知书" in text and "壹拾壹万元整" in text  # 10,000 (2nd instalment) + 100,000 margin

    # Finance sees nothing overdue for this project (deferred margin, paid items, the second instalment not yet due).
    page.context.clear_cookies()
    login("finance")
    page.goto(f"{live_server.url}/finance/receivables/?overdue=1")
    expect(page.locator("body")).not_to_contain_text(project.number)
    page.goto(f"{live_server.url}/finance/receivables/?q={project.number}")
    expect(page.locator("body")).to_contain_text("110,000.00")
    shot("finance-receivables")
