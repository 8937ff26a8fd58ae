"""Issue 6 due diligence (browser, phone width): the A-role manager starts the report, writes it,
uploads the materials, records a site visit with a camera photo and the browser's position, signs;
the B-role manager confirms independently; the report PDF downloads and reads as text."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# The shared test machine can be slow to answer a POST; wait for pages rather than fail early.
expect.set_options(timeout=30_000)


def _project():  # type: ignore[no-untyped-def]
    """Demo users, then a product with a materials checklist and a project in due diligence (via services)."""
    from danbao.customers.tests.customers_support import make_customer
    from danbao.org.demo import seed as seed_org
    from danbao.org.models import User
    from danbao.partners.tests.factories import make_bank
    from danbao.products.services import Band, MaterialItem, product_create, product_version_publish
    from danbao.products.tests.support import terms
    from danbao.projects import services as project_services
    from danbao.projects.flows import flows_ensure
    from danbao.rules.services import rules_ensure
    from danbao.system.seeds import ensure_dictionaries, ensure_parameters
    from danbao.workflow.models import FlowDefinition

    seed_org()
    ensure_dictionaries()
    ensure_parameters()
    rules_ensure()
    a, b, gm = (User.objects.get(username=u) for u in ("manager", "manager2", "gm"))
    flows_ensure(gm)
    flow = FlowDefinition.objects.filter(flow_type="project.approval").order_by("code").first()
    product = product_create(
        actor=None,
        code="DD-E2E",
        name="小微企业融资担保",
        terms=terms(amount_max=D("8000000")),
        materials=[MaterialItem("enterprise", "营业执照"), MaterialItem("enterprise", "近三年财务报表")],
        bands=[Band(None, flow)],
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    customer = make_customer(a, name="长沙市金禾农业科技有限公司")
    bank = make_bank("ICBC", "工商银行湖南省分行")
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
    return project_services.project_diligence_start(actor=a, project=project)


def _jpeg_with_exif(path: Path) -> Path:
    from PIL import Image

    image = Image.new("RGB", (640, 480), (90, 140, 80))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2026:05:01 10:20:30"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_a_writes_visits_and_signs_b_confirms_pdf(login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.diligence.models import DiligenceReport, SitePhoto

    project = _project()
    base = f"{live_server.url}/diligence/project/{project.pk}/"
    page.set_viewport_size(PHONE)
    page.set_default_timeout(30_000)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 28.228209, "longitude": 112.938814, "accuracy": 15})
    page.on("dialog", lambda dialog: dialog.accept())

    # A-role: start the report and write it.
    login("manager")
    page.goto(base)
    expect(page.get_by_test_id("dd-problems")).to_be_visible()
    page.get_by_test_id("dd-start").click()
    texts = {
        "company_basics": "成立于2015年，注册资本1000万元。",
        "operations": "主营农产品加工，订单稳定。",
        "financial_comment": "资产负债率合理，现金流为正。",
        "credit_comment": "征信无不良记录。",
        "related_comment": "关联方清晰，无对外担保。",
        "counter_guarantee_plan": "实际控制人夫妇连带责任保证。",
        "risk_points": "季节性波动；按季回访缓释。",
        "conclusion": "建议同意担保。",
        "proposed_conditions": "放款前落实反担保。",
    }
    for name, value in texts.items():
        page.fill(f"textarea[name={name}]", value)
    page.select_option("select[name=recommendation]", "recommend")
    page.fill("input[name=proposed_amount]", "900000")
    page.fill("input[name=proposed_term_months]", "12")
    page.fill("input[name=proposed_fee_rate_percent]", "1.5")
    shot("diligence-report-form-phone")
    page.get_by_test_id("report-save").click()
    expect(page.get_by_test_id("dd-proposal")).to_contain_text("1.50%")

    # Materials: upload both required items.
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    for index in range(2):
        page.get_by_test_id("dd-material-file").nth(index).set_input_files(str(licence))
        page.get_by_test_id("dd-material-upload").nth(index).click()
        expect(page.locator(".alert-success").first).to_be_visible()
    expect(page.get_by_test_id("dd-material-status").first).to_have_text("已上传")

    # Site visit from the phone: record it, then a camera photo with the position.
    page.get_by_test_id("dd-visit-new").click()
    page.fill("input[name=place]", "长沙县黄花镇工业园厂区")
    page.fill("textarea[name=notes]", "生产线运转正常，库存与账面一致。")
    page.fill("input[name=other_participants]", "张总（法定代表人）")
    page.get_by_test_id("visit-save").click()
    photo_input = page.locator("input[name=photo]")
    assert photo_input.get_attribute("accept") == "image/*" and photo_input.get_attribute("capture") == "environment"
    page.get_by_test_id("geo-button").click()
    expect(page.get_by_test_id("geo-status")).to_contain_text("已添加位置")
    photo_input.set_input_files(str(_jpeg_with_exif(tmp_path / "IMG_0001.jpg")))
    page.fill("input[name=caption]", "车间")
    page.get_by_test_id("photo-save").click()
    expect(page.get_by_test_id("photo-captured")).to_contain_text("2026-05-01 10:20")
    expect(page.get_by_test_id("photo-position")).to_contain_text("28.228209")
    shot("diligence-visit-phone")
    photo = SitePhoto.objects.get()
    assert photo.capture_source == "exif" and str(photo.latitude) == "28.228209"

    # Sign as the A-role.
    page.goto(base)
    page.get_by_test_id("dd-sign").click()
    expect(page.get_by_test_id("dd-a-signed")).to_be_visible()
    expect(page.get_by_test_id("dd-report-state").first).to_contain_text("A角已签署")
    shot("diligence-signed-a-phone")

    # B-role confirms independently.
    page.context.clear_cookies()
    login("manager2")
    page.goto(base)
    page.fill("textarea[name=opinion]", "经独立核实，同意A角调查结论。")
    page.get_by_test_id("dd-confirm").click()
    expect(page.get_by_test_id("dd-b-confirmed")).to_be_visible()
    expect(page.get_by_test_id("dd-ready")).to_be_visible()
    shot("diligence-confirmed-b-phone")
    assert DiligenceReport.objects.get(project=project).state == "confirmed"

    # The PDF downloads and carries the report.
    with page.expect_download() as info:
        page.get_by_test_id("dd-pdf").click()
    pdf_path = tmp_path / "report.pdf"
    info.value.save_as(str(pdf_path))
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode().split())  # noqa: S603,S607
        assert project.number in text and "长沙县黄花镇工业园厂区" in text and "经独立核实" in text
