"""Approval pages: my to-do / done / CC lists, task and instance pages, designer, monitor (thin views)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import login_only, require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list
from danbao.workflow import attachments as action_files
from danbao.workflow import registry, selectors, services
from danbao.workflow.engine import graph as graph_edit
from danbao.workflow.forms import (
    ASSIGNEE_SHORT,
    MODE_CHOICES,
    NODE_KIND_CHOICES,
    DefinitionForm,
    EdgeForm,
    GraphForm,
    InstanceActionForm,
    NodeForm,
    ReassignForm,
    TaskActionForm,
)
from danbao.workflow.models import FlowDefinition, FlowInstance, FlowVersion, Task

DESIGN = "workflow.definition.manage"
ADMIN = "workflow.instance.admin"


def _task_link(t: Task) -> str:
    return reverse("workflow:task", args=[t.pk])


def _instance_link(row: Any) -> str:
    return reverse("workflow:instance", args=[row.instance_id])


TODO = ListSpec(
    name="workflow-todo",
    columns=[
        Column("instance__title", gettext_lazy("Item"), sort_field="instance__title", link=_task_link),
        Column("node_run__node_name", gettext_lazy("Step"), sort_field="node_run__node_name"),
        Column("kind", gettext_lazy("Task"), display=lambda t: t.get_kind_display()),
        Column("instance__submitter__real_name", gettext_lazy("Submitted by")),
        Column("created_at", gettext_lazy("Received at"), sort_field="created_at", kind="datetime"),
        Column("due_date", gettext_lazy("Due date"), sort_field="due_date", kind="date"),
    ],
    search_fields=("instance__title",),
    search_placeholder=gettext_lazy("Search items"),
    default_sort="due_date",
)

DONE = ListSpec(
    name="workflow-done",
    columns=[
        Column("instance__title", gettext_lazy("Item"), sort_field="instance__title", link=_instance_link),
        Column("node_run__node_name", gettext_lazy("Step")),
        Column("action", gettext_lazy("My action"), display=lambda t: ACTION_LABELS.get(t.action, t.action)),
        Column("acted_at", gettext_lazy("Acted at"), sort_field="acted_at", kind="datetime"),
        Column("instance__status", gettext_lazy("Approval status"), display=lambda t: t.instance.get_status_display()),
    ],
    filters=[Filter("status", gettext_lazy("Approval status"), "instance__status", FlowInstance.Status.choices)],
    search_fields=("instance__title",),
    search_placeholder=gettext_lazy("Search items"),
    default_sort="-acted_at",
)

CC = ListSpec(
    name="workflow-cc",
    columns=[
        Column("instance__title", gettext_lazy("Item"), sort_field="instance__title", link=_instance_link),
        Column("instance__submitter__real_name", gettext_lazy("Submitted by")),
        Column("created_at", gettext_lazy("Copied at"), sort_field="created_at", kind="datetime"),
        Column("read_at", gettext_lazy("Read"), kind="bool", display=lambda c: c.read_at is not None),
    ],
    search_fields=("instance__title",),
    search_placeholder=gettext_lazy("Search items"),
    default_sort="-created_at",
)

STUCK = ListSpec(
    name="workflow-monitor",
    columns=[
        Column("instance__title", gettext_lazy("Item"), sort_field="instance__title", link=_task_link),
        Column("node_run__node_name", gettext_lazy("Step")),
        Column("assignee__real_name", gettext_lazy("Assignee"), sort_field="assignee__real_name"),
        Column("due_date", gettext_lazy("Due date"), sort_field="due_date", kind="date"),
        Column("fallback", gettext_lazy("Fallback queue"), kind="bool"),
    ],
    search_fields=("instance__title", "assignee__real_name"),
    default_sort="due_date",
)


def _current_step(instance: FlowInstance) -> str:
    if instance.status != FlowInstance.Status.RUNNING:
        return "—"
    names = {n.get("id"): n.get("name") for n in instance.version.graph.get("nodes", []) if isinstance(n, dict)}
    return names.get(instance.current_node) or instance.current_node


INSTANCES = ListSpec(
    name="workflow-instances",
    columns=[
        Column("title", gettext_lazy("Item"), sort_field="title", link=lambda i: reverse("workflow:instance", args=[i.pk])),
        Column("flow_type", gettext_lazy("Flow type"), display=lambda i: dict(registry.choices()).get(i.flow_type, i.flow_type)),
        Column("version__definition__name", gettext_lazy("Flow")),
        Column("submitter__real_name", gettext_lazy("Submitted by"), sort_field="submitter__real_name"),
        Column("current_node", gettext_lazy("Current step"), display=_current_step),
        Column("started_at", gettext_lazy("Submitted at"), sort_field="started_at", kind="datetime"),
        Column("finished_at", gettext_lazy("Finished at"), sort_field="finished_at", kind="datetime", default=False),
        Column("status", gettext_lazy("Approval status"), display=lambda i: i.get_status_display()),
    ],
    filters=[
        Filter("status", gettext_lazy("Approval status"), "status", FlowInstance.Status.choices),
        Filter("flow_type", gettext_lazy("Flow type"), "flow_type", lambda user: registry.choices()),
    ],
    date_ranges=[DateRange("started", gettext_lazy("Submission date"), "started_at")],
    search_fields=("title", "submitter__real_name"),
    search_placeholder=gettext_lazy("Search items or submitters"),
    default_sort="-started_at",
    export_name=gettext_lazy("Approvals"),
    export_permission=ADMIN,
)

ACTION_LABELS = {
    "submit": gettext_lazy("Submitted"),
    "resubmit": gettext_lazy("Submitted again"),
    "approve": gettext_lazy("Approved"),
    "reject": gettext_lazy("Rejected"),
    "return": gettext_lazy("Returned"),
    "transfer": gettext_lazy("Transferred"),
    "reassign": gettext_lazy("Reassigned by a supervisor"),
    "delegate": gettext_lazy("Delegated"),
    "opinion": gettext_lazy("Gave an opinion"),
    "add_signer": gettext_lazy("Added a signer"),
    "remove_signer": gettext_lazy("Removed a signer"),
    "removed": gettext_lazy("Removed"),
    "withdraw": gettext_lazy("Withdrawn"),
    "terminate": gettext_lazy("Terminated"),
    "urge": gettext_lazy("Urged"),
    "cc": gettext_lazy("Copied"),
    "fallback": gettext_lazy("Sent to the fallback queue"),
    "escalate": gettext_lazy("Escalated (overdue)"),
    "approved": gettext_lazy("Approval finished: approved"),
    "rejected": gettext_lazy("Approval finished: rejected"),
    "committee_approved": gettext_lazy("Committee: approved"),
    "committee_rejected": gettext_lazy("Committee: rejected"),
    "committee_returned": gettext_lazy("Committee: reconsider"),
}

STEP_ACTIONS = {"approve", "reject", "return", "opinion", "transfer", "reassign", "delegate", "add_signer", "remove_signer", "escalate"}
STEP_ACTIONS |= {"committee_approved", "committee_rejected", "committee_returned"}


@login_only
def todo_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, TODO, selectors.task_todo_for(request.user), "workflow/todo.html")


@login_only
def done_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, DONE, selectors.task_done_for(request.user), "workflow/done.html")


@login_only
def cc_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, CC, selectors.cc_for(request.user), "workflow/cc.html")


@require_permission(ADMIN)
def monitor(request: HttpRequest) -> HttpResponse:
    return render_list(request, STUCK, selectors.stuck_tasks(), "workflow/monitor.html")


@require_permission(ADMIN)
def instance_list(request: HttpRequest) -> HttpResponse:
    """Every approval, running or finished, for supervisors (filters, search, Excel export)."""
    return render_list(request, INSTANCES, selectors.instances_for_supervisor(), "workflow/instance_list.html")


def _instance_context(instance: FlowInstance, node_id: str | None) -> dict[str, Any]:
    timeline = selectors.timeline(instance)
    names = {n.get("id"): n.get("name") or n.get("id") for n in instance.version.graph.get("nodes", [])}
    for action in timeline:
        action.label = ACTION_LABELS.get(action.action, action.action)  # type: ignore[attr-defined]
        action.step_name = names.get(action.from_node, "") if action.action in STEP_ACTIONS else ""  # type: ignore[attr-defined]
    return {
        "instance": instance,
        "business": selectors.business_view(instance, node_id),
        "timeline": timeline,
        "runs": selectors.node_runs(instance),
        "diagram": selectors.diagram(
            instance.version.graph,
            instance.path,
            instance.current_node if instance.status == "running" else "",
            flow_type=registry.flow_types.get(instance.flow_type) if instance.flow_type in registry.flow_types else None,
        ),
    }


@login_only
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for(request.user, pk)
    if task.kind == Task.Kind.RESUBMIT:
        return redirect("workflow:instance", task.instance_id)
    context = _instance_context(task.instance, task.node_run.node_id)
    form = TaskActionForm()
    context.update(
        task=task,
        form=form,
        actionable=task.status == Task.Status.PENDING and task.assignee_id == request.user.pk,
        return_targets=services.return_targets(task.instance),
        people=form.fields["user"].queryset,
        added_signers=selectors.added_signers(task),
        can_remove_signers=task.assignee_id == request.user.pk or request.user.can(ADMIN),
        can_reassign=task.status == Task.Status.PENDING
        and task.instance.status == FlowInstance.Status.RUNNING
        and task.assignee_id != request.user.pk
        and request.user.can(ADMIN),
        file_accept=",".join(f".{ext}" for ext in action_files.ALLOWED),
        file_types=" / ".join(ext.upper() for ext in action_files.ALLOWED),
        max_files=action_files.MAX_FILES,
    )
    return render(request, "workflow/task.html", context)


@require_POST
@require_permission(ADMIN)
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor hands a stuck task to someone else (with a reason)."""
    task = selectors.task_get_for(request.user, pk)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("workflow:task", pk)
    try:
        services.task_reassign(actor=request.user, task=task, to_user=form.cleaned_data["user"], reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("workflow:task", pk)
    messages.success(request, _("Task reassigned to %(name)s.") % {"name": form.cleaned_data["user"]})
    return redirect("workflow:monitor")


@require_POST
@login_only
def signer_remove(request: HttpRequest, pk: int, signer: int) -> HttpResponse:
    """减签: the task's holder (or a supervisor) takes back a signer they added who has not acted."""
    task = selectors.task_get_for(request.user, pk)
    added = selectors.added_signer_get(task, signer)
    try:
        services.task_remove_signer(actor=request.user, task=added)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signer removed."))
    return redirect("workflow:task", pk)


@require_POST
@login_only
def task_act(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for(request.user, pk)
    form = TaskActionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("workflow:task", pk)
    data, user, actor = form.cleaned_data, form.cleaned_data.get("user"), request.user
    action, comment, files = data["action"], data["comment"], data["attachments"]
    try:
        if action == "approve":
            services.task_approve(actor=actor, task=task, comment=comment, conditions=data["conditions"], attachments=files)
        elif action == "reject":
            services.task_reject(actor=actor, task=task, comment=comment, attachments=files)
        elif action == "return":
            services.task_return(actor=actor, task=task, reason=comment, target=data["target"] or "previous", attachments=files)
        elif action == "transfer":
            services.task_transfer(actor=actor, task=task, to_user=user, comment=comment)
        elif action == "delegate":
            services.task_delegate(actor=actor, task=task, to_user=user, comment=comment)
        else:
            services.task_add_signer(actor=actor, task=task, user=user, position=data["position"] or "after", comment=comment)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("workflow:task", pk)
    messages.success(request, _("Done: %(action)s.") % {"action": dict(TaskActionForm.base_fields["action"].choices)[action]})
    return redirect("workflow:todo")


@login_only
def instance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instance = selectors.instance_get_for(request.user, pk)
    services.cc_mark_read(user=request.user, instance=instance)
    context = _instance_context(instance, None)
    user = request.user
    running = instance.status == FlowInstance.Status.RUNNING
    is_submitter = instance.submitter_id == user.pk
    context.update(
        can_resubmit=running and is_submitter and instance.current_node == instance.path[0] if instance.path else False,
        can_withdraw=running and is_submitter,
        can_urge=running and (is_submitter or user.can(ADMIN)),
        can_terminate=running and user.can(ADMIN),
        my_task=selectors.my_pending_task(user, instance),
    )
    return render(request, "workflow/instance.html", context)


@require_POST
@login_only
def instance_act(request: HttpRequest, pk: int) -> HttpResponse:
    instance = selectors.instance_get_for(request.user, pk)
    form = InstanceActionForm(request.POST)
    if not form.is_valid():
        raise Http404
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    try:
        if action == "resubmit":
            services.instance_resubmit(actor=request.user, instance=instance, comment=comment)
        elif action == "withdraw":
            services.instance_withdraw(actor=request.user, instance=instance, reason=comment)
        elif action == "urge":
            services.instance_urge(actor=request.user, instance=instance, comment=comment)
        else:
            services.instance_terminate(actor=request.user, instance=instance, reason=comment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": dict(InstanceActionForm.base_fields["action"].choices)[action]})
    return redirect("workflow:instance", pk)


DEFINITIONS = ListSpec(
    name="workflow-definitions",
    columns=[
        Column("name", gettext_lazy("Name"), sort_field="name", link=lambda d: reverse("workflow:designer", args=[d.pk])),
        Column("code", gettext_lazy("Code"), sort_field="code"),
        Column("flow_type", gettext_lazy("Flow type"), display=lambda d: dict(registry.choices()).get(d.flow_type, d.flow_type)),
        Column("published", gettext_lazy("Published version"), display=lambda d: _published_number(d)),
        Column("is_active", gettext_lazy("Active"), kind="bool"),
    ],
    search_fields=("name", "code"),
    default_sort="code",
)


def _published_number(definition: FlowDefinition) -> str:
    published = [v.number for v in definition.versions.all() if v.status == FlowVersion.Status.PUBLISHED]
    return f"v{published[0]}" if published else "—"


@require_permission(DESIGN)
def definition_list(request: HttpRequest) -> HttpResponse:
    form = DefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.definition_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Flow created. Design its steps and publish it."))
            return redirect("workflow:designer", definition.pk)
    return render_list(request, DEFINITIONS, selectors.definitions_list(), "workflow/definition_list.html", {"form": form})


@require_permission(DESIGN)
def designer(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the flow; edit its draft (step form, branch form, removal buttons, raw graph); publish.

    A GET only shows: the draft if there is one, otherwise the newest version read-only with a
    "new draft version" button. Only that POST creates a draft (no side effect on GET)."""
    definition = selectors.definition_get(pk)
    draft = selectors.draft_of(definition)
    shown = draft or selectors.newest_version(definition)
    graph = shown.graph if shown else {"nodes": [], "edges": []}
    flow_type = registry.flow_types.get(definition.flow_type) if definition.flow_type in registry.flow_types else None
    fields = dict(flow_type.condition_fields) if flow_type else {}
    node_choices = [(n.get("id"), f"{n.get('name') or n.get('id')} ({n.get('id')})") for n in graph.get("nodes", [])]
    op = request.POST.get("op", "") if request.method == "POST" else ""
    node_form = NodeForm(request.POST if op == "node" else None, prefix="node")
    edge_form = EdgeForm(request.POST if op == "edge" else None, prefix="edge", nodes=node_choices, fields=fields)
    graph_form = GraphForm(request.POST if op == "json" else None, initial={"graph": json.dumps(graph, ensure_ascii=False, indent=2)})
    if request.method == "POST":
        if op == "new_draft":
            try:
                draft = services.version_draft_for(actor=request.user, definition=definition)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Draft version %(number)s is ready for editing.") % {"number": draft.number})
            return redirect("workflow:designer", pk)
        if op in ("deactivate", "activate"):
            try:
                services.definition_set_active(
                    actor=request.user, definition=definition, active=op == "activate", reason=request.POST.get("reason", "")
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The flow is offered again.") if op == "activate" else _("The flow is no longer offered."))
            return redirect("workflow:designer", pk)
        if draft is None:
            messages.error(request, _("There is no draft to change. Create a new draft version first."))
            return redirect("workflow:designer", pk)
        new_graph: dict[str, Any] | None = None
        if op == "node" and node_form.is_valid():
            new_graph = graph_edit.with_node(draft.graph, node_form.node())
        elif op == "node_delete":
            new_graph = graph_edit.without_node(draft.graph, request.POST.get("node_id", ""))
        elif op == "edge" and edge_form.is_valid():
            new_graph = graph_edit.with_edge(draft.graph, edge_form.edge())
        elif op == "edge_delete" and request.POST.get("index", "").isdigit():
            new_graph = graph_edit.without_edge(draft.graph, int(request.POST["index"]))
        elif op == "json" and graph_form.is_valid():
            new_graph = graph_form.cleaned_data["graph"]
        try:
            if new_graph is not None:
                services.version_save_graph(actor=request.user, version=draft, graph=new_graph)
                messages.success(request, _("Draft saved."))
                return redirect("workflow:designer", pk)
            if op == "publish":
                services.version_publish(actor=request.user, version=draft)
                messages.success(
                    request, _("Version %(number)s published. Running approvals stay on their version.") % {"number": draft.number}
                )
                return redirect("workflow:designer", pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            if op == "publish":
                return redirect("workflow:designer", pk)
    step_names = {n.get("id"): n.get("name") or n.get("id") for n in graph.get("nodes", []) if isinstance(n, dict)}
    context = {
        "definition": definition,
        "hide_legend": True,
        "draft": draft,
        "shown": shown,
        "node_form": node_form,
        "edge_form": edge_form,
        "graph_form": graph_form,
        "nodes": [_node_row(n) for n in graph.get("nodes", [])],
        "edges": [
            (
                i,
                e,
                selectors.condition_text(e.get("condition"), flow_type) if isinstance(e, dict) and e.get("condition") else "",
                step_names.get(e.get("source"), e.get("source")) if isinstance(e, dict) else "",
                step_names.get(e.get("target"), e.get("target")) if isinstance(e, dict) else "",
            )
            for i, e in enumerate(graph.get("edges", []))
        ],
        "versions": definition.versions.order_by("-number"),
        "fields": fields,
        "diagram": selectors.diagram(graph, flow_type=flow_type),
    }
    return render(request, "workflow/designer.html", context)


def _node_row(node: dict[str, Any]) -> dict[str, Any]:
    """A step as the designer's table shows it: kind, mode and assignee rules in words."""
    kinds, modes, rules = dict(NODE_KIND_CHOICES), dict(MODE_CHOICES), dict(ASSIGNEE_SHORT)
    assignees = []
    for rule in node.get("assignees") or []:
        value = rule.get("value") if isinstance(rule, dict) else None
        if isinstance(value, list):
            value = ", ".join(selectors.user_names(value))
        elif isinstance(rule, dict) and rule.get("kind") in ("role", "dept_role", "position") and value:
            value = selectors.org_name(rule["kind"], str(value))
        label = str(rules.get(rule.get("kind"), rule.get("kind"))) if isinstance(rule, dict) else str(rule)
        assignees.append(f"{label}: {value}" if value else label)
    mode = node.get("mode") if node.get("kind") == "approval" else ""
    mode_label = str(modes.get(mode, mode)) if mode else ""
    if mode == "vote":
        mode_label = f"{mode_label} {node.get('pass_ratio') or '2/3'}"
    return {
        **node,
        "kind_label": kinds.get(node.get("kind"), node.get("kind")),
        "mode_label": mode_label,
        "assignee_text": assignees,
    }
