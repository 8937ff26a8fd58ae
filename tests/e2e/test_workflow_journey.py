"""Issue 5 journey: the general manager designs a three-step flow with an amount branch in the designer
(graph as JSON beside its diagram), publishes it; a submission runs through it with one return to the
submitter and a re-submission; the right people approve (each signs in); the approval page works at
phone width; the instance page shows the path taken on the diagram and in the timeline."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AMOUNTS: dict[int, str] = {}
FLOW_TYPE = "e2e.record"
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"

GRAPH = {
    "nodes": [
        {"id": "start", "kind": "start", "name": "提交"},
        {
            "id": "mgr",
            "kind": "approval",
            "name": "部门负责人审批",
            "mode": "single",
            "assignees": [{"kind": "dept_head"}],
            "deadline_days": 2,
        },
        {
            "id": "risk",
            "kind": "approval",
            "name": "风险经理审批",
            "mode": "any",
            "assignees": [{"kind": "role", "value": "risk_manager"}],
            "deadline_days": 3,
        },
        {"id": "gate", "kind": "condition", "name": "金额判断"},
        {"id": "gm", "kind": "approval", "name": "总经理审批", "mode": "single", "assignees": [{"kind": "position", "value": "GM"}]},
        {"id": "end", "kind": "end", "name": "结束"},
    ],
    "edges": [
        {"source": "start", "target": "mgr"},
        {"source": "mgr", "target": "risk"},
        {"source": "risk", "target": "gate"},
        {"source": "gate", "target": "gm", "condition": {"field": "amount", "op": ">", "value": "5000000"}},
        {"source": "gate", "target": "end"},
        {"source": "gm", "target": "end"},
    ],
}


@pytest.fixture
def flow_type(settings: Any, tmp_path: Any) -> Any:
    """A test-only flow type over tests/scopeapp's Record (the business object of this journey)."""
    from danbao.workflow import registry

    settings.MEDIA_ROOT = tmp_path / "media"
    flow = registry.FlowType(
        code=FLOW_TYPE,
        label="测试业务审批",
        model="scopeapp.Record",
        fields={"amount": "decimal"},
        field_labels={"amount": "担保金额（元）"},
        values=lambda r: {"amount": AMOUNTS.get(r.pk, "0")},
        describe=lambda r: f"担保申请 {r.title}",
    )
    registry.register(flow, replace=True)
    yield flow
    registry.unregister(FLOW_TYPE)
    AMOUNTS.clear()


def _sign_in(page: Any, login: Any, username: str) -> None:
    page.context.clear_cookies()
    login(username)
    expect(page.locator(".page-title")).to_be_visible()


def _open_my_task(page: Any, live_server: Any, title: str) -> None:
    page.goto(f"{live_server.url}/workflow/todo/")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_test_id("task-actions")).to_be_visible()


def test_design_publish_return_resubmit_approve_and_see_the_path(demo_org, flow_type, login, page, live_server, shot, tmp_path) -> None:
    from danbao.org.models import Department, User
    from danbao.workflow import services
    from danbao.workflow.models import Action, FlowDefinition, FlowInstance
    from tests.scopeapp.models import Record

    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size({"width": 1360, "height": 900})

    # 1. The general manager (workflow.definition.manage) creates the flow and designs it.
    _sign_in(page, login, "gm")
    page.goto(f"{live_server.url}/workflow/definitions/")
    page.fill("input[name=code]", "e2e-guarantee")
    page.fill("input[name=name]", "担保申请审批")
    page.locator("select[name=flow_type]").select_option(FLOW_TYPE)
    page.get_by_test_id("create-definition").click()
    expect(page.get_by_test_id("designer-nodes")).to_be_visible()
    page.locator("details.card summary").click()
    page.fill("textarea[name=graph]", json.dumps(GRAPH, ensure_ascii=False, indent=2))
    page.get_by_test_id("designer-form").locator("button").click()
    expect(page.get_by_test_id("designer-nodes")).to_contain_text("风险经理审批")
    expect(page.get_by_test_id("designer-nodes")).to_contain_text("或签")
    expect(page.get_by_test_id("designer-edges")).to_contain_text("担保金额（元） > 5,000,000.00")
    expect(page.get_by_test_id("designer-nodes")).to_contain_text("风险经理 (risk_manager)")
    page.wait_for_function("document.querySelector('#workflow-diagram canvas') !== null")
    shot("workflow-designer")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("new-draft")).to_be_visible()
    expect(page.get_by_test_id("shown-version")).to_contain_text("v1")
    definition = FlowDefinition.objects.get(code="e2e-guarantee")
    assert list(definition.versions.values_list("number", "status")) == [(1, "published")]
    page.reload()  # looking again creates nothing
    assert definition.versions.count() == 1
    shot("workflow-designer-published")

    # 2. The business manager submits a 6,000,000 item (the test business object) into the flow.
    manager = User.objects.get(username="manager")
    record = Record.objects.create(title="浏阳河农业", department=Department.objects.get(code="BIZ1"), owner=manager)
    AMOUNTS[record.pk] = "6000000"
    instance = services.instance_start(actor=manager, flow_type=FLOW_TYPE, obj=record)
    title = "担保申请 浏阳河农业"

    # 3. The department head returns it to the submitter with a reason.
    _sign_in(page, login, "depthead")
    _open_my_task(page, live_server, title)
    page.locator("[data-testid=form-return] >> xpath=..").locator("summary").click()
    form = page.get_by_test_id("form-return")
    form.locator("select[name=target]").select_option("submitter")
    form.locator("textarea[name=comment]").fill("请补充近两年财务报表")
    form.locator("button").click()
    expect(page.locator(".alert-success, .toast").first).to_be_visible()
    assert FlowInstance.objects.get(pk=instance.pk).current_node == "start"

    # 4. The submitter sees why and submits again.
    _sign_in(page, login, "manager")
    page.goto(f"{live_server.url}/workflow/instances/{instance.pk}/")
    expect(page.get_by_test_id("workflow-timeline")).to_contain_text("请补充近两年财务报表")
    page.get_by_test_id("resubmit").locator("input[name=comment]").fill("已补充 2024、2025 年报表")
    page.get_by_test_id("resubmit").locator("button").click()
    expect(page.get_by_test_id("workflow-timeline")).to_contain_text("已补充 2024、2025 年报表")
    assert FlowInstance.objects.get(pk=instance.pk).current_node == "mgr"

    # 5. The department head approves on a phone, with a condition and an attached file.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login("depthead")
    page.goto(f"{live_server.url}/workflow/todo/")
    expect(page.get_by_role("link", name=title).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the to-do list scrolls sideways on a phone"
    shot("workflow-todo-phone")
    _open_my_task(page, live_server, title)
    opinion = tmp_path / "部门意见.pdf"
    opinion.write_bytes(PDF)
    page.fill("#approve-comment", "同意，风险可控")
    page.get_by_test_id("approve-conditions").fill("放款前办妥房产抵押登记")
    page.get_by_test_id("approve-files").set_input_files(str(opinion))
    expect(page.locator('[data-file-names="approve-files"]')).to_have_text("部门意见.pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the task page scrolls sideways on a phone"
    shot("workflow-task-phone")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success, .toast").first).to_be_visible()
    assert FlowInstance.objects.get(pk=instance.pk).current_node == "risk"
    page.set_viewport_size({"width": 1360, "height": 900})

    # 6. A risk manager (或签 among the risk managers) approves; the amount is above 5,000,000.
    _sign_in(page, login, "risk")
    _open_my_task(page, live_server, title)
    expect(page.get_by_test_id("workflow-business")).to_contain_text("担保金额（元）")
    expect(page.get_by_test_id("workflow-timeline")).to_contain_text("放款前办妥房产抵押登记")
    shot("workflow-task-desktop")
    page.fill("#approve-comment", "同意")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success, .toast").first).to_be_visible()
    assert FlowInstance.objects.get(pk=instance.pk).current_node == "gm"

    # 7. The general manager approves the large item.
    _sign_in(page, login, "gm")
    _open_my_task(page, live_server, title)
    page.fill("#approve-comment", "同意")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success, .toast").first).to_be_visible()
    page.goto(f"{live_server.url}/workflow/instances/?status=approved")
    expect(page.get_by_test_id("workflow-instances")).to_contain_text(title)
    shot("workflow-all-approvals")
    instance = FlowInstance.objects.get(pk=instance.pk)
    assert instance.status == "approved"
    assert instance.path == ["start", "mgr", "start", "mgr", "risk", "gate", "gm", "end"]

    # 8. The submitter sees the path: highlighted on the diagram and step by step in the timeline.
    _sign_in(page, login, "manager")
    page.goto(f"{live_server.url}/workflow/instances/{instance.pk}/")
    timeline = page.get_by_test_id("workflow-timeline")
    for text in (
        "请补充近两年财务报表",
        "已补充 2024、2025 年报表",
        "放款前办妥房产抵押登记",
        "部门意见.pdf",
        "部门负责人审批",
        "风险经理审批",
        "总经理审批",
    ):
        expect(timeline).to_contain_text(text)
    actions = list(Action.objects.filter(instance=instance).order_by("pk").values_list("action", flat=True))
    assert actions == ["submit", "return", "resubmit", "approve", "approve", "approve", "approved"]
    diagram = json.loads(page.locator("#workflow-diagram-data").text_content())
    states = {n["id"]: n["state"] for n in diagram["nodes"]}
    assert states == {"start": "visited", "mgr": "visited", "risk": "visited", "gate": "visited", "gm": "visited", "end": "visited"}
    taken = {(link["source"], link["target"]) for link in diagram["links"] if link["taken"]}
    assert ("gate", "gm") in taken and ("gate", "end") not in taken
    page.wait_for_function("document.querySelector('#workflow-diagram canvas') !== null")
    with page.expect_download() as download:
        timeline.get_by_role("link", name="部门意见.pdf").click()
    assert download.value.suggested_filename == "部门意见.pdf"
    shot("workflow-instance-history")
