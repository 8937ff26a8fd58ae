"""Shared helpers of the review tests: the test flow type and ways to reach deep states through services."""

from __future__ import annotations

from typing import Any

from danbao.workflow import registry

EXECUTED: list[tuple[str, int]] = []
EXCLUDED: set[int] = set()


def _executor(name: str) -> Any:
    def run(obj: Any, *, instance: Any, actor: Any) -> None:
        EXECUTED.append((name, obj.pk))

    return run


FLOW_TYPE = registry.FlowType(
    code="test.review",
    label="Test committee approval",
    model="scopeapp.Record",
    excluded_users=lambda r: set(EXCLUDED),
    on_approved=_executor("approved"),
    on_rejected=_executor("rejected"),
    on_returned=_executor("returned"),
    describe=lambda r: f"测试业务：{r.title}，申请担保金额 500 万元",
)


def publish_committee_flow() -> Any:
    """start -> committee -> end, published for the test flow type."""
    from danbao.workflow.models import FlowDefinition, FlowVersion

    graph = {
        "nodes": [
            {"id": "start", "kind": "start", "name": "提交"},
            {"id": "meeting", "kind": "committee", "name": "评审会"},
            {"id": "end", "kind": "end", "name": "结束"},
        ],
        "edges": [{"source": "start", "target": "meeting"}, {"source": "meeting", "target": "end"}],
    }
    definition, _ = FlowDefinition.objects.get_or_create(code="review-test", defaults={"name": "评审测试流程", "flow_type": FLOW_TYPE.code})
    if not definition.versions.filter(status=FlowVersion.Status.PUBLISHED).exists():
        FlowVersion.objects.create(definition=definition, number=1, graph=graph, status=FlowVersion.Status.PUBLISHED)
    return definition


def convene(secretary: Any, meeting: Any, runs: list[Any], present: list[Any]) -> list[Any]:
    """Put `runs` on the agenda, open the meeting and record `present` (others absent); returns the items."""
    from danbao.review import services
    from danbao.review.models import Attendance

    items = [services.item_add(actor=secretary, meeting=meeting, node_run=run) for run in runs]
    services.meeting_convene(actor=secretary, meeting=meeting)
    present_ids = {m.pk for m in present}
    for row in Attendance.objects.filter(meeting=meeting).select_related("member"):
        status = "present" if row.member_id in present_ids else "absent"
        services.attendance_set(actor=secretary, meeting=meeting, member=row.member, status=status)
    return items


def vote_all(item: Any, votes: dict[Any, str]) -> None:
    """Each member (key) votes `choice` (value) with a short opinion (conditions when conditional)."""
    from danbao.review import services

    for member, choice in votes.items():
        services.vote_cast(
            actor=member.user,
            item=item,
            choice=choice,
            opinion=f"{member.name}的意见：风险可控",
            conditions="追加实际控制人连带责任保证" if choice == "conditional" else "",
        )
