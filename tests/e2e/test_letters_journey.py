"""Issue 7 guarantee letters (browser): on an approved project whose contracts are signed and fees
received, the A-role business manager marks both conditions precedent met, the risk manager confirms
them, the department head re-checks (every line green) and issues the guarantee letter; the PDF
opens with the number and the amount in 大写; the public verification page, opened without signing
in, shows the letter valid and nothing about the customer."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import uuid
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=30_000)

CONDITIONS = "落实厂房抵押登记\n实际控制人夫妇签署连带责任保证合同"


def _ready_project():  # type: ignore[no-untyped-def]
    """Demo users, a product, a project driven through intake, due diligence (the diligence demo
    hooks), risk review and the approval flow with two conditions precedent; then its two contracts
    generated and signed with scans, and its fees planned and received — all through the services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from danbao.contracts import services as contracts
    from danbao.customers.tests.customers_support import make_customer
    from danbao.finance import services as finance
    from danbao.finance.models import Receivable
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
    contracts.ensure_contract_templates()
    a, b, risk, gm = (User.objects.get(username=u) for u in ("manager", "manager2", "risk", "gm"))
    flows_ensure(gm)
    flow = FlowDefinition.objects.filter(flow_type="project.approval").order_by("code").first()
    product = product_create(
        actor=None, code="BH-E2E", name="小微企业融资担保", terms=terms(amount_max=D("8000000")), bands=[Band(None, flow)]
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    customer = make_customer(a, name="长沙市金禾农业科技有限公司")
    bank = make_bank("ICBC", "工商银行湖南省分行")
    in_force(bank, gm, product_codes=["BH-E2E"])
    project = project_services.project_intake(
        actor=a,
        customer=customer,
        product=product,
        amount=D("1000000"),
        term_months=12,
        purpose="购买原材料",
        repayment_method="interest_monthly",
        bank=bank,
        manager_a=a,
        manager_b=b,
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
        if task.assignee == gm:
            project_services.project_terms_save(
                actor=gm, project=project, amount="800000", term_months=12, fee_rate="0.009", counter_guarantees="", conditions=CONDITIONS
            )
        wf.task_approve(actor=task.assignee, task=task, comment="同意")
    project.refresh_from_db()
    assert project.state == "approved", project.state

    for kind in ("entrusted", "guarantee"):
        contract = contracts.contract_generate(actor=a, project=project, kind=kind)
        scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")
        contracts.contract_sign(actor=a, contract=contract, signed_on=dt.date.today(), signatories="双方", scan=scan)
    finance.fee_schedule_create(actor=a, project=project)
    clerk = User.objects.filter(username="finance").first() or User.objects.filter(roles__code="finance").first()
    for receivable in Receivable.objects.filter(project=project, instalment=1).exclude(state="cancelled"):
        if receivable.outstanding > 0:
            finance.receipt_record(
                actor=clerk,
                project=project,
                amount=receivable.outstanding,
                received_on=dt.date.today(),
                method="bank_transfer",
                payer=customer.name,
                idempotency_key=uuid.uuid4().hex,
                allocations={receivable.pk: receivable.outstanding},
            )
    return project


def test_conditions_confirmed_then_the_letter_is_issued_and_verified(login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.letters.models import GuaranteeLetter

    project = _ready_project()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())
    checklist = f"{live_server.url}/letters/project/{project.pk}/"

    # The A-role business manager marks both conditions met.
    login("manager")
    page.goto(checklist)
    expect(page.get_by_test_id("condition")).to_have_count(2)
    for index in range(2):
        row = page.get_by_test_id("condition").filter(has=page.get_by_test_id("condition-mark-met")).first
        row.get_by_test_id("condition-note").fill(f"已办理，资料第{index + 1}份")
        row.get_by_test_id("condition-mark-met").click()
        expect(page.locator(".alert-success, .alert")).to_contain_text("风险经理")
    expect(page.locator("[data-testid=condition][data-state=met_marked]")).to_have_count(2)
    shot("letters-conditions-marked")

    # The risk manager confirms them.
    page.context.clear_cookies()
    login("risk")
    page.goto(checklist)
    for _ in range(2):
        page.get_by_test_id("condition-confirm").first.click()
        expect(page.locator(".alert")).to_contain_text("已确认")
    expect(page.locator("[data-testid=condition][data-state=met]")).to_have_count(2)

    # The department head re-checks and issues.
    page.context.clear_cookies()
    login("depthead")
    page.goto(checklist)
    page.get_by_test_id("letters-recheck").click()
    expect(page.locator("[data-testid=check-line][data-ok='0']")).to_have_count(0)
    shot("letters-checklist-green")
    page.get_by_test_id("letters-issue").click()
    expect(page.get_by_test_id("letter-state")).to_have_text("有效")
    letter = GuaranteeLetter.objects.get(project=project, kind="guarantee")
    shot("letters-detail")

    with page.expect_download() as info:
        page.get_by_test_id("letter-pdf").click()
    pdf_path = tmp_path / "letter.pdf"
    info.value.save_as(str(pdf_path))
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode().split())  # noqa: S603,S607
        assert letter.number in text and "捌拾万元整" in text and f"/letters/verify/{letter.token}/" in text

    # Anyone (the bank) opens the verification address from the QR code, without signing in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/letters/verify/{letter.token}/")
    expect(page.get_by_test_id("verify-state")).to_have_text("有效")
    expect(page.get_by_test_id("verify-number")).to_have_text(letter.number)
    body = page.content()
    assert project.customer.name not in body and project.number not in body
    shot("letters-verify")
    page.goto(f"{live_server.url}/letters/verify/not-a-token/")
    expect(page.get_by_test_id("verify-refused")).to_be_visible()
