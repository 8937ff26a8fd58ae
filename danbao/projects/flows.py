"""The demo/installation approval flows of projects and changes, created through the workflow
services (a person holding workflow.definition.manage publishes them; the designer can change them).

- PA-10 标准审批 (amounts up to 5,000,000): department head → review committee → general manager
- PA-20 重大项目审批 (above): department head → review committee → general manager → chairman
- PC-10 项目变更审批: department head → general manager
"""

from __future__ import annotations

from typing import Any

from danbao.projects.services.common import APPROVAL_FLOW_TYPE, CHANGE_FLOW_TYPE


def _node(node_id: str, name: str, assignee: dict[str, Any], kind: str = "approval") -> dict[str, Any]:
    if kind == "committee":
        return {"id": node_id, "kind": "committee", "name": name}
    return {"id": node_id, "kind": "approval", "name": name, "mode": "single", "assignees": [assignee], "deadline_days": 3}


def linear(*nodes: dict[str, Any]) -> dict[str, Any]:
    """start → nodes … → end."""
    all_nodes = [{"id": "start", "kind": "start", "name": "提交"}, *nodes, {"id": "end", "kind": "end", "name": "结束"}]
    ids = [n["id"] for n in all_nodes]
    return {"nodes": all_nodes, "edges": [{"source": a, "target": b} for a, b in zip(ids, ids[1:], strict=False)]}


DEPT_HEAD = {"kind": "dept_head", "value": ""}
GM = {"kind": "role", "value": "general_manager"}
CHAIRMAN = {"kind": "role", "value": "chairman"}


def approval_graph(*, committee: bool = True, chairman: bool = False) -> dict[str, Any]:
    nodes = [_node("dept", "部门负责人审核", DEPT_HEAD)]
    if committee:
        nodes.append(_node("committee", "评审会", {}, kind="committee"))
    nodes.append(_node("gm", "总经理审批", GM))
    if chairman:
        nodes.append(_node("chair", "董事长审批", CHAIRMAN))
    return linear(*nodes)


FLOWS = (
    ("PA-10", "项目标准审批（500万元及以下）", APPROVAL_FLOW_TYPE, lambda: approval_graph()),
    ("PA-20", "重大项目审批（500万元以上）", APPROVAL_FLOW_TYPE, lambda: approval_graph(chairman=True)),
    ("PC-10", "项目变更审批", CHANGE_FLOW_TYPE, lambda: linear(_node("dept", "部门负责人审核", DEPT_HEAD), _node("gm", "总经理审批", GM))),
)


def flows_ensure(actor: Any) -> int:
    """Create and publish the flows above when missing (idempotent); returns how many were made."""
    from danbao.workflow.models import FlowDefinition
    from danbao.workflow.services import definition_create, version_draft_for, version_publish, version_save_graph

    created = 0
    for code, name, flow_type, graph in FLOWS:
        if FlowDefinition.objects.filter(code=code).exists():
            continue
        definition = definition_create(actor=actor, code=code, name=name, flow_type=flow_type)
        draft = version_draft_for(actor=actor, definition=definition)
        version_save_graph(actor=actor, version=draft, graph=graph())
        version_publish(actor=actor, version=draft)
        created += 1
    return created
