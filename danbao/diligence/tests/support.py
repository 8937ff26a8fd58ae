"""Diligence test helpers: a published product with a materials checklist, a project in due
diligence driven through the projects services, and small builders for a complete diligence."""

from __future__ import annotations

import io
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danbao.customers.tests.customers_support import make_customer
from danbao.diligence import services
from danbao.partners.tests.factories import make_bank
from danbao.products.services import Band, MaterialItem, product_create, product_version_publish
from danbao.products.tests.support import terms

SECTION_TEXT = {
    "company_basics": "成立于2015年，注册资本1000万元，实际控制人张三。",
    "operations": "主营农产品加工，上下游稳定。",
    "financial_comment": "资产负债率逐年下降，盈利能力稳定。",
    "credit_comment": "征信无不良记录。",
    "related_comment": "关联方清晰，无对外担保。",
    "counter_guarantee_plan": "实际控制人夫妇连带责任保证，厂房抵押。",
    "risk_points": "行业周期波动；以订单回款监控缓释。",
    "conclusion": "建议同意担保。",
    "recommendation": "recommend",
    "proposed_amount": D("900000"),
    "proposed_term_months": 12,
    "proposed_fee_rate": D("0.015"),
    "proposed_conditions": "放款前落实抵押登记。",
}


@pytest.fixture
def gm(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="gm", department=org.head_office, roles=[org.roles["general_manager"]], real_name="杨总")


@pytest.fixture
def b_manager(org: Any) -> Any:
    """The B-role manager: a second business manager of department A."""
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="bmgr", department=org.dept_a, roles=[org.roles["business_manager"]], real_name="钱副手")


@pytest.fixture
def dd_world(params: Any, catalogue: Any, gm: Any, owner: Any) -> dict[str, Any]:
    from danbao.projects.flows import flows_ensure
    from danbao.workflow.models import FlowDefinition

    flows_ensure(gm)
    # The projects app's approval flows, whatever their codes: the first one for up to 5 million.
    std, major = list(FlowDefinition.objects.filter(flow_type="project.approval").order_by("code"))[:2]
    product = product_create(
        actor=None,
        code="XW-DD",
        name="小微贷款担保",
        terms=terms(amount_max=D("8000000")),
        materials=[
            MaterialItem("enterprise", "营业执照"),
            MaterialItem("enterprise", "近三年财务报表"),
            MaterialItem("enterprise", "纳税证明", required=False),
            MaterialItem("individual_business", "个体户营业执照"),
        ],
        bands=[Band(D("5000000"), std), Band(None, major)],
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    bank = make_bank("ICBC", "工商银行湖南省分行")
    branch = make_bank("ICBC-CS", "工商银行长沙分行", parent=bank)
    customer = make_customer(owner, name="长沙市金禾农业科技有限公司")
    return {"product": product, "bank": bank, "branch": branch, "customer": customer}


@pytest.fixture
def project(dd_world: dict[str, Any], owner: Any, b_manager: Any) -> Any:
    """A project in due diligence: owner is the A-role, b_manager the B-role."""
    from danbao.projects import services as project_services

    project = project_services.project_intake(
        actor=owner,
        customer=dd_world["customer"],
        product=dd_world["product"],
        amount=D("1000000"),
        term_months=12,
        purpose="购买原材料",
        repayment_method="interest_monthly",
        bank=dd_world["bank"],
        branch=dd_world["branch"],
        manager_a=owner,
        manager_b=b_manager,
    )
    return project_services.project_diligence_start(actor=owner, project=project)


def jpeg(exif_time: str | None = None, name: str = "site.jpg") -> SimpleUploadedFile:
    """A small real JPEG, with EXIF DateTimeOriginal when given ("2026:05:01 10:20:30")."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (120, 160, 90))
    out = io.BytesIO()
    if exif_time:
        exif = Image.Exif()
        exif.get_ifd(0x8769)[36867] = exif_time
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf_file(name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


def written(project: Any, owner: Any) -> Any:
    """Start and fill in the report (not signed)."""
    report = services.report_start(actor=owner, project=project)
    return services.report_save(actor=owner, report=report, **SECTION_TEXT)


def complete(project: Any, owner: Any, b_manager: Any) -> Any:
    """Everything readiness asks for: materials uploaded or waived, a visit, signed and confirmed."""
    import datetime as dt

    from danbao.diligence.models import DiligenceMaterial

    report = written(project, owner)
    for material in DiligenceMaterial.objects.filter(project=project, required=True):
        services.material_upload(actor=owner, material=material, upload=pdf_file())
    services.visit_record(actor=owner, project=project, visit_date=dt.date.today(), place="长沙县黄花镇厂区", notes="生产正常")
    report = services.report_sign(actor=owner, report=report)
    return services.report_confirm(actor=b_manager, report=report, opinion="同意A角意见")
