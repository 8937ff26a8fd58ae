"""Reads of the approval engine a user sees: my tasks, my done items, CC, instances, monitoring."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from danbao.core.workbench import Todo
from danbao.workflow.models import Action, CarbonCopy, FlowDefinition, FlowInstance, FlowVersion, NodeRun, Task


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


def instances_for_supervisor() -> QuerySet[FlowInstance]:
    """All approvals (callers check workflow.instance.admin): the supervisor's overview."""
    return FlowInstance.objects.select_related("submitter", "version", "version__definition").order_by("-started_at")


def timeline(instance: FlowInstance) -> list[Action]:
    """The instance's history, oldest first; each action carries `files` (its attachments) and
    `to_step` (the name of the step it returned to). Only for a user who may see the instance."""
    from danbao.workflow.attachments import files_by_action

    actions = list(Action.objects.filter(instance=instance).select_related("actor").order_by("pk"))
    files = files_by_action([a.pk for a in actions])
    for action in actions:
        action.files = files.get(action.pk, [])  # type: ignore[attr-defined]
    return actions


def node_runs(instance: FlowInstance) -> list[NodeRun]:
    return list(NodeRun.objects.filter(instance=instance).prefetch_related("tasks__assignee").order_by("pk"))


def definitions_list() -> QuerySet[FlowDefinition]:
    return FlowDefinition.objects.prefetch_related("versions").order_by("code")


def definition_get(pk: int) -> FlowDefinition:
    definition = FlowDefinition.objects.filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition


def draft_of(definition: FlowDefinition) -> FlowVersion | None:
    """The definition's draft version, if it has one (reading never creates one)."""
    return definition.versions.filter(status=FlowVersion.Status.DRAFT).order_by("-number").first()


def newest_version(definition: FlowDefinition) -> FlowVersion | None:
    return definition.versions.order_by("-number").first()


def user_names(pks: list[Any]) -> list[str]:
    """Display names of users by id, in the given order (the designer shows named assignees)."""
    from danbao.org.models import User

    found = {u.pk: u.real_name or u.username for u in User.objects.filter(pk__in=[p for p in pks if isinstance(p, int)])}
    return [found.get(p, str(p)) for p in pks]


def org_name(kind: str, code: str) -> str:
    """The name of a role or position code for the designer ("风险经理 (risk_manager)")."""
    from danbao.org.models import Position, Role

    model = Position if kind == "position" else Role
    name = model.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{name} ({code})" if name else code


def added_signers(task: Task) -> list[Task]:
    """Signers added to `task` (before or after it) who have not acted yet."""
    return list(
        Task.objects.filter(parent=task, kind__in=(Task.Kind.ADD_BEFORE, Task.Kind.ADD_AFTER), status__in=Task.OPEN)
        .select_related("assignee")
        .order_by("pk")
    )


def added_signer_get(task: Task, pk: int) -> Task:
    """One open added signer of `task`; 404 for anything else."""
    for signer in added_signers(task):
        if signer.pk == pk:
            return signer
    raise Http404


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
    fields = [
        (str(flow_type.field_labels.get(name, name)), display_value(values.get(name, ""), flow_type.fields.get(name, ""))) for name in names
    ]
    return {"description": flow_type.describe(obj), "fields": fields, "url": flow_type.url_of(obj)}


def display_value(value: Any, kind: str) -> Any:
    """A business value as a page shows it: amounts with thousands separators, dates YYYY-MM-DD."""
    from danbao.core.money import format_amount

    if value in (None, ""):
        return ""
    if kind == "decimal":
        try:
            return format_amount(value)
        except ValueError:
            return value
    if kind == "date" and hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if kind == "bool":
        from django.utils.translation import gettext

        return gettext("Yes") if value else gettext("No")
    return value


def diagram(graph_json: dict[str, Any], path: list[str] | None = None, current: str = "", *, flow_type: Any = None) -> dict[str, Any]:
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
    from danbao.workflow.forms import NODE_KIND_CHOICES

    kind_labels = dict(NODE_KIND_CHOICES)
    # End steps on a row of their own after everything else, so the flow reads to its end.
    last = max((d for node_id, d in depth.items() if graph.node(node_id).kind != "end"), default=0)
    for n in graph.nodes:
        if n.kind == "end" and n.id in depth:
            depth[n.id] = last + 1
    rows: dict[int, int] = {}
    nodes = []
    for n in graph.nodes:
        level = depth.get(n.id, max(depth.values(), default=0) + 1)
        row = rows.get(level, 0)
        rows[level] = row + 1
        state = "current" if n.id == current else ("visited" if n.id in visited else "idle")
        nodes.append(
            {
                "id": n.id,
                "name": n.name or n.id,
                "kind": n.kind,
                "kind_label": str(kind_labels.get(n.kind, n.kind)),
                "x": level * 160,
                "y": row * 90,
                "state": state,
            }
        )
    walked = list(path or [])
    pairs = set(zip(walked, walked[1:], strict=False))
    links = [
        {
            "source": e.source,
            "target": e.target,
            "label": condition_text(e.condition, flow_type) if e.condition else "",
            "taken": (e.source, e.target) in pairs,
        }
        for e in graph.edges
    ]
    return {"nodes": nodes, "links": links}


def condition_text(cond: Any, flow_type: Any = None) -> str:
    """A branch condition in words: field labels of the flow type, amounts with separators."""
    labels = dict(flow_type.field_labels) if flow_type is not None else {}
    kinds = dict(flow_type.fields) if flow_type is not None else {}
    if not isinstance(cond, dict):
        return ""
    if "and" in cond:
        return " 且 ".join(condition_text(c, flow_type) for c in cond["and"])
    if "or" in cond:
        return " 或 ".join(condition_text(c, flow_type) for c in cond["or"])
    if "not" in cond:
        return f"非({condition_text(cond['not'], flow_type)})"
    name = cond.get("field")
    kind = kinds.get(name, "")
    value = cond.get("value")
    shown = "、".join(str(display_value(v, kind)) for v in value) if isinstance(value, list) else display_value(value, kind)
    return f"{labels.get(name, name)} {cond.get('op')} {shown}"
