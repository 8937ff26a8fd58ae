"""Monitoring plans, inspection tasks and reports, batch inspections and risk events (保后检查).

A MonitoringPlan belongs to one in-force guarantee and holds its current risk class and the interval
that class gives. Its InspectionTasks are generated (first inspection, periodic, pre-maturity) with a
planned calendar date and a due date that is always a working day; re-planning marks open future
tasks `superseded` instead of deleting them. An InspectionReport completes a task; its state moves
only through `monitoring.lifecycle`. RiskEvents carry a dated handling log. Nothing here is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history

USER = settings.AUTH_USER_MODEL
RISK_CLASSES = (("01", "正常"), ("02", "关注"), ("03", "次级"), ("04", "可疑"), ("05", "损失"))  # dictionary risk_class


class MonitoringPlan(models.Model):
    """The guarantee's monitoring plan: current risk class, the interval it gives, how far tasks exist."""

    guarantee = models.OneToOneField(
        "ledger.Guarantee", verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="monitoring_plan"
    )
    risk_class = models.CharField(_("risk class"), max_length=2, default="01", choices=RISK_CLASSES)
    interval_days = models.PositiveIntegerField(_("periodic interval (days)"))
    anchor_date = models.DateField(_("periodic inspections counted from"))
    maturity_date = models.DateField(_("maturity the plan was made for"))
    generated_through = models.DateField(_("tasks generated through"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("monitoring plan")
        verbose_name_plural = _("monitoring plans")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(interval_days__gte=1), name="monitoring_plan_interval_positive"),
            models.CheckConstraint(condition=Q(risk_class__in=[c for c, _l in RISK_CLASSES]), name="monitoring_plan_class_valid"),
        ]

    def __str__(self) -> str:
        return f"plan {self.guarantee_id}"


class PlanChange(models.Model):
    """Append-only log of re-plans (class changes): who, when, why, which tasks were superseded."""

    plan = models.ForeignKey(MonitoringPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="changes")
    from_class = models.CharField(_("from class"), max_length=2)
    to_class = models.CharField(_("to class"), max_length=2)
    from_interval = models.PositiveIntegerField(_("from interval (days)"))
    to_interval = models.PositiveIntegerField(_("to interval (days)"))
    superseded = models.PositiveIntegerField(_("tasks superseded"), default=0)
    reason = models.CharField(_("reason"), max_length=500)
    on_date = models.DateField(_("effective date"))
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("re-plan")
        verbose_name_plural = _("re-plans")
        ordering = ["at", "id"]


class TaskKind(models.TextChoices):
    FIRST = "first", _("First inspection")
    PERIODIC = "periodic", _("Periodic inspection")
    PRE_MATURITY = "pre_maturity", _("Pre-maturity check")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("inspection task", "Open")
    DONE = "done", pgettext_lazy("inspection task", "Done")
    SUPERSEDED = "superseded", pgettext_lazy("inspection task", "Superseded")


class InspectionTask(models.Model):
    """One inspection the A-role manager must do by `due_date` (a working day)."""

    Kind = TaskKind
    Status = TaskStatus

    plan = models.ForeignKey(MonitoringPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="tasks")
    guarantee = models.ForeignKey(
        "ledger.Guarantee", verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="inspection_tasks"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TaskKind.choices)
    planned_date = models.DateField(_("planned date"))
    due_date = models.DateField(_("due date"))
    risk_class = models.CharField(_("risk class when planned"), max_length=2, choices=RISK_CLASSES)
    assignee = models.ForeignKey(USER, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="inspection_tasks")
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    reminded_soon_at = models.DateTimeField(_("due-soon reminder sent at"), null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(_("overdue reminder sent at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        USER, verbose_name=_("escalated to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        ordering = ["due_date", "id"]
        constraints = [
            # The idempotency key of generation: one live task per plan, kind and planned date.
            models.UniqueConstraint(
                fields=["plan", "kind", "planned_date"], condition=~Q(status="superseded"), name="monitoring_task_once"
            ),
            models.CheckConstraint(condition=Q(kind__in=TaskKind.values), name="monitoring_task_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="monitoring_task_status_valid"),
            models.CheckConstraint(condition=Q(due_date__gte=models.F("planned_date")), name="monitoring_task_due_after_planned"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="monitoring_task_due_idx"),
            models.Index(fields=["assignee", "status", "due_date"], name="monitoring_task_assignee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_date:%Y-%m-%d}"


class Method(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    PHONE = "phone", _("By phone")
    OFF_SITE = "off_site", _("Off-site (documents)")


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("inspection report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("inspection report", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("inspection report", "Accepted")
    RETURNED = "returned", pgettext_lazy("inspection report", "Returned for rework")


class InspectionBatch(models.Model):
    """A batch inspection: one shared report body for many small guarantees of one manager."""

    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(USER, verbose_name=_("inspected by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    idempotency_key = models.CharField(_("submission key"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("batch inspection")
        verbose_name_plural = _("batch inspections")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="monitoring_batch_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title


REPORT_SECTIONS = (
    ("operations", _("Operations")),
    ("finances", _("Finances")),
    ("collateral", _("Collateral state")),
    ("loan_use", _("Use of the loan")),
    ("risk_signals", _("Risk signals found")),
)


class InspectionReport(models.Model):
    """The report of one inspection (保后检查报告); submitting it completes the task."""

    State = ReportState

    task = models.OneToOneField(InspectionTask, verbose_name=_("task"), on_delete=models.PROTECT, related_name="report")
    guarantee = models.ForeignKey(
        "ledger.Guarantee", verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="inspection_reports"
    )
    batch = models.ForeignKey(
        InspectionBatch, verbose_name=_("batch inspection"), null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    method = models.CharField(_("method"), max_length=16, choices=Method.choices, default=Method.ON_SITE)
    inspection_date = models.DateField(_("inspection date"))
    operations = models.TextField(_("operations"), blank=True)
    finances = models.TextField(_("finances"), blank=True)
    collateral = models.TextField(_("collateral state"), blank=True)
    loan_use = models.TextField(_("use of the loan"), blank=True)
    risk_signals = models.TextField(_("risk signals found"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    suggested_class = models.CharField(_("suggested risk class"), max_length=2, choices=RISK_CLASSES, default="01")
    state = models.CharField(_("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT, editable=False)
    author = models.ForeignKey(USER, verbose_name=_("inspected by"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.CharField(_("review comment"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("inspection report")
        verbose_name_plural = _("inspection reports")
        ordering = ["-inspection_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="monitoring_report_state_valid"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="monitoring_report_method_valid"),
        ]
        indexes = [models.Index(fields=["state"], name="monitoring_report_state_idx")]

    def __str__(self) -> str:
        return f"{self.inspection_date:%Y-%m-%d} {self.get_method_display()}"

    @property
    def editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)


class ReportTransition(models.Model):
    """Append-only log of report state moves."""

    report = models.ForeignKey(InspectionReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=16)
    target = models.CharField(_("to state"), max_length=16)
    action = models.CharField(_("action"), max_length=20)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("report state change")
        verbose_name_plural = _("report state changes")
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        return str(REPORT_ACTIONS.get(self.action, self.action))


REPORT_ACTIONS = {
    "submit": pgettext_lazy("inspection report action", "Submitted"),
    "accept": pgettext_lazy("inspection report action", "Accepted"),
    "return": pgettext_lazy("inspection report action", "Returned for rework"),
}


class CaptureSource(models.TextChoices):
    EXIF = "exif", _("Camera time (EXIF)")
    UPLOAD = "upload", _("Upload time (no camera time in the file)")


class ReportPhoto(models.Model):
    """A photo of an inspection: the stored file, when it was taken and (if allowed) where."""

    report = models.ForeignKey(InspectionReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="photos")
    attachment = models.OneToOneField("core.Attachment", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    captured_at = models.DateTimeField(_("captured at"))
    capture_source = models.CharField(_("capture time from"), max_length=8, choices=CaptureSource.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.DecimalField(_("accuracy (m)"), max_digits=9, decimal_places=1, null=True, blank=True)
    uploaded_by = models.ForeignKey(USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["report", "captured_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180)),
                name="monitoring_photo_position_valid",
            ),
        ]

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class RiskEventKind(models.TextChoices):
    LITIGATION = "litigation", _("Litigation")
    KEY_PERSON = "key_person", _("Key person (missing, detained, ill, departed)")
    PRODUCTION_HALT = "production_halt", _("Production halted")
    COLLATERAL_SEIZED = "collateral_seized", _("Collateral seized by others")
    ENVIRONMENTAL = "environmental", _("Environmental or safety incident")
    FRAUD = "fraud", _("Fraud")
    OTHER = "other", pgettext_lazy("risk event kind", "Other")


class Severity(models.TextChoices):
    HIGH = "high", pgettext_lazy("severity", "High")
    MEDIUM = "medium", pgettext_lazy("severity", "Medium")
    LOW = "low", pgettext_lazy("severity", "Low")


class RiskEventState(models.TextChoices):
    OPEN = "open", pgettext_lazy("risk event", "Open")
    HANDLING = "handling", pgettext_lazy("risk event", "Being handled")
    CLOSED = "closed", pgettext_lazy("risk event", "Closed")


class RiskEvent(models.Model):
    """A risk event of an in-force guarantee (风险事件) with its handling log."""

    Kind = RiskEventKind
    State = RiskEventState

    guarantee = models.ForeignKey("ledger.Guarantee", verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="risk_events")
    kind = models.CharField(_("kind"), max_length=20, choices=RiskEventKind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("description"))
    occurred_date = models.DateField(_("occurred on"))
    state = models.CharField(_("state"), max_length=10, choices=RiskEventState.choices, default=RiskEventState.OPEN, editable=False)
    conclusion = models.TextField(_("conclusion"), blank=True)
    report = models.ForeignKey(
        InspectionReport, verbose_name=_("found in inspection"), null=True, blank=True, on_delete=models.PROTECT, related_name="risk_events"
    )
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    closed_by = models.ForeignKey(USER, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("risk event")
        verbose_name_plural = _("risk events")
        ordering = ["-occurred_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RiskEventKind.values), name="monitoring_event_kind_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="monitoring_event_severity_valid"),
            models.CheckConstraint(condition=Q(state__in=RiskEventState.values), name="monitoring_event_state_valid"),
            models.CheckConstraint(condition=~Q(state="closed") | ~Q(conclusion=""), name="monitoring_event_closed_conclusion"),
        ]
        indexes = [models.Index(fields=["guarantee", "state"], name="monitoring_event_state_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_date:%Y-%m-%d}"


class RiskEventEntry(models.Model):
    """One dated line of the handling log (attachments hang off it)."""

    event = models.ForeignKey(RiskEvent, verbose_name=_("risk event"), on_delete=models.PROTECT, related_name="entries")
    entry_date = models.DateField(_("date"))
    action = models.TextField(_("action taken"))
    state_from = models.CharField(_("from state"), max_length=10, blank=True)
    state_to = models.CharField(_("to state"), max_length=10, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("handling log entry")
        verbose_name_plural = _("handling log entries")
        ordering = ["entry_date", "at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_date:%Y-%m-%d}"
