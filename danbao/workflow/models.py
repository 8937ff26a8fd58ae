"""Approval engine tables: definitions and versions, instances, node runs, tasks, action history, CC."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danbao.core.history import audited_history


class FlowDefinition(models.Model):
    """A designed flow (流程定义) for one registered flow type; its content lives in versions."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    flow_type = models.CharField(_("flow type"), max_length=64, db_index=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = audited_history()

    class Meta:
        verbose_name = _("flow definition")
        verbose_name_plural = _("flow definitions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FlowVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    definition = models.ForeignKey(FlowDefinition, verbose_name=_("flow definition"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    graph = models.JSONField(_("flow graph"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("flow version")
        verbose_name_plural = _("flow versions")
        ordering = ["definition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="workflow_version_number_unique"),
            models.UniqueConstraint(fields=["definition"], condition=Q(status="published"), name="workflow_one_published_version"),
        ]

    def __str__(self) -> str:
        return f"{self.definition} v{self.number}"


class FlowInstance(models.Model):
    """One run of a flow version for one business object. Status moves only through lifecycle.py."""

    class Status(models.TextChoices):
        RUNNING = "running", _("In progress")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        TERMINATED = "terminated", _("Terminated")

    version = models.ForeignKey(FlowVersion, verbose_name=_("flow version"), on_delete=models.PROTECT, related_name="instances")
    flow_type = models.CharField(_("flow type"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    business_object = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitter"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING, editable=False)
    current_node = models.CharField(_("current step"), max_length=64, blank=True)
    path = models.JSONField(_("path taken"), default=list, blank=True)
    started_at = models.DateTimeField(_("submitted at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    last_urged_at = models.DateTimeField(_("last urged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "flow_type"], condition=Q(status="running"), name="workflow_one_active_instance"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title


class NodeRun(models.Model):
    """One visit of the flow to a node (a returned node is visited again in a new run)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    instance = models.ForeignKey(FlowInstance, on_delete=models.CASCADE, related_name="node_runs")
    node_id = models.CharField(_("step id"), max_length=64)
    node_name = models.CharField(_("step"), max_length=100, blank=True)
    kind = models.CharField(_("step kind"), max_length=16)
    mode = models.CharField(_("approval mode"), max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("step run")
        verbose_name_plural = _("step runs")
        ordering = ["instance", "id"]

    def __str__(self) -> str:
        return self.node_name or self.node_id


class Task(models.Model):
    """One person's piece of work at a node run. `version` counts changes (optimistic check)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        WAITING = "waiting", _("Waiting")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        TRANSFERRED = "transferred", _("Transferred")
        DELEGATED = "delegated", _("Delegated")

    class Kind(models.TextChoices):
        NORMAL = "normal", _("Approval")
        TRANSFER = "transfer", _("Transferred to me")
        DELEGATE = "delegate", _("Delegated to me")
        ADD_BEFORE = "add_before", _("Added signer (before)")
        ADD_AFTER = "add_after", _("Added signer (after)")
        RESUBMIT = "resubmit", _("Returned to me")

    OPEN = (Status.PENDING, Status.WAITING)

    instance = models.ForeignKey(FlowInstance, on_delete=models.CASCADE, related_name="tasks")
    node_run = models.ForeignKey(NodeRun, on_delete=models.CASCADE, related_name="tasks")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NORMAL)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decision = models.CharField(_("decision"), max_length=16, blank=True)
    action = models.CharField(_("action"), max_length=32, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    fallback = models.BooleanField(_("from the fallback queue"), default=False)
    created_at = models.DateTimeField(_("created at"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    acted_at = models.DateTimeField(_("acted at"), null=True, blank=True)
    acted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reminded_soon_at = models.DateTimeField(null=True, blank=True)
    reminded_due_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["id"]
        indexes = [models.Index(fields=["assignee", "status"])]

    def __str__(self) -> str:
        return f"{self.instance} / {self.node_run}"


class Action(models.Model):
    """Append-only history of an instance: who did what, when, from which step to which (never edited)."""

    instance = models.ForeignKey(FlowInstance, on_delete=models.PROTECT, related_name="actions")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=32)
    from_node = models.CharField(_("from step"), max_length=64, blank=True)
    to_node = models.CharField(_("to step"), max_length=64, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("approval action")
        verbose_name_plural = _("approval actions")
        ordering = ["instance", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("approval history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("approval history is append-only")


class CarbonCopy(models.Model):
    """A CC (抄送): the user is informed of the instance; read_at once they open it."""

    instance = models.ForeignKey(FlowInstance, on_delete=models.CASCADE, related_name="carbon_copies")
    node_id = models.CharField(_("step id"), max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("carbon copy")
        verbose_name_plural = _("carbon copies")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["instance", "node_id", "user"], name="workflow_cc_once")]
