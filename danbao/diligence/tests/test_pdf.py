"""The report PDF: every section, the ratios table, materials status, visits with photo thumbnails
and the sign-offs come out as text (pdftotext)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.diligence import services
from danbao.diligence.models import SiteVisit
from danbao.diligence.tests.support import complete, jpeg

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603,S607
    return result.stdout.decode()


def test_report_pdf_has_everything(project: Any, owner: Any, b_manager: Any) -> None:
    from danbao.customers.models import FinancialStatement

    for year, assets, liabilities in ((2023, "1000000", "600000"), (2024, "1200000", "650000"), (2025, "1500000", "700000")):
        FinancialStatement.objects.create(
            customer=project.customer,
            period_end=dt.date(year, 12, 31),
            total_assets_amount=D(assets),
            total_liabilities_amount=D(liabilities),
            equity_amount=D(assets) - D(liabilities),
            revenue_amount=D("2000000"),
            net_profit_amount=D("150000"),
        )
    report = complete(project, owner, b_manager)
    text = _text(services.report_print(actor=owner, report=report))
    flat = "".join(text.split())
    assert project.number in text and project.customer.name in flat
    for words in (
        "企业基本情况",
        "经营与行业情况",
        "财务分析",
        "征信情况",
        "关联方及对外担保",
        "反担保方案",
        "风险点及缓释措施",
        "调查结论",
    ):
        assert words in flat, words
    assert "2025-12-31" in text and "60.00%" in text and "46.67%" in text  # debt-to-asset 2023 and 2025
    assert "营业执照" in flat and "已上传" in flat
    assert "长沙县黄花镇厂区" in flat
    assert "王业务" in flat and "钱副手" in flat and "同意A角意见" in flat
    assert "玖拾万元整" in flat  # proposed amount in capitals


def test_pdf_embeds_photo_thumbnails(project: Any, owner: Any, b_manager: Any) -> None:
    from danbao.diligence.pdf import report_context

    report = services.report_start(actor=owner, project=project)
    visit = services.visit_record(actor=owner, project=project, visit_date=dt.date.today(), place="厂区", notes="正常")
    services.photo_add(actor=owner, visit=visit, upload=jpeg("2026:05:01 10:20:30"), caption="车间")
    context = report_context(project, report)
    photo = context["visits"][0].photo_list[0]
    assert photo.thumb.startswith("data:image/jpeg;base64,")
    data = services.report_print(actor=owner, report=report)
    assert data.startswith(b"%PDF")
    assert b"/Subtype /Image" in data or b"/Image" in data
    assert SiteVisit.objects.count() == 1
