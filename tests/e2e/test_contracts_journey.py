"""Issue 7 contracts (browser): the A-role business manager of an approved project generates the
entrusted guarantee contract and the guarantee contract, downloads the PDF (project number and the
amount in 大写 in its text), uploads the signed scans and sees both signed; the readiness lines turn green."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=30_000)


def _approved_project():  # type: ignore[no-untyped-def]
    """Demo users, a product and a project driven through intake, due diligence (the diligence demo
    hooks), risk review and the approval flow (department head → committee → general manager)."""
    from danbao.contracts.services import ensure_contract_templates
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
    ensure_contract_templates()
    a, b, risk, head, gm = (User.objects.get(username=u) for u in ("manager", "manager2", "risk", "depthead", "gm"))
    flows_ensure(gm)
    flow = FlowDefinition.objects.filter(flow_type="project.approval").order_by("code").first()
    product = product_create(
        actor=None, code="CT-E2E", name="小微企业融资担保", terms=terms(amount_max=D("8000000")), bands=[Band(None, flow)]
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    customer = make_customer(a, name="长沙市金禾农业科技有限公司")
    bank = make_bank("ICBC", "工商银行湖南省分行")
    in_force(bank, gm, product_codes=["CT-E2E"])
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
                actor=gm, project=project, amount="800000", term_months=12, fee_rate="0.009", counter_guarantees="实际控制人连带责任保证"
            )
        wf.task_approve(actor=task.assignee, task=task, comment="同意")
    project.refresh_from_db()
    assert project.state == "approved", project.state
    return project


def test_business_manager_generates_downloads_and_signs(login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.contracts.models import Contract

    project = _approved_project()
    page.set_default_timeout(30_000)
    login("manager")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_test_id("dossier-contracts")).to_contain_text("未生成")
    page.goto(f"{live_server.url}/contracts/project/{project.pk}/")
    expect(page.get_by_test_id("ct-readiness")).to_contain_text("尚未生成")

    for kind in ("entrusted", "guarantee"):
        page.get_by_test_id(f"ct-row-{kind}").get_by_test_id("ct-generate").click()
        expect(page.get_by_test_id(f"ct-row-{kind}").get_by_test_id("ct-state")).to_have_text("已生成")
    shot("contracts-generated")
    entrusted = Contract.objects.get(project=project, kind="entrusted")

    with page.expect_download() as info:
        page.get_by_test_id("ct-row-entrusted").get_by_test_id("ct-pdf").click()
    pdf_path = tmp_path / "contract.pdf"
    info.value.save_as(str(pdf_path))
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode().split())  # noqa: S603,S607
        assert project.number in text and entrusted.number in text and "捌拾万元整" in text

    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    for kind in ("entrusted", "guarantee"):
        row = page.get_by_test_id(f"ct-row-{kind}")
        row.locator("[data-testid=ct-sign-box] summary").click()
        row.get_by_test_id("ct-signatories").fill("甲方：法定代表人张总；乙方：王立业（授权代表）")
        row.get_by_test_id("ct-scan").set_input_files(str(scan))
        row.get_by_test_id("ct-sign").click()
        expect(page.get_by_test_id(f"ct-row-{kind}").get_by_test_id("ct-state")).to_have_text("已签署")
        expect(page.get_by_test_id(f"ct-row-{kind}").get_by_test_id("ct-scan-link")).to_be_visible()
    expect(page.get_by_test_id("ct-readiness").locator(".ti-circle-x")).to_have_count(0)
    shot("contracts-signed")
    assert set(Contract.objects.filter(project=project).values_list("state", flat=True)) == {"signed"}

    page.get_by_test_id("ct-row-entrusted").get_by_test_id("ct-number").click()
    expect(page.get_by_test_id("ct-snapshot")).to_contain_text("委托保证合同")
    expect(page.get_by_test_id("ct-snapshot")).to_contain_text("捌拾万元整")
    shot("contracts-detail")


def test_legal_writes_a_new_template_version_and_publishes(login, page, live_server, shot) -> None:  # type: ignore[no-untyped-def]
    from danbao.contracts.models import ContractTemplate
    from danbao.contracts.services import ensure_contract_templates
    from danbao.org.demo import seed as seed_org
    from danbao.system.seeds import ensure_parameters

    seed_org()
    ensure_parameters()
    ensure_contract_templates()
    template = ContractTemplate.objects.get(kind="counter_mortgage")
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())
    login("legal")
    page.goto(f"{live_server.url}/contracts/templates/")
    page.get_by_role("link", name="抵押反担保合同").click()
    expect(page.get_by_test_id("ct-preview")).to_contain_text("权证/凭证号")  # the collateral table with sample rows
    page.get_by_test_id("ct-version-new").click()
    expect(page.get_by_test_id("ct-catalogue")).to_contain_text("{{抵押物清单}}")

    body = page.locator("textarea[name=body]")
    body.fill(body.input_value() + "\n## 第九条 补充条款\n抵押人联系电话：{{抵押人电话}}\n")
    page.get_by_test_id("ct-version-save").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("{{抵押人电话}}")
    body = page.locator("textarea[name=body]")
    body.fill(body.input_value().replace("抵押人联系电话：{{抵押人电话}}", "抵押人确认已收到本合同文本，担保金额为{{担保金额大写}}。"))
    page.fill("input[name=note]", "增加第九条")
    page.get_by_test_id("ct-preview-btn").click()
    expect(page.get_by_test_id("ct-preview")).to_contain_text("抵押人确认已收到本合同文本，担保金额为壹佰万元整。")
    shot("contracts-template-editor")
    page.get_by_test_id("ct-version-save").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    page.goto(f"{live_server.url}/contracts/templates/{template.pk}/?v=2")
    page.get_by_test_id("ct-version-publish").click()
    expect(page.locator(".alert-success").first).to_contain_text("第 2 版已发布")
    assert template.versions.get(number=2).state == "published"
    assert "第九条 补充条款" not in template.versions.get(number=1).body
