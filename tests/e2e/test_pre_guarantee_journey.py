"""Issue 6, the whole pre-guarantee process in the browser on the demo institution: the business
manager takes an application, starts due diligence, writes the report, uploads the checklist
materials, records a site visit, runs the scorecard and signs; the B-role confirms; the A-role hands
the project to risk review; the risk manager reviews with the pre-approval rule results and the
regulatory what-if in view and submits; the department head approves; the review committee meets,
the members vote and the secretary decides; the general manager writes the terms and approves; the
approval letter downloads as a PDF whose text carries the project number and the amount in figures
and in Chinese capitals (pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=30_000)
DESKTOP = {"width": 1360, "height": 900}
AMOUNT = D("1000000")


def _choose() -> dict[str, Any]:
    """From the demo data: an enterprise customer of the business manager with statements and no
    open screening hit, a product for it whose band uses the standard flow (with the committee), a
    bank with an agreement in force."""
    from danbao.customers.models.customer import Customer
    from danbao.org.models import User
    from danbao.partners.models import Bank
    from danbao.products.selectors import active_products_on, approval_flow_for
    from danbao.scoring.selectors import versions_for_kind

    manager = User.objects.get(username="manager")
    customers = (
        Customer.objects.filter(manager=manager, status="active", kind="enterprise", statements__isnull=False)
        .exclude(screening_hits__status="open")
        .distinct()
        .order_by("pk")
    )
    customer = customers.first()
    assert customer is not None and versions_for_kind(customer.kind)
    product = next(
        p
        for p, v in active_products_on()
        if customer.kind in (v.customer_kinds or [customer.kind])
        and v.amount_min <= AMOUNT <= v.amount_max
        and (flow := approval_flow_for(v, AMOUNT)) is not None
        and flow.code == "PA-10"
    )
    bank = Bank.objects.filter(parent__isnull=True, is_active=True, agreements__status="in_force").order_by("code").first()
    return {"customer": customer, "product": product, "bank": bank, "manager2": User.objects.get(username="manager2")}


def _fresh(page: Any, login: Any, username: str) -> None:
    page.context.clear_cookies()
    login(username)
    expect(page.locator(".page-title")).to_be_visible()


def test_application_to_approval_letter(demo_org, login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.projects.models import Project
    from danbao.review.models import CommitteeMember, Meeting
    from danbao.scoring.models import Assessment

    chosen = _choose()
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. The business manager takes the application.
    _fresh(page, login, "manager")
    page.goto(f"{base}/projects/new/")
    page.select_option("select[name=customer]", str(chosen["customer"].pk))
    page.select_option("select[name=product]", str(chosen["product"].pk))
    page.fill("input[name=amount]", "1000000")
    page.fill("input[name=term_months]", "12")
    page.fill("input[name=purpose]", "收购稻谷")
    page.select_option("select[name=repayment_method]", "interest_monthly")
    page.select_option("select[name=bank]", str(chosen["bank"].pk))
    page.select_option("select[name=manager_b]", str(chosen["manager2"].pk))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("project-state")).to_have_text("已受理")
    project = Project.objects.get()
    page.get_by_test_id("start-diligence").click()
    expect(page.get_by_test_id("project-state")).to_have_text("尽调中")

    # Handing it to risk review now is refused: the due diligence is not done.
    page.get_by_test_id("submit-review").click()
    expect(page.locator(".alert-danger").first).to_contain_text("尽职调查")
    expect(page.get_by_test_id("project-state")).to_have_text("尽调中")

    # 2. The due-diligence report: write it, upload the materials, record the site visit.
    dd = f"{base}/diligence/project/{project.pk}/"
    page.goto(dd)
    page.get_by_test_id("dd-start").click()
    texts = {
        "company_basics": "成立于2015年，注册资本1000万元，股权清晰。",
        "operations": "主营粮食收购与加工，订单稳定。",
        "financial_comment": "资产负债率合理，经营性现金流为正。",
        "credit_comment": "企业及实际控制人征信无不良记录。",
        "related_comment": "关联方清晰，无对外担保。",
        "counter_guarantee_plan": "实际控制人夫妇连带责任保证。",
        "risk_points": "粮价波动；以订单回款监控缓释。",
        "conclusion": "建议同意担保100万元，期限12个月。",
        "proposed_conditions": "放款前落实反担保。",
    }
    for name, value in texts.items():
        page.fill(f"textarea[name={name}]", value)
    page.select_option("select[name=recommendation]", "recommend")
    page.fill("input[name=proposed_amount]", "1000000")
    page.fill("input[name=proposed_term_months]", "12")
    page.fill("input[name=proposed_fee_rate_percent]", "1.5")
    page.get_by_test_id("report-save").click()
    expect(page.get_by_test_id("dd-proposal")).to_contain_text("1.50%")
    licence = tmp_path / "材料.pdf"
    licence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    count = page.get_by_test_id("dd-material-file").count()
    assert count >= 1
    for index in range(count):
        page.get_by_test_id("dd-material-file").nth(index).set_input_files(str(licence))
        page.get_by_test_id("dd-material-upload").nth(index).click()
        expect(page.locator(".alert-success").first).to_be_visible()
    page.get_by_test_id("dd-visit-new").click()
    page.fill("input[name=place]", "长沙县黄花镇粮库")
    page.fill("textarea[name=notes]", "粮库在用，库存与账面一致，烘干设备运转正常。")
    page.fill("input[name=other_participants]", "企业法定代表人")
    page.get_by_test_id("visit-save").click()
    page.goto(dd)
    shot("journey-diligence-written")

    # 3. The scorecard for this project.
    page.goto(f"{base}/projects/{project.pk}/")
    page.get_by_test_id("run-scorecard").click()
    for select in page.locator("select[name^=answer_]").all():
        select.select_option(index=1)
    if page.locator("input[name=coverage]").count():
        page.fill("input[name=coverage]", "150")
    shot("journey-scorecard-form")
    page.get_by_test_id("score-submit").click()
    expect(page.get_by_test_id("dossier-scorecard")).to_be_visible()
    assert Assessment.objects.filter(subject_type__model="project", subject_id=str(project.pk)).count() == 1

    # 4. The A-role signs, the B-role confirms independently.
    page.goto(dd)
    page.get_by_test_id("dd-sign").click()
    expect(page.get_by_test_id("dd-a-signed")).to_be_visible()
    _fresh(page, login, "manager2")
    page.goto(dd)
    page.fill("textarea[name=opinion]", "经独立核实，同意A角调查结论。")
    page.get_by_test_id("dd-confirm").click()
    expect(page.get_by_test_id("dd-ready")).to_be_visible()

    # 5. The A-role hands the project to risk review.
    _fresh(page, login, "manager")
    page.goto(f"{base}/projects/{project.pk}/")
    page.get_by_test_id("submit-review").click()
    expect(page.get_by_test_id("project-state")).to_have_text("风险审查")

    # 6. The risk manager reviews with the rules before approval and the what-if in view.
    _fresh(page, login, "risk")
    page.goto(f"{base}/projects/{project.pk}/review/")
    expect(page.get_by_test_id("pre-approval-rules")).to_be_visible()
    expect(page.get_by_test_id("what-if-card")).to_be_visible()
    page.check("input[name=recommendation][value=conditional]")
    page.fill("textarea[name=opinion]", "主营稳定，第一还款来源充足，评分结果支持，同意提交审批。")
    page.fill("textarea[name=suggested_conditions]", "实际控制人夫妇提供连带责任反担保")
    shot("journey-risk-review")
    page.get_by_test_id("submit-approval").click()
    expect(page.get_by_test_id("project-state")).to_have_text("上会/审批中")

    # 7. The department head approves on the task page.
    _fresh(page, login, "depthead")
    page.goto(f"{base}/projects/{project.pk}/")
    page.get_by_test_id("open-task").click()
    page.fill("#approve-comment", "同意，提交评审会")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success, .toast").first).to_be_visible()

    # 8. The review committee: the secretary plans the meeting and puts the project on the agenda.
    _fresh(page, login, "risk2")
    page.goto(f"{base}/review/meetings/new/")
    when = timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.fill("input[name=title]", "项目评审会（浏览器旅程）")
    page.fill("input[name=scheduled_at]", when)
    page.fill("input[name=place]", "总部三楼第一会议室")
    members = list(CommitteeMember.objects.filter(is_active=True).select_related("user").order_by("user__username"))
    page.locator("select[name=chair]").select_option(str(members[0].pk))
    for box in page.locator("input[name=members]").all():
        box.check()
    page.get_by_test_id("save").click()
    meeting = Meeting.objects.get()
    expect(page.get_by_test_id("meeting-number")).to_have_text(meeting.number)
    page.get_by_test_id("item-add").click()
    expect(page.get_by_test_id("waiting-list")).to_contain_text(project.number)
    page.locator("[data-testid^=add-]").first.click()
    expect(page.locator(".alert-success")).to_contain_text("已列入议程")
    page.goto(f"{base}/review/meetings/{meeting.pk}/")
    page.get_by_test_id("convene").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("召开中")
    for member in members:
        page.get_by_test_id(f"att-{member.pk}-present").click()
        expect(page.get_by_test_id(f"attendance-{member.pk}")).to_contain_text("出席")

    # The members vote; the secretary decides.
    for member in members:
        _fresh(page, login, member.user.username)
        page.goto(f"{base}/review/meetings/mine/")
        page.locator("[data-testid^=to-vote-]").first.click()
        page.locator("label:has([data-testid=choice-agree])").click()
        page.fill("textarea[name=opinion]", "第一还款来源充足，反担保有效，同意。")
        page.get_by_test_id("vote-submit").click()
        expect(page.locator(".alert-success")).to_contain_text("投票已记录")
    _fresh(page, login, "risk2")
    page.goto(f"{base}/review/meetings/{meeting.pk}/")
    item = meeting.items.get()
    page.get_by_test_id(f"decide-{item.pk}").click()
    expect(page.get_by_test_id(f"item-status-{item.pk}")).to_have_text("通过")
    shot("journey-committee-decided")

    # 9. The general manager writes the terms and approves.
    _fresh(page, login, "gm")
    page.goto(f"{base}/projects/{project.pk}/")
    form = page.get_by_test_id("terms-form")
    form.locator("input[name=amount]").fill("1000000")
    form.locator("textarea[name=counter_guarantees]").fill("实际控制人夫妇提供连带责任保证")
    form.locator("textarea[name=conditions]").fill("落实反担保手续后出具担保函")
    page.get_by_test_id("save-terms").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    page.get_by_test_id("open-task").click()
    page.fill("#approve-comment", "同意")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success, .toast").first).to_be_visible()
    page.goto(f"{base}/projects/{project.pk}/")
    expect(page.get_by_test_id("project-state")).to_have_text("已批复")
    shot("journey-approved-dossier")

    # 10. The approval letter.
    project.refresh_from_db()
    response = page.request.get(f"{base}/projects/{project.pk}/letter/")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = subprocess.run(  # noqa: S603 - fixed local binary, no shell
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    assert project.number in text and project.approval_number in text
    assert "1,000,000.00" in text and "壹佰万元整" in text
