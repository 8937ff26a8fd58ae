"""Issue 7 end to end (browser): from an approved project to an in-force guarantee.

The A-role business manager registers the mortgage the approval requires (measure, collateral with its
appraisal, link, registration certificate, evidence), generates and signs every contract the project
needs with the signed scans (entrusted guarantee, guarantee, mortgage), marks the mortgage in place and
plans the fees; finance records the fee receipt; the manager marks the condition precedent met and the
risk manager confirms it; the department head re-checks (all green) and issues the guarantee letter,
whose PDF downloads and opens and whose public verification page shows 有效. The manager then records
the bank's loan with an equal-principal schedule previewed before saving: the guarantee is in force
with its shares and liability, and the bank's credit line shows the loan used."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=30_000)

CONDITION = "放款前落实借款人名下房产抵押登记"
REQUIREMENT = "借款人名下房产抵押"


def _approved_project():  # type: ignore[no-untyped-def]
    """Demo users, a product, a bank with an agreement in force, and a project driven through intake,
    due diligence (the diligence demo hooks), risk review and the approval flow — all services."""
    from danbao.contracts import services as contracts
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
    contracts.ensure_contract_templates()
    a, b, risk, gm = (User.objects.get(username=u) for u in ("manager", "manager2", "risk", "gm"))
    flows_ensure(gm)
    flow = FlowDefinition.objects.filter(flow_type="project.approval").order_by("code").first()
    product = product_create(
        actor=None, code="ZB-E2E", name="小微企业融资担保", terms=terms(amount_max=D("8000000")), bands=[Band(None, flow)]
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    customer = make_customer(a, name="长沙市金禾农业科技有限公司")
    bank = make_bank("ICBC", "工商银行湖南省分行")
    in_force(bank, gm, product_codes=["ZB-E2E"], credit_line_amount=D("5000000"), single_cap_amount=D("3000000"), today=dt.date.today())
    project = project_services.project_intake(
        actor=a,
        customer=customer,
        product=product,
        amount=D("1000000"),
        term_months=12,
        purpose="购买原材料",
        repayment_method="equal_principal",
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
                actor=gm,
                project=project,
                amount="800000",
                term_months=12,
                fee_rate="0.009",
                counter_guarantees=REQUIREMENT,
                conditions=CONDITION,
            )
        wf.task_approve(actor=task.assignee, task=task, comment="同意")
    project.refresh_from_db()
    assert project.state == "approved", project.state
    return project


def test_from_approval_to_an_in_force_guarantee(login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.ledger.models import Guarantee
    from danbao.letters.models import GuaranteeLetter
    from danbao.securities.models import Measure

    project = _approved_project()
    url = live_server.url
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    today = dt.date.today().isoformat()

    # --- the mortgage: measure, collateral (appraisal), link, registration, evidence ------------
    login("manager")
    page.goto(f"{url}/securities/project/{project.pk}/")
    page.get_by_test_id("sec-requirements").get_by_role("link").first.click()
    page.select_option("#id_kind", "mortgage")
    page.locator("input[name=provider_source][value=customer]").check()
    page.get_by_test_id("sec-measure-save").click()
    expect(page.get_by_test_id("sec-missing")).to_be_visible()
    measure = Measure.objects.get(project=project)
    page.get_by_test_id("sec-new-collateral").click()
    page.fill("#id_name", "长沙县星沙街道金禾大厦3栋1201室住宅")
    page.fill("#id_attr-address", "长沙县星沙街道开元东路88号金禾大厦3栋1201室")
    page.fill("#id_attr-certificate_no", "湘(2023)长沙县不动产权第0012345号")
    page.fill("#id_attr-area", "142.50")
    page.fill("#id_owner-name", "长沙市金禾农业科技有限公司")
    if page.locator("#id_owner-party_type").count():
        page.select_option("#id_owner-party_type", "company")
    if page.locator("#id_owner-id_code").count():
        page.fill("#id_owner-id_code", project.customer.identity_code)
    page.fill("#id_owner-share_percent", "100")
    page.fill("#id_appraisal-value", "1600000")
    page.fill("#id_appraisal-appraiser", "湖南中联评估有限公司")
    page.fill("#id_appraisal-appraised_on", today)
    page.get_by_test_id("col-save").click()
    expect(page).to_have_url(f"{url}/securities/measure/{measure.pk}/")
    page.fill("#id_allocated_value", "1600000")
    page.get_by_test_id("sec-allocate").click()
    expect(page.get_by_test_id("sec-allocation")).to_have_count(1)
    page.get_by_test_id("sec-allocation").get_by_role("link").first.click()
    page.fill("#id_reg-registry_office", "长沙县不动产登记中心")
    page.fill("#id_reg-certificate_no", "湘(2026)长沙县不动产证明第0098765号")
    page.fill("#id_reg-registered_on", today)
    page.get_by_test_id("col-registration-save").click()
    expect(page.get_by_test_id("col-registration")).to_contain_text("0098765")
    shot("issue7-collateral")
    page.goto(f"{url}/securities/measure/{measure.pk}/")
    page.locator("input[type=file][name=file]").first.set_input_files(str(scan))
    page.locator("input[type=file][name=file]").first.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(".attachment-panel, [id^=attachments]").first).to_contain_text("signed.pdf")

    # --- contracts: generate and sign all required ones (entrusted, guarantee, mortgage) ---------
    page.goto(f"{url}/contracts/project/{project.pk}/")
    rows = page.locator("[data-testid^=ct-row-]")
    count = rows.count()
    assert count >= 3, count
    for index in range(count):
        row = rows.nth(index)
        if row.get_by_test_id("ct-generate").count():
            row.get_by_test_id("ct-generate").click()
            expect(rows.nth(index).get_by_test_id("ct-state")).to_have_text("已生成")
    for index in range(count):
        row = rows.nth(index)
        row.locator("[data-testid=ct-sign-box] summary").click()
        row.get_by_test_id("ct-signatories").fill("甲方：法定代表人张总；乙方：王立业（授权代表）")
        row.get_by_test_id("ct-scan").set_input_files(str(scan))
        row.get_by_test_id("ct-sign").click()
        expect(rows.nth(index).get_by_test_id("ct-state")).to_have_text("已签署")
    expect(page.get_by_test_id("ct-readiness").locator(".ti-circle-x")).to_have_count(0)
    shot("issue7-contracts-signed")

    page.goto(f"{url}/securities/measure/{measure.pk}/")
    expect(page.get_by_test_id("sec-ready")).to_be_visible()
    page.get_by_test_id("sec-fulfil").click()
    expect(page.get_by_test_id("sec-state")).to_have_text("已落实")

    # --- fees: the manager plans them, finance records the receipt -----------------------------
    page.goto(f"{url}/finance/project/{project.pk}/")
    page.get_by_test_id("fin-plan").click()
    expect(page.get_by_test_id("fin-receivable").first).to_be_visible()
    page.context.clear_cookies()
    login("finance")
    page.goto(f"{url}/finance/project/{project.pk}/")
    page.get_by_test_id("fin-receipt-new").click()
    page.fill("#id_amount", "7200")
    page.fill("#id_payer", project.customer.name)
    page.fill("#id_reference", "HX20261129001")
    page.locator("input[name^=alloc_]").first.fill("7200")
    shot("issue7-receipt-form")
    page.get_by_test_id("fin-receipt-save").click()
    expect(page.get_by_test_id("fin-receipt").first).to_be_visible()
    shot("issue7-fees")

    # --- the condition precedent: marked by the A-role, confirmed by the risk manager ----------
    checklist = f"{url}/letters/project/{project.pk}/"
    page.context.clear_cookies()
    login("manager")
    page.goto(checklist)
    row = page.get_by_test_id("condition").first
    row.get_by_test_id("condition-note").fill("他项权证已取得，原件入库")
    row.get_by_test_id("condition-mark-met").click()
    expect(page.locator("[data-testid=condition][data-state=met_marked]")).to_have_count(1)
    page.context.clear_cookies()
    login("risk")
    page.goto(checklist)
    page.get_by_test_id("condition-confirm").first.click()
    expect(page.locator("[data-testid=condition][data-state=met]")).to_have_count(1)

    # --- the letter: re-check, issue, PDF, public verification ---------------------------------
    page.context.clear_cookies()
    login("depthead")
    page.goto(checklist)
    page.get_by_test_id("letters-recheck").click()
    expect(page.locator("[data-testid=check-line][data-ok='0']")).to_have_count(0)
    shot("issue7-checklist-green")
    page.get_by_test_id("letters-issue").click()
    expect(page.get_by_test_id("letter-state")).to_have_text("有效")
    letter = GuaranteeLetter.objects.get(project=project, kind="guarantee")
    with page.expect_download() as info:
        page.get_by_test_id("letter-pdf").click()
    pdf_path = tmp_path / "letter.pdf"
    info.value.save_as(str(pdf_path))
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode().split())  # noqa: S603,S607
        assert letter.number in text and f"/letters/verify/{letter.token}/" in text
    page.context.clear_cookies()
    page.goto(f"{url}/letters/verify/{letter.token}/")
    expect(page.get_by_test_id("verify-state")).to_have_text("有效")
    shot("issue7-verify")

    # --- the bank's loan: preview the schedule, record it; the guarantee is in force -----------
    login("manager")
    page.goto(f"{url}/projects/{project.pk}/")
    page.get_by_test_id("dossier-disburse").click()
    expect(page.get_by_test_id("dsb-remaining")).to_contain_text("800,000.00")
    loan_date = letter.issue_date
    page.fill("#id_loan_contract_number", "ICBC-JK-2026-0815")
    page.fill("#id_amount", "800000")
    page.fill("#id_loan_date", loan_date.isoformat())
    page.fill("#id_maturity_date", loan_date.replace(year=loan_date.year + 1).isoformat())
    page.fill("#id_interest_rate_percent", "4.35")
    page.select_option("#id_repayment_method", "equal_principal")
    page.get_by_test_id("dsb-preview").click()
    expect(page.get_by_test_id("schedule-table").locator("tbody tr")).to_have_count(12)
    expect(page.get_by_test_id("schedule-table").locator("tfoot")).to_contain_text("800,000.00")
    shot("issue7-disburse-preview")
    page.get_by_test_id("dsb-save").click()
    expect(page.get_by_test_id("guarantee-state")).to_have_text("在保")
    expect(page.get_by_test_id("g-loan-balance")).to_have_text("800,000.00")
    guarantee = Guarantee.objects.get(project=project)
    expect(page.get_by_test_id("g-liability")).to_have_text(f"{guarantee.liability_balance:,.2f}")
    expect(page.get_by_test_id("tranche-1")).to_contain_text("ICBC-JK-2026-0815")
    shot("issue7-guarantee")

    page.goto(f"{url}/ledger/")
    expect(page.get_by_test_id("total-loan")).to_have_text("800,000.00")
    shot("issue7-ledger")
    agreement = guarantee.agreement
    page.goto(f"{url}/partners/agreements/{agreement.pk}/")
    expect(page.locator("body")).to_contain_text("800,000.00")
    shot("issue7-credit-line")
