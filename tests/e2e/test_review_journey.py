"""Review committee journey: the secretary plans a meeting and puts an approval waiting at the
committee step on the agenda, records attendance, the five members vote on phone-sized screens, the
secretary decides (the approval moves on) and downloads the minutes PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1360, "height": 900}


@pytest.fixture
def waiting_approval(transactional_db: Any) -> Any:
    """Demo organisation and committee, a test-only flow type (start → committee → end) and one
    approval submitted by the demo business manager, now waiting at the committee step."""
    from danbao.org.demo import seed as seed_org
    from danbao.org.models import User
    from danbao.review.demo import seed as seed_review
    from danbao.workflow import registry
    from danbao.workflow.models import FlowDefinition, FlowVersion
    from danbao.workflow.services import instance_start
    from tests.scopeapp.models import Record

    seed_org()
    seed_review()
    flow_type = registry.FlowType(
        code="e2e.review",
        label="E2E committee approval",
        model="scopeapp.Record",
        describe=lambda r: f"{r.title}：申请融资担保 300 万元，期限 1 年，反担保为房产抵押。",
    )
    registry.register(flow_type, replace=True)
    graph = {
        "nodes": [
            {"id": "start", "kind": "start", "name": "提交"},
            {"id": "meeting", "kind": "committee", "name": "评审会"},
            {"id": "end", "kind": "end", "name": "结束"},
        ],
        "edges": [{"source": "start", "target": "meeting"}, {"source": "meeting", "target": "end"}],
    }
    definition = FlowDefinition.objects.create(code="e2e-review", name="评审测试流程", flow_type=flow_type.code)
    FlowVersion.objects.create(definition=definition, number=1, graph=graph, status=FlowVersion.Status.PUBLISHED)
    manager = User.objects.get(username="manager")
    record = Record.objects.create(title="浏阳河生态农业专业合作社", department=manager.department, owner=manager)
    instance = instance_start(actor=manager, flow_type=flow_type.code, obj=record)
    yield instance
    registry.unregister(flow_type.code)


def _sign_in_fresh(page: Any, login: Any, username: str) -> None:
    page.context.clear_cookies()
    login(username)
    expect(page.locator(".page-title")).to_be_visible()


def test_meeting_votes_on_phones_decision_and_minutes(waiting_approval, login, page, live_server, shot, tmp_path) -> None:
    from danbao.review.models import CommitteeMember, Meeting
    from danbao.workflow.models import FlowInstance

    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size(DESKTOP)
    _sign_in_fresh(page, login, "risk")

    # The secretary plans the meeting.
    page.goto(f"{live_server.url}/review/meetings/new/")
    when = timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.fill("input[name=title]", "2026年第12次项目评审会")
    page.fill("input[name=scheduled_at]", when)
    page.fill("input[name=place]", "总部三楼第一会议室")
    chair = CommitteeMember.objects.get(user__username="committee1")
    page.locator("select[name=chair]").select_option(str(chair.pk))
    for box in page.locator("input[name=members]").all():
        box.check()
    shot("review-meeting-form")
    page.get_by_test_id("save").click()
    number = Meeting.objects.get().number
    expect(page.get_by_test_id("meeting-number")).to_have_text(number)

    # The approval waiting at the committee step goes on the agenda; the meeting opens.
    page.get_by_test_id("item-add").click()
    expect(page.get_by_test_id("waiting-list")).to_contain_text("浏阳河生态农业专业合作社")
    shot("review-waiting-list")
    page.locator("[data-testid^=add-]").first.click()
    expect(page.locator(".alert-success")).to_contain_text("已列入议程")
    page.goto(f"{live_server.url}/review/meetings/{Meeting.objects.get().pk}/")
    page.get_by_test_id("convene").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("召开中")
    members = list(CommitteeMember.objects.filter(user__username__startswith="committee").order_by("user__username"))
    for member in members:
        page.get_by_test_id(f"att-{member.pk}-present").click()
        expect(page.get_by_test_id(f"attendance-{member.pk}")).to_contain_text("出席")
    shot("review-meeting-in-session")

    # Each member votes on a phone.
    page.set_viewport_size(PHONE)
    choices = {"committee1": "agree", "committee2": "agree", "committee3": "conditional", "committee4": "agree", "committee5": "disagree"}
    for username, choice in choices.items():
        _sign_in_fresh(page, login, username)
        page.goto(f"{live_server.url}/review/meetings/mine/")
        page.locator("[data-testid^=to-vote-]").first.click()
        page.locator(f"label:has([data-testid=choice-{choice}])").click()
        page.fill(
            "textarea[name=opinion]", f"{username}：经营稳定，反担保充足。" if choice != "disagree" else "行业下行，第一还款来源不足。"
        )
        if choice == "conditional":
            page.fill("textarea[name=conditions]", "追加实际控制人夫妇连带责任保证")
        if username == "committee3":
            shot("review-vote-phone")
        page.get_by_test_id("vote-submit").click()
        expect(page.locator(".alert-success")).to_contain_text("投票已记录")

    # The secretary decides; the approval leaves the committee step.
    page.set_viewport_size(DESKTOP)
    _sign_in_fresh(page, login, "risk")
    meeting = Meeting.objects.get()
    page.goto(f"{live_server.url}/review/meetings/{meeting.pk}/")
    item = meeting.items.get()
    expect(page.get_by_test_id(f"preview-{item.pk}")).to_contain_text("通过")
    page.get_by_test_id(f"decide-{item.pk}").click()
    expect(page.get_by_test_id(f"item-status-{item.pk}")).to_have_text("通过")
    expect(page.get_by_test_id(f"item-result-{item.pk}")).to_contain_text("追加实际控制人夫妇连带责任保证")
    shot("review-decided")
    assert FlowInstance.objects.get(pk=waiting_approval.pk).status == "approved"

    with page.expect_download() as download:
        page.get_by_test_id("minutes-pdf").click()
    target = tmp_path / "minutes.pdf"
    download.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        command = ["pdftotext", "-layout", str(target), "-"]
        text = subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603,S607
        assert number in text and "行业下行，第一还款来源不足" in text and "表决结果：通过" in text
