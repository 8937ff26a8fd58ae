"""Every write of the approval engine: submit, act on tasks, return, withdraw, transfer, delegate,
add/remove signers, urge, terminate, complete a committee node, and the deadline sweep.

Each entry service checks permission and preconditions, runs in one transaction, locks the instance
and then its tasks in primary-key order, re-checks the state after the lock, records one Action row
(the timeline) and one audit event, and sends notifications after commit. Instance status changes
only through lifecycle.move. `instance_start` and `committee_complete` join the caller's transaction
(a domain service submits its object and starts the flow together); task actions are durable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from danbao.core.errors import DomainError
from danbao.core.events import security_event
from danbao.org.models import User
from danbao.workflow import assignees, errors, lifecycle, registry
from danbao.workflow import attachments as action_files
from danbao.workflow.engine import deadlines
from danbao.workflow.engine.graph import Graph, GraphError, Node, next_step
from danbao.workflow.engine.tally import tally
from danbao.workflow.models import Action, CarbonCopy, FlowDefinition, FlowInstance, FlowVersion, NodeRun, Task

ADMIN_PERMISSION = "workflow.instance.admin"
URGE_INTERVAL = timedelta(hours=1)
CONDITIONS_MAX = 1000
ROOT_KINDS = (Task.Kind.NORMAL, Task.Kind.TRANSFER)


# ----------------------------------------------------------------------------------------------
# context of one instance


class Context:
    """What the engine needs about an instance: its graph, flow type, business object and exclusions."""

    def __init__(self, instance: FlowInstance, *, lock_object: bool = False) -> None:
        self.instance = instance
        self.flow_type = registry.get(instance.flow_type)
        self.graph = Graph.from_json(instance.version.graph)
        model = self.flow_type.model_class()
        manager = model._default_manager.select_for_update() if lock_object else model._default_manager
        self.obj = manager.get(pk=instance.object_id)
        self.values = dict(self.flow_type.values(self.obj))
        self.fields = self.flow_type.condition_fields
        self.excluded = {int(pk) for pk in self.flow_type.excluded_users(self.obj) if pk} | {instance.submitter_id}
        self.department = self.flow_type.department_of(self.obj) or instance.submitter.department

    def node(self, node_id: str) -> Node:
        return self.graph.node(node_id)


def _now() -> Any:
    return timezone.now()


def _name(user: User | None) -> str:
    if user is None:
        return "系统"
    return user.real_name or user.username


def _link(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _send(user_ids: list[int], kind: str, context: dict[str, Any], link: str) -> None:
    from danbao.notifications.services import notify

    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if users:
        with transaction.atomic():
            notify(users=users, kind=kind, context=context, link=link)


def _notify(users: Iterable[Any], kind: str, instance: FlowInstance, link: str = "", **extra: Any) -> None:
    ids = sorted({getattr(u, "pk", u) for u in users if u is not None})
    if ids:
        context = {"title": instance.title, **{k: str(v) for k, v in extra.items()}}
        transaction.on_commit(partial(_send, ids, kind, context, link or _link("workflow:instance", instance.pk)))


def _record(
    instance: FlowInstance,
    actor: User | None,
    action: str,
    *,
    task: Task | None = None,
    from_node: str = "",
    to_node: str = "",
    comment: str = "",
    **data: Any,
) -> Action:
    return Action.objects.create(
        instance=instance,
        task=task,
        actor=actor,
        at=_now(),
        action=action,
        from_node=from_node,
        to_node=to_node,
        comment=comment,
        data={k: v for k, v in data.items() if v not in (None, "")},
    )


def _audit(event: str, actor: User | None, instance: FlowInstance, *, reason: str = "", **data: Any) -> None:
    security_event(
        f"workflow.{event}",
        actor=actor,
        object_type="workflow.instance",
        object_id=instance.pk,
        reason=reason,
        data={"flow_type": instance.flow_type, "object_id": instance.object_id, **data},
    )


def _lock_instance(pk: int) -> FlowInstance:
    return FlowInstance.objects.select_for_update().select_related("version", "submitter").get(pk=pk)


def _lock_tasks(instance: FlowInstance) -> dict[int, Task]:
    """Lock every open task of the instance in pk order (after the instance row)."""
    rows = Task.objects.select_for_update().filter(instance=instance, status__in=Task.OPEN).order_by("pk")
    return {t.pk: t for t in rows}


def _locked_task(task_id: int, actor: User | None) -> tuple[FlowInstance, Task]:
    """Lock the task's instance and the task, then re-check: still pending, still running, still theirs."""
    instance_id = Task.objects.values_list("instance_id", flat=True).get(pk=task_id)
    instance = _lock_instance(instance_id)
    _lock_tasks(instance)
    task = Task.objects.select_related("node_run", "acted_by", "assignee").get(pk=task_id)
    if task.status != Task.Status.PENDING:
        raise errors.TASK_HANDLED.error(name=_handled_by(task))
    if instance.status != FlowInstance.Status.RUNNING:
        raise errors.INSTANCE_NOT_RUNNING.error()
    if actor is not None and task.assignee_id != actor.pk:
        raise errors.NOT_ASSIGNEE.error()
    return instance, task


def _handled_by(task: Task) -> str:
    """Who closed the task: its own actor, or whoever decided the step (or the whole instance)."""
    if task.acted_by_id:
        return _name(task.acted_by)
    last = Action.objects.filter(instance_id=task.instance_id, actor__isnull=False).select_related("actor").order_by("-pk").first()
    return _name(last.actor if last else None)


def _save_task(task: Task, **changes: Any) -> None:
    for key, value in changes.items():
        setattr(task, key, value)
    task.version += 1
    task.save()


# ----------------------------------------------------------------------------------------------
# entering nodes and finishing


def _eligible(users: Iterable[User], ctx: Context) -> list[User]:
    return [u for u in users if u.pk not in ctx.excluded]


def _enter(ctx: Context, node: Node, actor: User | None) -> None:
    """Start a run of `node` (or finish the instance at an end node)."""
    instance = ctx.instance
    instance.current_node = node.id
    if node.kind == "end":
        _finish(ctx, lifecycle.APPROVED, actor, executor=ctx.flow_type.on_approved, action="approved")
        return
    started = _now()
    today = timezone.localdate()
    run = NodeRun.objects.create(
        instance=instance,
        node_id=node.id,
        node_name=node.name,
        kind=node.kind,
        mode=node.mode if node.kind == "approval" else "",
        started_at=started,
        due_date=deadlines.due_date(today, node.deadline_days),
    )
    instance.save(update_fields=["current_node", "path"])
    if node.kind == "committee":
        return
    people = _eligible(
        assignees.resolve(node.assignees, submitter=instance.submitter, obj=ctx.obj, values=ctx.values, department=ctx.department), ctx
    )
    fallback = False
    if not people:
        people, fallback = assignees.fallback_queue(ctx.excluded), True
        if not people:
            raise errors.NO_ASSIGNEE.error(node=node.name or node.id)
        _record(instance, None, "fallback", to_node=node.id, users=[u.pk for u in people])
    sequential = node.mode == "sequential" and not fallback
    for order, user in enumerate(people):
        status = Task.Status.WAITING if sequential and order > 0 else Task.Status.PENDING
        Task.objects.create(
            instance=instance,
            node_run=run,
            assignee=user,
            order=order,
            status=status,
            fallback=fallback,
            created_at=started,
            due_date=run.due_date,
        )
    first = people[:1] if sequential else people
    _notify(first, "workflow.task_assigned", instance, node=node.name, due=run.due_date or "")


def _carbon_copy(ctx: Context, node: Node) -> None:
    people = assignees.resolve(node.assignees, submitter=ctx.instance.submitter, obj=ctx.obj, values=ctx.values, department=ctx.department)
    created = []
    for user in people:
        _cc, made = CarbonCopy.objects.get_or_create(instance=ctx.instance, node_id=node.id, user=user, defaults={"created_at": _now()})
        if made:
            created.append(user)
    _record(ctx.instance, None, "cc", to_node=node.id, users=[u.pk for u in created])
    _notify(created, "workflow.cc", ctx.instance, node=node.name)


def _advance(ctx: Context, from_node: str, actor: User | None) -> None:
    step = next_step(ctx.graph, from_node, ctx.fields, ctx.values)
    ctx.instance.path = [*ctx.instance.path, *step.path]
    for cc_node in step.cc:
        _carbon_copy(ctx, cc_node)
    _enter(ctx, step.node, actor)


def _close_open(instance: FlowInstance, run_status: str | None = None, *, run: NodeRun | None = None) -> None:
    """Cancel every open task (of `run`, or of the instance) and close the active node runs."""
    tasks = Task.objects.filter(instance=instance, status__in=Task.OPEN)
    runs = NodeRun.objects.filter(instance=instance, status=NodeRun.Status.ACTIVE)
    if run is not None:
        tasks, runs = tasks.filter(node_run=run), runs.filter(pk=run.pk)
    for task in tasks.order_by("pk"):
        _save_task(task, status=Task.Status.CANCELLED)
    for node_run in runs:
        node_run.status = run_status or NodeRun.Status.CANCELLED
        node_run.finished_at = _now()
        node_run.save(update_fields=["status", "finished_at"])


def _finish(ctx: Context, target: str, actor: User | None, *, executor: Any, action: str, comment: str = "") -> None:
    instance = ctx.instance
    lifecycle.move(instance, target)
    instance.finished_at = _now()
    instance.save(update_fields=["status", "finished_at", "current_node", "path"])
    if executor is not None:
        ctx.obj = ctx.flow_type.model_class()._default_manager.select_for_update().get(pk=instance.object_id)
        executor(ctx.obj, instance=instance, actor=actor)
    _record(instance, actor, action, comment=comment, to_node=instance.current_node)
    _notify([instance.submitter_id], "workflow.instance_finished", instance, result=instance.get_status_display())


# ----------------------------------------------------------------------------------------------
# tallies


def _slot_decision(root: Task, children: list[Task]) -> str | None:
    own = [c for c in children if c.kind in (Task.Kind.ADD_BEFORE, Task.Kind.ADD_AFTER) and c.status != Task.Status.CANCELLED]
    if root.decision == "reject" or any(c.decision == "reject" for c in own):
        return "reject"
    after = [c for c in own if c.kind == Task.Kind.ADD_AFTER]
    if root.decision == "approve" and all(c.decision == "approve" for c in after):
        return "approve"
    return None


def _node_outcome(run: NodeRun, graph: Graph) -> str:
    tasks = list(Task.objects.filter(node_run=run).order_by("order", "pk"))
    roots = [t for t in tasks if t.kind in ROOT_KINDS and t.status not in (Task.Status.TRANSFERRED, Task.Status.CANCELLED)]
    decisions = [_slot_decision(r, [t for t in tasks if t.parent_id == r.pk]) for r in roots]
    mode = run.mode if not any(t.fallback for t in roots) else "any"
    return tally(mode, decisions, graph.node(run.node_id).ratio)  # type: ignore[arg-type]


def _after_decision(ctx: Context, run: NodeRun, actor: User | None, comment: str = "") -> None:
    """Apply the node's outcome: advance, reject the instance, or open the next sequential slot."""
    outcome = _node_outcome(run, ctx.graph)
    if outcome == "approved":
        _close_open(ctx.instance, NodeRun.Status.APPROVED, run=run)
        _advance(ctx, run.node_id, actor)
    elif outcome == "rejected":
        _close_open(ctx.instance, NodeRun.Status.REJECTED, run=run)
        _close_open(ctx.instance)
        _finish(ctx, lifecycle.REJECTED, actor, executor=ctx.flow_type.on_rejected, action="rejected", comment=comment)
    elif run.mode == "sequential" and not Task.objects.filter(node_run=run, status=Task.Status.PENDING).exists():
        nxt = Task.objects.filter(node_run=run, status=Task.Status.WAITING, kind__in=ROOT_KINDS).order_by("order", "pk").first()
        if nxt is not None:
            _save_task(nxt, status=Task.Status.PENDING)
            _notify([nxt.assignee_id], "workflow.task_assigned", ctx.instance, node=run.node_name, due=nxt.due_date or "")


# ----------------------------------------------------------------------------------------------
# definitions


def definition_create(*, actor: User, code: str, name: str, flow_type: str, description: str = "") -> FlowDefinition:
    if not actor.can("workflow.definition.manage"):
        raise errors.PERMISSION_DENIED.error()
    registry.get(flow_type)
    with transaction.atomic():
        definition = FlowDefinition(code=code, name=name, flow_type=flow_type, description=description)
        definition.full_clean()
        definition.save()
        FlowVersion.objects.create(definition=definition, number=1, graph=_starter_graph())
        security_event(
            "workflow.definition_create", actor=actor, object_type="workflow.definition", object_id=definition.pk, data={"code": code}
        )
    return definition


def definition_set_active(*, actor: User, definition: FlowDefinition, active: bool, reason: str = "") -> FlowDefinition:
    """Stop (or resume) offering a flow to new submissions; running approvals go on on their version.
    Nothing is deleted: a stopped flow keeps its versions and history."""
    if not actor.can("workflow.definition.manage"):
        raise errors.PERMISSION_DENIED.error()
    if not active and not reason.strip():
        raise errors.REASON_REQUIRED.error()
    with transaction.atomic():
        definition = FlowDefinition.objects.select_for_update().get(pk=definition.pk)
        if definition.is_active == active:
            return definition
        definition.is_active = active
        definition.save(update_fields=["is_active"])
        security_event(
            "workflow.definition_activate" if active else "workflow.definition_deactivate",
            actor=actor,
            object_type="workflow.definition",
            object_id=definition.pk,
            reason=reason,
            data={"code": definition.code},
        )
    return definition


def _starter_graph() -> dict[str, Any]:
    return {
        "nodes": [{"id": "start", "kind": "start", "name": "提交"}, {"id": "end", "kind": "end", "name": "结束"}],
        "edges": [{"source": "start", "target": "end"}],
    }


def version_draft_for(*, actor: User, definition: FlowDefinition) -> FlowVersion:
    """The definition's draft, created from the newest version when there is none (a POST only:
    the designer page never calls this on GET). Idempotent: an existing draft is returned."""
    if not actor.can("workflow.definition.manage"):
        raise errors.PERMISSION_DENIED.error()
    with transaction.atomic():
        FlowDefinition.objects.select_for_update().get(pk=definition.pk)
        draft = definition.versions.filter(status=FlowVersion.Status.DRAFT).first()
        if draft is not None:
            return draft
        newest = definition.versions.order_by("-number").first()
        number = (newest.number if newest else 0) + 1
        draft = FlowVersion.objects.create(definition=definition, number=number, graph=newest.graph if newest else _starter_graph())
        security_event(
            "workflow.version_draft",
            actor=actor,
            object_type="workflow.version",
            object_id=draft.pk,
            data={"definition": definition.code, "number": number, "from": newest.number if newest else None},
        )
        return draft


def version_save_graph(*, actor: User, version: FlowVersion, graph: dict[str, Any]) -> FlowVersion:
    if not actor.can("workflow.definition.manage"):
        raise errors.PERMISSION_DENIED.error()
    with transaction.atomic():
        version = FlowVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != FlowVersion.Status.DRAFT:
            raise errors.VERSION_NOT_DRAFT.error()
        try:
            Graph.from_json(graph)
        except GraphError as exc:
            raise errors.GRAPH_UNREADABLE.error(problem=str(exc)) from exc
        version.graph = graph
        version.save(update_fields=["graph"])
        security_event("workflow.version_edit", actor=actor, object_type="workflow.version", object_id=version.pk)
    return version


def version_publish(*, actor: User, version: FlowVersion) -> FlowVersion:
    """Validate the draft's graph and publish it; the previous published version retires.
    Running instances keep the version they started with."""
    from danbao.workflow.engine.graph import validate

    if not actor.can("workflow.definition.manage"):
        raise errors.PERMISSION_DENIED.error()
    with transaction.atomic():
        version = FlowVersion.objects.select_for_update().select_related("definition").get(pk=version.pk)
        if version.status != FlowVersion.Status.DRAFT:
            raise errors.VERSION_NOT_DRAFT.error()
        flow_type = registry.get(version.definition.flow_type)
        try:
            problems = validate(Graph.from_json(version.graph), flow_type.condition_fields)
        except GraphError as exc:
            problems = [str(exc)]
        if problems:
            raise errors.GRAPH_INVALID.error(problems="; ".join(problems))
        for old in FlowVersion.objects.select_for_update().filter(definition=version.definition, status=FlowVersion.Status.PUBLISHED):
            old.status = FlowVersion.Status.RETIRED
            old.save(update_fields=["status"])
        version.status = FlowVersion.Status.PUBLISHED
        version.published_at, version.published_by = _now(), actor
        version.save(update_fields=["status", "published_at", "published_by"])
        security_event(
            "workflow.version_publish",
            actor=actor,
            object_type="workflow.version",
            object_id=version.pk,
            data={"definition": version.definition.code, "number": version.number},
        )
    return version


# ----------------------------------------------------------------------------------------------
# instance lifecycle


def _published_version(flow_type: str, definition_code: str | None) -> FlowVersion:
    versions = FlowVersion.objects.select_related("definition").filter(
        status=FlowVersion.Status.PUBLISHED, definition__flow_type=flow_type, definition__is_active=True
    )
    if definition_code:
        versions = versions.filter(definition__code=definition_code)
    version = versions.order_by("definition__code").first()
    if version is None:
        raise errors.NO_PUBLISHED_VERSION.error(flow=definition_code or flow_type)
    return version


def instance_start(*, actor: User, flow_type: str, obj: Any, definition_code: str | None = None, comment: str = "") -> FlowInstance:
    """Submit `obj` into the published flow of `flow_type` (joins the caller's transaction)."""
    ft = registry.get(flow_type)
    model = ft.model_class()
    if not isinstance(obj, model):
        raise errors.WRONG_OBJECT.error()
    if not actor.is_active:
        raise errors.PERMISSION_DENIED.error()
    version = _published_version(flow_type, definition_code)
    with transaction.atomic():
        model._default_manager.select_for_update().get(pk=obj.pk)
        content_type = ContentType.objects.get_for_model(model)
        if FlowInstance.objects.filter(content_type=content_type, object_id=obj.pk, flow_type=flow_type, status=lifecycle.RUNNING).exists():
            raise errors.ALREADY_ACTIVE.error()
        graph = Graph.from_json(version.graph)
        try:
            with transaction.atomic():
                instance = FlowInstance.objects.create(
                    version=version,
                    flow_type=flow_type,
                    content_type=content_type,
                    object_id=obj.pk,
                    title=str(ft.describe(obj))[:200],
                    submitter=actor,
                    current_node=graph.start.id,
                    path=[graph.start.id],
                    started_at=_now(),
                )
        except IntegrityError as exc:
            raise errors.ALREADY_ACTIVE.error() from exc
        _record(instance, actor, "submit", from_node=graph.start.id, comment=comment)
        _audit("instance_start", actor, instance, version=version.number)
        _advance(Context(instance), graph.start.id, actor)
    return instance


def _check_files(uploads: Sequence[Any]) -> list[Any]:
    uploads = [u for u in uploads if u]
    if len(uploads) > action_files.MAX_FILES:
        raise errors.TOO_MANY_FILES.error(limit=action_files.MAX_FILES)
    return uploads


def task_approve(*, actor: User, task: Task, comment: str = "", conditions: str = "", attachments: Sequence[Any] = ()) -> Task:
    """Approve (or, for a delegated / added-before task, give the opinion and hand back).

    `conditions` (附条件) is recorded with the approval and shown in the timeline; `attachments`
    are stored on the action row in the same transaction (a refused file refuses the approval)."""
    uploads = _check_files(attachments)
    conditions = (conditions or "").strip()
    if len(conditions) > CONDITIONS_MAX:
        raise errors.CONDITIONS_TOO_LONG.error(limit=CONDITIONS_MAX)
    with transaction.atomic(durable=True):
        instance, task = _locked_task(task.pk, actor)
        if actor.pk == instance.submitter_id:
            raise errors.OWN_INSTANCE.error()
        action = _apply_decision(instance, task, actor, "approve", comment, conditions=conditions)
        if uploads:
            action_files.attach(action, uploads)
    return task


def _apply_decision(instance: FlowInstance, task: Task, actor: User | None, decision: str, comment: str, *, conditions: str = "") -> Action:
    run = task.node_run
    now = _now()
    if task.kind in (Task.Kind.DELEGATE, Task.Kind.ADD_BEFORE) and decision == "approve":
        _save_task(task, status=Task.Status.DONE, decision="approve", action="opinion", comment=comment, acted_at=now, acted_by=actor)
        parent = Task.objects.get(pk=task.parent_id)
        _save_task(parent, status=Task.Status.PENDING)
        action = _record(
            instance,
            actor,
            "opinion" if task.kind == Task.Kind.DELEGATE else "approve",
            task=task,
            from_node=run.node_id,
            comment=comment,
            conditions=conditions,
        )
        _audit("task_approve", actor, instance, task=task.pk, kind=task.kind)
        _notify([parent.assignee_id], "workflow.task_assigned", instance, node=run.node_name, due=parent.due_date or "")
        return action
    _save_task(task, status=Task.Status.DONE, decision=decision, action=decision, comment=comment, acted_at=now, acted_by=actor)
    action = _record(instance, actor, decision, task=task, from_node=run.node_id, comment=comment, conditions=conditions)
    _audit(
        f"task_{decision}",
        actor,
        instance,
        task=task.pk,
        node=run.node_id,
        reason=comment if decision == "reject" else "",
        conditions=conditions or None,
    )
    if decision == "approve":
        waiting_after = Task.objects.filter(parent=task, kind=Task.Kind.ADD_AFTER, status=Task.Status.WAITING)
        for child in waiting_after.order_by("pk"):
            _save_task(child, status=Task.Status.PENDING)
            _notify([child.assignee_id], "workflow.task_assigned", instance, node=run.node_name, due=child.due_date or "")
    if task.kind == Task.Kind.ADD_BEFORE and decision == "reject":
        _save_task(Task.objects.get(pk=task.parent_id), status=Task.Status.DONE, decision="", action="")
    _after_decision(Context(instance), run, actor, comment)
    return action


def task_reject(*, actor: User, task: Task, comment: str, attachments: Sequence[Any] = ()) -> Task:
    """Reject; in every mode but vote this rejects the node and ends the instance."""
    if not comment.strip():
        raise errors.REASON_REQUIRED.error()
    uploads = _check_files(attachments)
    with transaction.atomic(durable=True):
        instance, task = _locked_task(task.pk, actor)
        if actor.pk == instance.submitter_id:
            raise errors.OWN_INSTANCE.error()
        if task.kind == Task.Kind.DELEGATE:
            raise errors.DELEGATE_CANNOT_REJECT.error()
        action = _apply_decision(instance, task, actor, "reject", comment)
        if uploads:
            action_files.attach(action, uploads)
    return task


def return_targets(instance: FlowInstance) -> list[tuple[str, str]]:
    """Earlier approval steps the instance may go back to (newest first), as (node id, name)."""
    runs = NodeRun.objects.filter(instance=instance, kind="approval", status=NodeRun.Status.APPROVED).order_by("-pk")
    seen: dict[str, str] = {}
    for run in runs:
        if run.node_id != instance.current_node:
            seen.setdefault(run.node_id, run.node_name or run.node_id)
    return list(seen.items())


def task_return(*, actor: User, task: Task, reason: str, target: str = "previous", attachments: Sequence[Any] = ()) -> Task:
    """Send the instance back: "previous" approval step, an earlier step by id, or "submitter"."""
    if not reason.strip():
        raise errors.REASON_REQUIRED.error()
    uploads = _check_files(attachments)
    with transaction.atomic(durable=True):
        instance, task = _locked_task(task.pk, actor)
        if actor.pk == instance.submitter_id:
            raise errors.OWN_INSTANCE.error()
        if task.kind == Task.Kind.DELEGATE:
            raise errors.DELEGATE_CANNOT_REJECT.error()
        _save_task(task, status=Task.Status.DONE, action="return", comment=reason, acted_at=_now(), acted_by=actor)
        action = _return(Context(instance), task.node_run, actor, reason, target, task=task)
        if uploads:
            action_files.attach(action, uploads)
    return task


def _return(ctx: Context, run: NodeRun, actor: User | None, reason: str, target: str, *, task: Task | None = None) -> Action:
    instance = ctx.instance
    targets = dict(return_targets(instance))
    if target == "previous":
        target = next(iter(targets), "submitter")
    if target != "submitter" and target not in targets:
        raise errors.RETURN_TARGET_INVALID.error()
    _close_open(instance, NodeRun.Status.RETURNED, run=run)
    _close_open(instance)
    to_name = "" if target == "submitter" else (ctx.node(target).name or target)
    action = _record(instance, actor, "return", task=task, from_node=run.node_id, to_node=target, comment=reason, to_step=to_name)
    _audit("task_return", actor, instance, node=run.node_id, target=target, reason=reason)
    if target == "submitter":
        start = ctx.graph.start
        instance.current_node = start.id
        instance.path = [*instance.path, start.id]
        instance.save(update_fields=["current_node", "path"])
        start_run = NodeRun.objects.create(instance=instance, node_id=start.id, node_name=start.name, kind="start", started_at=_now())
        Task.objects.create(
            instance=instance, node_run=start_run, assignee_id=instance.submitter_id, kind=Task.Kind.RESUBMIT, created_at=_now()
        )
        if ctx.flow_type.on_returned is not None:
            ctx.flow_type.on_returned(ctx.obj, instance=instance, actor=actor)
        _notify([instance.submitter_id], "workflow.instance_returned", instance, reason=reason)
    else:
        instance.path = [*instance.path, target]
        _enter(ctx, ctx.node(target), actor)
    return action


def instance_resubmit(*, actor: User, instance: FlowInstance, comment: str = "") -> FlowInstance:
    """The submitter sends a returned item through the flow again (conditions read the new values)."""
    with transaction.atomic(durable=True):
        instance = _lock_instance(instance.pk)
        _lock_tasks(instance)
        if instance.status != lifecycle.RUNNING:
            raise errors.INSTANCE_NOT_RUNNING.error()
        if actor.pk != instance.submitter_id:
            raise errors.NOT_SUBMITTER.error()
        task = (
            Task.objects.filter(instance=instance, kind=Task.Kind.RESUBMIT, status=Task.Status.PENDING).select_related("node_run").first()
        )
        if task is None:
            raise errors.NOT_RETURNED.error()
        _save_task(task, status=Task.Status.DONE, action="resubmit", comment=comment, acted_at=_now(), acted_by=actor)
        run = task.node_run
        run.status, run.finished_at = NodeRun.Status.APPROVED, _now()
        run.save(update_fields=["status", "finished_at"])
        _record(instance, actor, "resubmit", task=task, from_node=run.node_id, comment=comment)
        _audit("instance_resubmit", actor, instance)
        # The business object reads the new values (conditions, amounts) after its executor ran:
        # lock it, let the domain move it back into approval, then route from the start node.
        ctx = Context(instance, lock_object=True)
        if ctx.flow_type.on_resubmitted is not None:
            ctx.flow_type.on_resubmitted(ctx.obj, instance=instance, actor=actor)
            ctx = Context(instance)
        _advance(ctx, run.node_id, actor)
    return instance


def instance_withdraw(*, actor: User, instance: FlowInstance, reason: str = "") -> FlowInstance:
    """撤回: the submitter takes the item back before anyone acted on it."""
    with transaction.atomic(durable=True):
        instance = _lock_instance(instance.pk)
        _lock_tasks(instance)
        if instance.status != lifecycle.RUNNING:
            raise errors.INSTANCE_NOT_RUNNING.error()
        if actor.pk != instance.submitter_id:
            raise errors.NOT_SUBMITTER.error()
        if Task.objects.filter(instance=instance, acted_at__isnull=False).exclude(kind=Task.Kind.RESUBMIT).exists():
            raise errors.ALREADY_ACTED.error()
        ctx = Context(instance)
        _close_open(instance)
        _audit("instance_withdraw", actor, instance, reason=reason)
        _finish(ctx, lifecycle.WITHDRAWN, actor, executor=ctx.flow_type.on_withdrawn, action="withdraw", comment=reason)
    return instance


def instance_terminate(*, actor: User, instance: FlowInstance, reason: str) -> FlowInstance:
    """An administrator stops a running instance (workflow.instance.admin)."""
    if not actor.can(ADMIN_PERMISSION):
        raise errors.PERMISSION_DENIED.error()
    if not reason.strip():
        raise errors.REASON_REQUIRED.error()
    with transaction.atomic(durable=True):
        instance = _lock_instance(instance.pk)
        _lock_tasks(instance)
        if instance.status != lifecycle.RUNNING:
            raise errors.INSTANCE_NOT_RUNNING.error()
        ctx = Context(instance)
        _close_open(instance)
        _audit("instance_terminate", actor, instance, reason=reason)
        _finish(ctx, lifecycle.TERMINATED, actor, executor=ctx.flow_type.on_terminated, action="terminate", comment=reason)
    return instance


def instance_urge(*, actor: User, instance: FlowInstance, comment: str = "") -> int:
    """催办: remind the people holding the open tasks (the submitter or an administrator, once an hour)."""
    with transaction.atomic(durable=True):
        instance = _lock_instance(instance.pk)
        if instance.status != lifecycle.RUNNING:
            raise errors.INSTANCE_NOT_RUNNING.error()
        if actor.pk != instance.submitter_id and not actor.can(ADMIN_PERMISSION):
            raise errors.NOT_SUBMITTER.error()
        now = _now()
        if instance.last_urged_at and now - instance.last_urged_at < URGE_INTERVAL:
            raise errors.URGE_TOO_SOON.error()
        holders = list(Task.objects.filter(instance=instance, status=Task.Status.PENDING).values_list("assignee_id", flat=True))
        instance.last_urged_at = now
        instance.save(update_fields=["last_urged_at"])
        _record(instance, actor, "urge", from_node=instance.current_node, comment=comment, users=holders)
        _audit("instance_urge", actor, instance, users=holders)
        _notify(holders, "workflow.urge", instance, by=_name(actor), comment=comment)
    return len(holders)


# ----------------------------------------------------------------------------------------------
# transfer, delegate, add / remove signers


def _check_target(ctx: Context, actor: User | None, user: User, error: Any) -> None:
    if not user.is_active or (actor is not None and user.pk == actor.pk) or user.pk in ctx.excluded:
        raise error.error(name=_name(user))


def task_transfer(*, actor: User | None, task: Task, to_user: User, comment: str = "") -> Task:
    """转办: hand the task (and its place in the tally) to someone else for good."""
    with transaction.atomic(durable=actor is not None):
        instance, task = _locked_task(task.pk, actor)
        ctx = Context(instance)
        _check_target(ctx, actor, to_user, errors.TRANSFER_TARGET_INVALID)
        if actor is None and task.assignee_id == to_user.pk:
            raise errors.TRANSFER_TARGET_INVALID.error(name=_name(to_user))
        new = _transfer(instance, task, actor, to_user, comment)
    return new


def task_reassign(*, actor: User, task: Task, to_user: User, reason: str) -> Task:
    """A supervisor (workflow.instance.admin) hands a stuck task — overdue, in the fallback queue, or
    held by someone absent — to another person. Same checks as a transfer, plus a reason."""
    if not actor.can(ADMIN_PERMISSION):
        raise errors.PERMISSION_DENIED.error()
    if not reason.strip():
        raise errors.REASON_REQUIRED.error()
    with transaction.atomic(durable=True):
        instance, task = _locked_task(task.pk, None)
        _check_target(Context(instance), None, to_user, errors.TRANSFER_TARGET_INVALID)
        if task.assignee_id == to_user.pk:
            raise errors.TRANSFER_TARGET_INVALID.error(name=_name(to_user))
        new = _transfer(instance, task, actor, to_user, reason, action="reassign")
    return new


def _transfer(instance: FlowInstance, task: Task, actor: User | None, to_user: User, comment: str, *, action: str = "transfer") -> Task:
    _save_task(task, status=Task.Status.TRANSFERRED, action="transfer", comment=comment, acted_at=_now(), acted_by=actor)
    new = Task.objects.create(
        instance=instance,
        node_run=task.node_run,
        assignee=to_user,
        kind=Task.Kind.TRANSFER if task.kind in ROOT_KINDS else task.kind,
        parent=task.parent,
        order=task.order,
        created_at=_now(),
        due_date=task.due_date,
    )
    Task.objects.filter(parent=task, status__in=Task.OPEN).update(parent=new)
    _record(
        instance,
        actor,
        action,
        task=task,
        from_node=task.node_run.node_id,
        comment=comment,
        to_user=to_user.pk,
        to_name=_name(to_user),
        from_name=_name(task.assignee) if action == "reassign" else "",
    )
    _audit(
        f"task_{action}",
        actor,
        instance,
        task=task.pk,
        from_user=task.assignee_id,
        to_user=to_user.pk,
        reason=comment if action == "reassign" else "",
    )
    _notify([to_user], "workflow.task_assigned", instance, node=task.node_run.node_name, due=task.due_date or "")
    return new


def task_delegate(*, actor: User, task: Task, to_user: User, comment: str = "") -> Task:
    """委派: ask someone else for an opinion; the task comes back to the delegator afterwards."""
    with transaction.atomic(durable=True):
        instance, task = _locked_task(task.pk, actor)
        if task.kind not in ROOT_KINDS:
            raise errors.SIGNER_INVALID.error(name=_name(to_user))
        _check_target(Context(instance), actor, to_user, errors.TRANSFER_TARGET_INVALID)
        _save_task(task, status=Task.Status.DELEGATED)
        new = Task.objects.create(
            instance=instance,
            node_run=task.node_run,
            assignee=to_user,
            kind=Task.Kind.DELEGATE,
            parent=task,
            order=task.order,
            created_at=_now(),
            due_date=task.due_date,
        )
        _record(
            instance,
            actor,
            "delegate",
            task=task,
            from_node=task.node_run.node_id,
            comment=comment,
            to_user=to_user.pk,
            to_name=_name(to_user),
        )
        _audit("task_delegate", actor, instance, task=task.pk, to_user=to_user.pk)
        _notify([to_user], "workflow.task_assigned", instance, node=task.node_run.node_name, due=task.due_date or "")
    return new


def task_add_signer(*, actor: User, task: Task, user: User, position: str = "after", comment: str = "") -> Task:
    """加签: a signer before me (I act after them) or after me (my approval needs theirs too)."""
    if position not in ("before", "after"):
        raise errors.SIGNER_INVALID.error(name=_name(user))
    with transaction.atomic(durable=True):
        instance, task = _locked_task(task.pk, actor)
        if task.kind not in ROOT_KINDS:
            raise errors.SIGNER_INVALID.error(name=_name(user))
        _check_target(Context(instance), actor, user, errors.SIGNER_INVALID)
        if Task.objects.filter(node_run=task.node_run, assignee=user, status__in=Task.OPEN).exists():
            raise errors.SIGNER_INVALID.error(name=_name(user))
        before = position == "before"
        if before:
            _save_task(task, status=Task.Status.WAITING)
        new = Task.objects.create(
            instance=instance,
            node_run=task.node_run,
            assignee=user,
            kind=Task.Kind.ADD_BEFORE if before else Task.Kind.ADD_AFTER,
            parent=task,
            order=task.order,
            status=Task.Status.PENDING if before else Task.Status.WAITING,
            created_at=_now(),
            due_date=task.due_date,
        )
        _record(
            instance,
            actor,
            "add_signer",
            task=task,
            from_node=task.node_run.node_id,
            comment=comment,
            to_user=user.pk,
            to_name=_name(user),
            position=position,
        )
        _audit("task_add_signer", actor, instance, task=task.pk, user=user.pk, position=position)
        if before:
            _notify([user], "workflow.task_assigned", instance, node=task.node_run.node_name, due=task.due_date or "")
    return new


def task_remove_signer(*, actor: User, task: Task, comment: str = "") -> Task:
    """减签: take back a signer I added who has not acted yet."""
    with transaction.atomic(durable=True):
        instance_id = Task.objects.values_list("instance_id", flat=True).get(pk=task.pk)
        instance = _lock_instance(instance_id)
        _lock_tasks(instance)
        task = Task.objects.select_related("node_run", "parent").get(pk=task.pk)
        if instance.status != lifecycle.RUNNING:
            raise errors.INSTANCE_NOT_RUNNING.error()
        if task.kind not in (Task.Kind.ADD_BEFORE, Task.Kind.ADD_AFTER) or task.status not in Task.OPEN:
            raise errors.SIGNER_NOT_REMOVABLE.error()
        parent = task.parent
        if parent is None or (parent.assignee_id != actor.pk and not actor.can(ADMIN_PERMISSION)):
            raise errors.PERMISSION_DENIED.error()
        _save_task(task, status=Task.Status.CANCELLED, action="removed", acted_at=_now(), acted_by=actor)
        if task.kind == Task.Kind.ADD_BEFORE and parent.status == Task.Status.WAITING:
            _save_task(parent, status=Task.Status.PENDING)
        _record(instance, actor, "remove_signer", task=task, from_node=task.node_run.node_id, comment=comment, user=task.assignee_id)
        _audit("task_remove_signer", actor, instance, task=task.pk, user=task.assignee_id)
        if task.kind == Task.Kind.ADD_AFTER and parent.status == Task.Status.DONE:
            _after_decision(Context(instance), task.node_run, actor)
    return task


# ----------------------------------------------------------------------------------------------
# committee node (completed from outside, by the review app)


def committee_complete(*, actor: User | None, instance: FlowInstance, result: str, comment: str = "") -> FlowInstance:
    """Complete the waiting committee node: "approved" advances, "rejected" ends the instance,
    "returned" (复议) sends the item back to the submitter. Joins the caller's transaction."""
    with transaction.atomic():
        instance = _lock_instance(instance.pk)
        if instance.status != lifecycle.RUNNING:
            raise errors.INSTANCE_NOT_RUNNING.error()
        run = NodeRun.objects.filter(instance=instance, kind="committee", status=NodeRun.Status.ACTIVE).first()
        if run is None or result not in ("approved", "rejected", "returned"):
            raise errors.NOT_COMMITTEE_NODE.error()
        ctx = Context(instance)
        _record(instance, actor, f"committee_{result}", from_node=run.node_id, comment=comment)
        _audit("committee_complete", actor, instance, node=run.node_id, result=result)
        if result == "approved":
            _close_open(instance, NodeRun.Status.APPROVED, run=run)
            _advance(ctx, run.node_id, actor)
        elif result == "rejected":
            _close_open(instance, NodeRun.Status.REJECTED, run=run)
            _finish(ctx, lifecycle.REJECTED, actor, executor=ctx.flow_type.on_rejected, action="rejected", comment=comment)
        else:
            _return(ctx, run, actor, comment, "submitter")
    return instance


# ----------------------------------------------------------------------------------------------
# carbon copies and deadlines


def cc_mark_read(*, user: User, instance: FlowInstance) -> int:
    return CarbonCopy.objects.filter(instance=instance, user=user, read_at__isnull=True).update(read_at=_now())


def deadlines_check(*, today: date | None = None) -> dict[str, int]:
    """The daily sweep: remind before and at expiry, escalate overdue tasks as their node says.

    Idempotent: each reminder and each escalation happens once per task (stamped on the row).
    """
    today = today or timezone.localdate()
    counts = {"soon": 0, "due": 0, "escalated": 0}
    candidates = Task.objects.filter(status=Task.Status.PENDING, due_date__isnull=False, instance__status=lifecycle.RUNNING)
    for task_id in list(candidates.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            try:
                instance, task = _locked_task(task_id, None)
            except DomainError:  # handled meanwhile by a person: nothing to do
                continue
            ctx = Context(instance)
            node = ctx.node(task.node_run.node_id)
            stage = deadlines.stage(today, task.due_date, node.remind_before_days)
            if stage == "soon" and task.reminded_soon_at is None:
                _save_task(task, reminded_soon_at=_now())
                _notify([task.assignee_id], "workflow.task_reminder", instance, node=node.name, due=task.due_date)
                counts["soon"] += 1
            if stage in ("due", "overdue") and task.reminded_due_at is None:
                _save_task(task, reminded_due_at=_now())
                _notify([task.assignee_id], "workflow.task_overdue", instance, node=node.name, due=task.due_date)
                counts["due"] += 1
            if stage == "overdue" and task.escalated_at is None and node.escalation:
                _save_task(task, escalated_at=_now())
                if _escalate(ctx, task, node.escalation):
                    counts["escalated"] += 1
    return counts


def _escalate(ctx: Context, task: Task, how: str) -> bool:
    instance = ctx.instance
    _record(instance, None, "escalate", task=task, from_node=task.node_run.node_id, how=how)
    if how == "superior":
        chiefs = [u for u in assignees.superiors_of(task.assignee) if u.pk not in ctx.excluded and u.pk != task.assignee_id]
        if not chiefs:
            chiefs = [u for u in assignees.fallback_queue(ctx.excluded) if u.pk != task.assignee_id]
        if not chiefs:
            return False
        _transfer(instance, task, None, chiefs[0], "超时升级")
        return True
    if how in ("approve", "reject"):
        _apply_decision(instance, Task.objects.select_related("node_run").get(pk=task.pk), None, how, "超时自动处理")
        return True
    return False
