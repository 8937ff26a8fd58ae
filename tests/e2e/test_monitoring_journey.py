"""Post-guarantee inspection end to end (browser, phone-sized screen).

An approved project (the issue 7 journey's set-up, all services) is lent through the ledger's
disbursement service; the nightly monitoring job makes its plan. The risk class was raised to 次级
twelve days ago, so the fortnightly inspection falls due in two days and the reminder goes out. The
A-role business manager, on a 390×844 screen, finds it under 即将到期, writes the report, saves the
draft, adds a photo from the phone and submits; the department head accepts the report from the
overdue/review page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=30_000)
PHONE = {"width": 390, "height": 844}


def _in_force():  # type: ignore[no-untyped-def]
    from danbao.ledger import services as ledger
    from danbao.ledger.models import Guarantee
    from danbao.ledger.schedules import add_months
    from danbao.ledger.tests.support import issue_letter
    from danbao.monitoring import services as monitoring
    from danbao.monitoring.parameters import ensure_parameters
    from danbao.org.models import User
    from tests.e2e.test_issue7_journey import _approved_project

    project = _approved_project()
    head = User.objects.get(username="depthead")
    today = dt.date.today()
    loan_date = today - dt.timedelta(days=5)
    issue_letter(project, head, issue_date=today - dt.timedelta(days=10))
    ledger.disbursement_record(
        actor=User.objects.get(username="manager"),
        project=project,
        loan_contract_number="ICBC-JK-E2E-001",
        amount=D("500000"),
        loan_date=loan_date,
        maturity_date=add_months(loan_date, 12),
        interest_rate=D("0.0435"),
        repayment_method="annuity",
    )
    guarantee = Guarantee.objects.get(project=project)
    ensure_parameters()
    monitoring.monitoring_nightly(today)
    # The classification raised the guarantee to 次级 twelve days ago: inspections every fourteen days.
    monitoring.plan_replan(
        actor=None, guarantee=guarantee, risk_class="03", reason="逾期利息，分类下调为次级", on=today - dt.timedelta(days=12)
    )
    monitoring.tasks_remind(today)
    return guarantee


def _photo(path) -> str:  # type: ignore[no-untyped-def]
    from PIL import Image

    image = Image.new("RGB", (640, 480), (70, 130, 60))
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_an_inspection_falls_due_is_done_on_a_phone_and_accepted(login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.monitoring.models import InspectionReport, InspectionTask

    guarantee = _in_force()
    task = InspectionTask.objects.get(
        guarantee=guarantee, kind="periodic", status="open", planned_date=dt.date.today() + dt.timedelta(days=2)
    )
    url = live_server.url
    page.set_default_timeout(30_000)
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())

    login("manager")
    page.goto(f"{url}/monitoring/")
    expect(page.get_by_test_id("tab-soon")).to_contain_text("1")
    expect(page.get_by_test_id("task-item").first).to_contain_text(guarantee.customer.name)
    shot("monitoring-01-my-tasks-phone")
    page.get_by_test_id("task-item").first.click()
    expect(page.get_by_test_id("task-facts")).to_contain_text("2")
    page.select_option("#id_method", "on_site")
    page.fill("#id_operations", "企业正常生产，车间满负荷运转。")
    page.fill("#id_finances", "近三月流水与销售回款匹配。")
    page.fill("#id_collateral", "抵押房产现状良好，无查封。")
    page.fill("#id_loan_use", "贷款用于购买原材料，已核对采购合同。")
    page.fill("#id_risk_signals", "逾期利息已于上周结清。")
    page.fill("#id_conclusion", "经营恢复正常，建议观察后上调为关注类。")
    page.select_option("#id_suggested_class", "02")
    shot("monitoring-02-report-form-phone")
    page.get_by_test_id("report-save").click()
    expect(page.get_by_test_id("photo-save")).to_be_visible()
    page.set_input_files("#id_photo", _photo(tmp_path / "workshop.jpg"))
    page.fill("#id_caption", "生产车间")
    page.get_by_test_id("photo-save").click()
    expect(page.get_by_test_id("report-photo")).to_have_count(1)
    shot("monitoring-03-photo-added-phone")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-state")).to_contain_text("已提交")
    shot("monitoring-04-report-submitted-phone")
    report = InspectionReport.objects.get(task=task)
    assert report.photos.count() == 1 and report.suggested_class == "02"
    task.refresh_from_db()
    assert task.status == "done"

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login("depthead")
    page.goto(f"{url}/monitoring/overdue/")
    page.get_by_test_id("review-item").first.click()
    page.fill("#id_comment", "同意，继续按次级类跟踪。")
    page.get_by_test_id("report-accept").click()
    expect(page.get_by_test_id("report-state")).to_contain_text("已通过")
    shot("monitoring-05-report-accepted")
    page.goto(f"{url}/monitoring/guarantee/{guarantee.pk}/")
    expect(page.get_by_test_id("plan-class")).to_contain_text("次级")
    shot("monitoring-06-guarantee-monitoring")
    report.refresh_from_db()
    assert report.state == "accepted"
