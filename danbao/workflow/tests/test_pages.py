"""Approval pages: permission (200/403/404) and happy paths with their effects."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.workflow import services
from danbao.workflow.models import FlowDefinition, FlowInstance, FlowVersion, Task
from danbao.workflow.tests.conftest import approval, linear, publish, users

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(owner, dept_head, colleague, record):
    publish(
        {
            **linear(
                approval("mgr", users(dept_head)),
                {"id": "copy", "kind": "cc", "assignees": [users(colleague)]},
                approval("risk", users(colleague)),
            ),
        }
    )
    return services.instance_start(actor=owner, flow_type="test.record", obj=record)


def test_todo_lists_my_pending_task_and_feeds_the_workbench(client_for, dept_head, running):
    from danbao.core.workbench import todos_for

    response = client_for(dept_head).get(reverse("workflow:todo"))
    assert response.status_code == 200
    assert "记录 R1" in response.content.decode()
    [todo] = [t for t in todos_for(dept_head) if t.title == "记录 R1"]
    assert todo.url == reverse("workflow:task", args=[Task.objects.get(instance=running).pk])


def test_lists_need_sign_in_only(client, client_for, nobody, running):
    assert client.get(reverse("workflow:todo")).status_code == 302
    for name in ("workflow:todo", "workflow:done", "workflow:cc"):
        assert client_for(nobody).get(reverse(name)).status_code == 200


def test_task_page_only_for_its_assignee(client_for, dept_head, colleague, outsider, running):
    task = Task.objects.get(instance=running)
    response = client_for(dept_head).get(reverse("workflow:task", args=[task.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="task-actions"' in body and "workflow-diagram-data" in body and "amount" in body
    assert client_for(outsider).get(reverse("workflow:task", args=[task.pk])).status_code == 404
    assert client_for(outsider).get(reverse("workflow:instance", args=[running.pk])).status_code == 404


def test_approve_from_the_page_then_done_list(client_for, dept_head, colleague, running):
    task = Task.objects.get(instance=running)
    mark = audit_mark()
    client = client_for(dept_head)
    response = client.post(reverse("workflow:task-act", args=[task.pk]), {"action": "approve", "comment": "同意"}, follow=True)
    assert response.status_code == 200
    assert FlowInstance.objects.get(pk=running.pk).current_node == "risk"
    assert_one_event("workflow.task_approve", since=mark, actor_id=dept_head.pk)
    assert "记录 R1" in client.get(reverse("workflow:done")).content.decode()
    # a second click on the same task: a clear message, nothing applied twice
    response = client.post(reverse("workflow:task-act", args=[task.pk]), {"action": "approve"}, follow=True)
    assert "孙部长" in response.content.decode()


def test_cc_inbox_and_instance_page_mark_read(client_for, dept_head, colleague, running):
    services.task_approve(actor=dept_head, task=Task.objects.get(instance=running))
    client = client_for(colleague)
    assert "记录 R1" in client.get(reverse("workflow:cc")).content.decode()
    response = client.get(reverse("workflow:instance", args=[running.pk]))
    assert response.status_code == 200 and 'data-testid="workflow-timeline"' in response.content.decode()
    assert running.carbon_copies.get(user=colleague).read_at is not None


def test_reject_without_reason_shows_the_message(client_for, dept_head, running):
    task = Task.objects.get(instance=running)
    response = client_for(dept_head).post(reverse("workflow:task-act", args=[task.pk]), {"action": "reject", "comment": ""}, follow=True)
    assert FlowInstance.objects.get(pk=running.pk).status == "running"
    assert response.status_code == 200


def test_return_withdraw_resubmit_from_the_pages(client_for, owner, dept_head, running):
    task = Task.objects.get(instance=running)
    client_for(dept_head).post(reverse("workflow:task-act", args=[task.pk]), {"action": "return", "target": "submitter", "comment": "补充"})
    assert FlowInstance.objects.get(pk=running.pk).current_node == "start"
    client = client_for(owner)
    page = client.get(reverse("workflow:instance", args=[running.pk])).content.decode()
    assert 'data-testid="resubmit"' in page
    client.post(reverse("workflow:instance-act", args=[running.pk]), {"action": "resubmit", "comment": "已补充"})
    assert FlowInstance.objects.get(pk=running.pk).current_node == "mgr"


def test_terminate_needs_the_admin(client_for, dept_head, gm, running):
    client_for(dept_head).post(reverse("workflow:instance-act", args=[running.pk]), {"action": "terminate", "comment": "x"})
    assert FlowInstance.objects.get(pk=running.pk).status == "running"
    client_for(gm).post(reverse("workflow:instance-act", args=[running.pk]), {"action": "terminate", "comment": "客户放弃"})
    assert FlowInstance.objects.get(pk=running.pk).status == "terminated"


def test_monitor_permission(client_for, gm, dept_head, sysadmin, running):
    assert client_for(gm).get(reverse("workflow:monitor")).status_code == 200
    assert client_for(dept_head).get(reverse("workflow:monitor")).status_code == 403
    assert client_for(sysadmin).get(reverse("workflow:monitor")).status_code == 403


def test_designer_create_edit_publish(client_for, gm, dept_head, sysadmin):
    assert client_for(sysadmin).get(reverse("workflow:definition-list")).status_code == 403
    assert client_for(dept_head).get(reverse("workflow:definition-list")).status_code == 403
    client = client_for(gm)
    assert client.get(reverse("workflow:definition-list")).status_code == 200
    response = client.post(reverse("workflow:definition-list"), {"code": "rec-flow", "name": "记录审批", "flow_type": "test.record"})
    definition = FlowDefinition.objects.get(code="rec-flow")
    assert response.status_code == 302
    page = client.get(reverse("workflow:designer", args=[definition.pk]))
    assert page.status_code == 200 and "workflow-diagram-data" in page.content.decode()
    bad = linear(approval("mgr", users(dept_head)))
    bad["edges"].append({"source": "mgr", "target": "end", "condition": {"field": "salary", "op": ">", "value": "1"}})
    url = reverse("workflow:designer", args=[definition.pk])
    client.post(url, {"op": "json", "graph": json.dumps(bad)})
    response = client.post(url, {"op": "publish"}, follow=True)
    assert "salary" in response.content.decode()
    assert not definition.versions.filter(status="published").exists()
    mark = audit_mark()
    good = linear(approval("mgr", users(dept_head), deadline_days=2))
    client.post(url, {"op": "json", "graph": json.dumps(good)})
    client.post(url, {"op": "publish"})
    assert FlowVersion.objects.get(definition=definition, status="published").number == 1
    assert_one_event("workflow.version_publish", since=mark, actor_id=gm.pk)
    page = client.get(url).content.decode()  # published, no draft: shown read-only, nothing created
    assert 'data-testid="new-draft"' in page and 'data-testid="node-form"' not in page
    assert not definition.versions.filter(status="draft").exists()
    client.post(url, {"op": "new_draft"})  # the button creates draft v2 for the next change
    assert definition.versions.filter(status="draft", number=2).exists()


def test_designer_get_never_creates_a_version(client_for, gm, dept_head):
    from danbao.workflow import services as wf

    definition = wf.definition_create(actor=gm, code="ro", name="只读", flow_type="test.record")
    url = reverse("workflow:designer", args=[definition.pk])
    client = client_for(gm)
    client.post(url, {"op": "json", "graph": json.dumps(linear(approval("mgr", users(dept_head))))})
    client.post(url, {"op": "publish"})
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
    assert list(definition.versions.values_list("number", "status")) == [(1, "published")]
    assert "v1" in response.content.decode()
    # an edit without a draft is refused with a message and changes nothing
    response = client.post(url, {"op": "edge_delete", "index": "0"}, follow=True)
    assert "新建草稿版本" in response.content.decode()
    assert definition.versions.get().graph["edges"][0] == {"source": "start", "target": "mgr"}
    # only designers may create the draft, and only by POST; a second click re-uses it
    assert client_for(dept_head).post(url, {"op": "new_draft"}).status_code == 403
    assert not definition.versions.filter(status="draft").exists()
    client = client_for(gm)
    mark = audit_mark()
    client.post(url, {"op": "new_draft"})
    client.post(url, {"op": "new_draft"})
    assert list(definition.versions.order_by("number").values_list("number", "status")) == [(1, "published"), (2, "draft")]
    assert definition.versions.get(number=2).graph == definition.versions.get(number=1).graph
    assert 'data-testid="node-form"' in client.get(url).content.decode()
    assert_one_event("workflow.version_draft", since=mark, actor_id=gm.pk)


def test_remove_an_added_signer_from_the_task_page(client_for, dept_head, colleague, outsider, running):
    task = Task.objects.get(instance=running)
    services.task_add_signer(actor=dept_head, task=task, user=colleague, position="before")
    signer = Task.objects.get(parent=task)
    client = client_for(dept_head)
    page = client.get(reverse("workflow:task", args=[task.pk])).content.decode()
    assert 'data-testid="added-signers"' in page and 'data-testid="remove-signer"' in page
    url = reverse("workflow:signer-remove", args=[task.pk, signer.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(colleague).post(reverse("workflow:signer-remove", args=[signer.pk, signer.pk])).status_code == 404
    client = client_for(dept_head)  # one test client: sign the holder in again
    assert client.post(url).status_code == 302
    assert Task.objects.get(pk=signer.pk).status == "cancelled"
    assert Task.objects.get(pk=task.pk).status == "pending"
    assert client.post(url).status_code == 404  # already removed


def test_designer_builds_a_three_step_flow_with_an_amount_branch(client_for, gm, dept_head, risk_manager, owner, record):
    from danbao.workflow import services as wf

    definition = wf.definition_create(actor=gm, code="built", name="三级审批", flow_type="test.record")
    client = client_for(gm)
    url = reverse("workflow:designer", args=[definition.pk])
    client.post(url, {"op": "edge_delete", "index": "0"})  # drop start -> end of the starter graph
    steps = [
        {
            "node-node_id": "mgr",
            "node-kind": "approval",
            "node-name": "部门负责人",
            "node-mode": "single",
            "node-assignee_kind": "dept_head",
            "node-deadline_days": "2",
            "node-escalation": "superior",
        },
        {"node-node_id": "gate", "node-kind": "condition", "node-name": "金额判断"},
        {
            "node-node_id": "risk",
            "node-kind": "approval",
            "node-name": "风险经理",
            "node-mode": "single",
            "node-assignee_kind": "users",
            "node-assignee_value": risk_manager.username,
        },
    ]
    for step in steps:
        assert client.post(url, {"op": "node", **step}).status_code == 302
    edges = [
        {"edge-source": "start", "edge-target": "mgr"},
        {"edge-source": "mgr", "edge-target": "gate"},
        {"edge-source": "gate", "edge-target": "risk", "edge-field": "amount", "edge-op": ">", "edge-value": "5000000"},
        {"edge-source": "gate", "edge-target": "end"},
        {"edge-source": "risk", "edge-target": "end"},
    ]
    for edge in edges:
        assert client.post(url, {"op": "edge", **edge}).status_code == 302
    client.post(url, {"op": "publish"})
    version = definition.versions.get(status="published")
    assert [n["id"] for n in version.graph["nodes"]] == ["start", "end", "mgr", "gate", "risk"]
    from danbao.workflow.tests.conftest import AMOUNTS

    AMOUNTS[record.pk] = "6000000"
    instance = wf.instance_start(actor=owner, flow_type="test.record", obj=record)
    wf.task_approve(actor=dept_head, task=Task.objects.get(instance=instance, status="pending"))
    assert FlowInstance.objects.get(pk=instance.pk).current_node == "risk"


def test_designer_step_form_refuses_unknown_login_names(client_for, gm):
    from danbao.workflow import services as wf

    definition = wf.definition_create(actor=gm, code="bad", name="坏流程", flow_type="test.record")
    response = client_for(gm).post(
        reverse("workflow:designer", args=[definition.pk]),
        {
            "op": "node",
            "node-node_id": "x",
            "node-kind": "approval",
            "node-name": "X",
            "node-assignee_kind": "users",
            "node-assignee_value": "ghost",
        },
    )
    assert response.status_code == 200 and "ghost" in response.content.decode()
    assert len(definition.versions.get(status="draft").graph["nodes"]) == 2


def test_supervisor_reassigns_a_stuck_task(client_for, gm, dept_head, colleague, owner, running):
    task = Task.objects.get(instance=running)
    # the holder sees the decision form, not the supervisor's reassignment
    page = client_for(dept_head).get(reverse("workflow:task", args=[task.pk])).content.decode()
    assert 'data-testid="task-actions"' in page and 'data-testid="task-reassign"' not in page
    url = reverse("workflow:task-reassign", args=[task.pk])
    assert client_for(dept_head).post(url, {"user": colleague.pk, "reason": "x"}).status_code == 403
    client = client_for(gm)
    page = client.get(reverse("workflow:monitor")).content.decode()
    page = client.get(reverse("workflow:task", args=[task.pk])).content.decode()
    assert 'data-testid="task-reassign"' in page and 'data-testid="task-actions"' not in page
    # the submitter cannot take the task over
    response = client.post(url, {"user": owner.pk, "reason": "休假"}, follow=True)
    assert Task.objects.get(pk=task.pk).status == "pending"
    assert "不能接手" in response.content.decode() or owner.real_name in response.content.decode()
    mark = audit_mark()
    assert client.post(url, {"user": colleague.pk, "reason": "孙部长休假"}).status_code == 302
    assert Task.objects.get(pk=task.pk).status == "transferred"
    new = Task.objects.get(instance=running, status="pending")
    assert new.assignee == colleague and new.node_run_id == task.node_run_id
    assert_one_event("workflow.task_reassign", since=mark, actor_id=gm.pk)
    timeline = client.get(reverse("workflow:instance", args=[running.pk])).content.decode()
    assert "孙部长休假" in timeline


def test_all_approvals_list_for_supervisors(client_for, gm, dept_head, sysadmin, owner, running):
    url = reverse("workflow:instance-list")
    assert client_for(dept_head).get(url).status_code == 403
    assert client_for(sysadmin).get(url).status_code == 403
    assert client_for(owner).get(url).status_code == 403
    client = client_for(gm)
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "记录 R1" in body and "mgr" in body
    assert "记录 R1" not in client.get(url, {"status": "approved"}).content.decode()
    assert "记录 R1" in client.get(url, {"status": "running", "flow_type": "test.record"}).content.decode()
    mark = audit_mark()
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]
    assert_one_event("data.export", since=mark, actor_id=gm.pk)


def test_designer_stops_and_resumes_a_flow(client_for, gm, dept_head):
    from danbao.workflow import services as wf

    definition = wf.definition_create(actor=gm, code="stop", name="停用测试", flow_type="test.record")
    url = reverse("workflow:designer", args=[definition.pk])
    assert client_for(dept_head).post(url, {"op": "deactivate", "reason": "x"}).status_code == 403
    client = client_for(gm)
    response = client.post(url, {"op": "deactivate", "reason": ""}, follow=True)
    assert response.status_code == 200 and 'data-testid="inactive"' not in response.content.decode()
    assert FlowDefinition.objects.get(pk=definition.pk).is_active
    client.post(url, {"op": "deactivate", "reason": "合并到新流程"})
    assert not FlowDefinition.objects.get(pk=definition.pk).is_active
    response = client.get(url)
    assert 'data-testid="inactive"' in response.content.decode()
    client.post(url, {"op": "activate"})
    assert FlowDefinition.objects.get(pk=definition.pk).is_active
