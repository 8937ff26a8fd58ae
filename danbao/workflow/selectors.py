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
