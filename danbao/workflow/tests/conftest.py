"""Workflow test fixtures: a test-only flow type on tests.scopeapp.Record and flow builders."""

from __future__ import annotations

from typing import Any

import pytest

from danbao.workflow import registry
from danbao.workflow.models import FlowDefinition, FlowVersion

AMOUNTS: dict[int, str] = {}
EXECUTED: list[tuple[str, int]] = []
EXCLUDED: set[int] = set()


def _record_executor(name: str) -> Any:
    def run(obj: Any, *, instance: Any, actor: Any) -> None:
        EXECUTED.append((name, obj.pk))
        obj.title = f"{obj.title} [{name}]"
        obj.save(update_fields=["title"])

    return run


TEST_TYPE = registry.FlowType(
    code="test.record",
    label="Test record approval",
    model="scopeapp.Record",
    fields={"amount": "decimal", "owner": "user"},
    values=lambda r: {"amount": AMOUNTS.get(r.pk, "0"), "owner": r.owner_id},
    excluded_users=lambda r: set(EXCLUDED),
    on_approved=_record_executor("approved"),
    on_rejected=_record_executor("rejected"),
    on_returned=_record_executor("returned"),
    on_resubmitted=_record_executor("resubmitted"),
    describe=lambda r: f"记录 {r.title}",
)


@pytest.fixture(autouse=True)
def test_flow_type() -> Any:
    registry.register(TEST_TYPE, replace=True)
    AMOUNTS.clear()
    EXECUTED.clear()
    EXCLUDED.clear()
    yield TEST_TYPE
    registry.unregister(TEST_TYPE.code)


def approval(node_id: str, *rules: dict[str, Any], mode: str = "single", **extra: Any) -> dict[str, Any]:
    return {"id": node_id, "kind": "approval", "name": node_id, "mode": mode, "assignees": list(rules), **extra}


def users(*people: Any) -> dict[str, Any]:
    return {"kind": "users", "value": [p.pk for p in people]}


def linear(*nodes: dict[str, Any]) -> dict[str, Any]:
    """start -> nodes... -> end."""
    all_nodes = [{"id": "start", "kind": "start", "name": "提交"}, *nodes, {"id": "end", "kind": "end", "name": "结束"}]
    ids = [n["id"] for n in all_nodes]
    return {"nodes": all_nodes, "edges": [{"source": a, "target": b} for a, b in zip(ids, ids[1:], strict=False)]}


def publish(graph: dict[str, Any], code: str = "rec") -> FlowVersion:
    definition, _ = FlowDefinition.objects.get_or_create(code=code, defaults={"name": "测试流程", "flow_type": TEST_TYPE.code})
    number = definition.versions.count() + 1
    definition.versions.filter(status=FlowVersion.Status.PUBLISHED).update(status=FlowVersion.Status.RETIRED)
    return FlowVersion.objects.create(definition=definition, number=number, graph=graph, status=FlowVersion.Status.PUBLISHED)


@pytest.fixture
def gm(org: Any) -> Any:
    """A supervisor holding the three workflow codes (fallback queue, instance admin, designer)."""
    from danbao.org.models import Role
    from danbao.org.tests.factories import UserFactory

    role = Role.objects.create(
        code="wf_gm",
        name="流程主管",
        data_scope="all",
        permissions=["workbench.view", "workflow.definition.manage", "workflow.instance.admin", "workflow.fallback.handle"],
    )
    return UserFactory(username="gm", department=org.head_office, roles=[role], real_name="陈总")


@pytest.fixture
def record(org: Any, owner: Any) -> Any:
    from tests.scopeapp.models import Record

    return Record.objects.create(title="R1", department=org.dept_a, owner=owner)
