"""Reads of the approval engine a user sees: my tasks, my done items, CC, instances, monitoring."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from danbao.core.workbench import Todo
from danbao.workflow.models import Action, CarbonCopy, FlowDefinition, FlowInstance, NodeRun, Task


def task_todo_for(user: Any) -> QuerySet[Task]:
    return (
        Task.objects.filter(assignee=user, status=Task.Status.PENDING, instance__status=FlowInstance.Status.RUNNING)
        .select_related("instance", "instance__submitter", "node_run")
        .order_by("due_date", "pk")
    )


def task_done_for(user: Any) -> QuerySet[Task]:
    return (
        Task.objects.filter(acted_by=user)
        .exclude(kind=Task.Kind.RESUBMIT)
        .select_related("instance", "instance__submitter", "node_run")
        .order_by("-acted_at")
    )


def cc_for(user: Any) -> QuerySet[CarbonCopy]:
    return CarbonCopy.objects.filter(user=user).select_related("instance", "instance__submitter").order_by("-created_at")


def todos_for(user: Any) -> list[Todo]:
    """Workbench provider: my pending approval tasks (overdue ones are urgent)."""
    from django.urls import NoReverseMatch, reverse

    def link(pk: int) -> str:
        try:
            return reverse("workflow:task", args=[pk])
        except NoReverseMatch:
            return ""

    today = timezone.localdate()
    return [
        Todo(
            kind=t.node_run.node_name or "审批",
            title=t.instance.title,
            url=link(t.pk),
            due_date=t.due_date,
            urgent=bool(t.due_date and t.due_date <= today),
        )
        for t in task_todo_for(user)[:50]
    ]


def task_get_for(user: Any, pk: int) -> Task:
    """A task its assignee (or a supervisor) may open; 404 for anyone else."""
    task = Task.objects.select_related("instance", "instance__submitter", "instance__version", "node_run", "assignee").filter(pk=pk).first()
    if task is None or not (task.assignee_id == user.pk or user.can("workflow.instance.admin")):
        raise Http404
    return task


def instance_involves(user: Any, instance: FlowInstance) -> bool:
    return (
        instance.submitter_id == user.pk
        or user.can("workflow.instance.admin")
        or Task.objects.filter(instance=instance, assignee=user).exists()
        or CarbonCopy.objects.filter(instance=instance, user=user).exists()
    )


def instance_get_for(user: Any, pk: int) -> FlowInstance:
    """An instance the user takes part in (submitter, assignee, CC) or supervises; 404 otherwise."""
    instance = FlowInstance.objects.select_related("version", "version__definition", "submitter").filter(pk=pk).first()
    if instance is None or not instance_involves(user, instance):
        raise Http404
    return instance


def timeline(instance: FlowInstance) -> list[Action]:
    return list(Action.objects.filter(instance=instance).select_related("actor").order_by("pk"))


def node_runs(instance: FlowInstance) -> list[NodeRun]:
    return list(NodeRun.objects.filter(instance=instance).prefetch_related("tasks__assignee").order_by("pk"))


def definitions_list() -> QuerySet[FlowDefinition]:
    return FlowDefinition.objects.prefetch_related("versions").order_by("code")


def definition_get(pk: int) -> FlowDefinition:
    definition = FlowDefinition.objects.filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition


def my_pending_task(user: Any, instance: FlowInstance) -> Task | None:
    return Task.objects.filter(instance=instance, assignee=user, status=Task.Status.PENDING).exclude(kind=Task.Kind.RESUBMIT).first()


def stuck_tasks(*, today: Any = None) -> QuerySet[Task]:
    """Open tasks past their due date or sitting in the fallback queue (for supervisors)."""
    from django.db.models import Q

    today = today or timezone.localdate()
    return (
        Task.objects.filter(status=Task.Status.PENDING, instance__status=FlowInstance.Status.RUNNING)
        .filter(Q(due_date__lt=today) | Q(fallback=True))
        .select_related("instance", "assignee", "node_run")
        .order_by("due_date", "pk")
    )


def business_view(instance: FlowInstance, node_id: str | None = None) -> dict[str, Any]:
    """The business object as the step may show it: its description and the node's visible fields."""
    from danbao.workflow import registry
    from danbao.workflow.engine.graph import Graph, GraphError

    if instance.flow_type not in registry.flow_types:
        return {"description": instance.title, "fields": [], "url": ""}
    flow_type = registry.get(instance.flow_type)
    obj = flow_type.model_class()._default_manager.filter(pk=instance.object_id).first()
    if obj is None:
        return {"description": instance.title, "fields": [], "url": ""}
    values = flow_type.values(obj)
    names: tuple[str, ...] = ()
    if node_id:
        try:
            names = Graph.from_json(instance.version.graph).node(node_id).visible_fields
        except GraphError:
            names = ()
    if not names:
        names = tuple(name for name, kind in flow_type.fields.items() if kind != "user")
    fields = [(str(flow_type.field_labels.get(name, name)), values.get(name, "")) for name in names]
    return {"description": flow_type.describe(obj), "fields": fields, "url": flow_type.url_of(obj)}


def diagram(graph_json: dict[str, Any], path: list[str] | None = None, current: str = "") -> dict[str, Any]:
    """ECharts graph data: nodes laid out by depth from the start, the path taken highlighted."""
    from danbao.workflow.engine.graph import Graph, GraphError

    try:
        graph = Graph.from_json(graph_json)
    except GraphError:
        return {"nodes": [], "links": []}
    visited = set(path or [])
    depth: dict[str, int] = {}
    starts = [n.id for n in graph.nodes if n.kind == "start"]
    frontier = starts[:1]
    for start in frontier:
        depth[start] = 0
    while frontier:
        nxt = []
        for node_id in frontier:
            for edge in graph.outgoing(node_id):
                if edge.target not in depth:
                    depth[edge.target] = depth[node_id] + 1
                    nxt.append(edge.target)
        frontier = nxt
    rows: dict[int, int] = {}
    nodes = []
    for n in graph.nodes:
        level = depth.get(n.id, max(depth.values(), default=0) + 1)
        row = rows.get(level, 0)
        rows[level] = row + 1
        state = "current" if n.id == current else ("visited" if n.id in visited else "idle")
        nodes.append({"id": n.id, "name": n.name or n.id, "kind": n.kind, "x": level * 160, "y": row * 90, "state": state})
    walked = list(path or [])
    pairs = set(zip(walked, walked[1:], strict=False))
    links = [
        {
            "source": e.source,
            "target": e.target,
            "label": _condition_text(e.condition) if e.condition else "",
            "taken": (e.source, e.target) in pairs,
        }
        for e in graph.edges
    ]
    return {"nodes": nodes, "links": links}


def _condition_text(cond: Any) -> str:
    if not isinstance(cond, dict):
        return ""
    if "and" in cond:
        return " 且 ".join(_condition_text(c) for c in cond["and"])
    if "or" in cond:
        return " 或 ".join(_condition_text(c) for c in cond["or"])
    if "not" in cond:
        return f"非({_condition_text(cond['not'])})"
    return f"{cond.get('field')} {cond.get('op')} {cond.get('value')}"
