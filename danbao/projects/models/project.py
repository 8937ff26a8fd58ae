"""The guarantee project (担保项目) and the rows hanging off it.

A project records the product VERSION in force at intake and never changes it. Its `state` moves
only through `projects.lifecycle` (called by services); every move is logged in ProjectTransition
and in simple-history. Approved terms are kept as a history (ProjectTerms): the approval writes the
first row, each approved change (变更) appends one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history

MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}
USER = settings.AUTH_USER_MODEL


class ProjectState(models.TextChoices):
    OVERRIDE_PENDING = "override_pending", _("Exception approval pending")
    DECLINED = "declined", _("Not accepted")
    ACCEPTED = "accepted", _("Accepted")
    DUE_DILIGENCE = "due_diligence", _("Due diligence")
    RISK_REVIEW = "risk_review", _("Risk review")
    APPROVING = "approving", _("Committee / approval")
    RETURNED = "returned", _("Returned for supplement")
    APPROVED = "approved", pgettext_lazy("project state", "Approved")
    REJECTED = "rejected", pgettext_lazy("project state", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("project state", "Withdrawn")


class RepaymentMethod(models.TextChoices):
    BULLET = "bullet", _("Principal and interest at maturity")
    INTEREST_MONTHLY = "interest_monthly", _("Monthly interest, principal at maturity")
    ANNUITY = "annuity", _("Equal monthly instalments")
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal instalments")
    OTHER = "other", _("Other repayment schedule")


class Project(models.Model):
    """One guarantee application, from intake to the approval letter (and later changes)."""

    State = ProjectState

    number = models.CharField(_("project number"), max_length=40, unique=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="projects")
    product_version = models.ForeignKey(
        "products.ProductVersion", verbose_name=_("product version"), on_delete=models.PROTECT, related_name="projects"
    )
    amount = models.DecimalField(_("amount applied for (yuan)"), **MONEY)
    term_months = models.PositiveIntegerField(_("term (months)"))
    purpose = models.CharField(_("loan purpose"), max_length=500)
    repayment_method = models.CharField(_("repayment method"), max_length=24, choices=RepaymentMethod.choices)
    bank = models.ForeignKey("partners.Bank", verbose_name=_("lending bank"), on_delete=models.PROTECT, related_name="projects")
    branch = models.ForeignKey(
        "partners.Bank",
        verbose_name=_("lending branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branch_projects",
    )
    channel = models.ForeignKey(
        "partners.Channel",
        verbose_name=_("source channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    manager_a = models.ForeignKey(USER, verbose_name=_("A-role manager"), on_delete=models.PROTECT, related_name="projects_as_a")
    manager_b = models.ForeignKey(USER, verbose_name=_("B-role manager"), on_delete=models.PROTECT, related_name="projects_as_b")
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="projects")
    fee_rate = models.DecimalField(_("proposed fee rate"), **RATE)
    note = models.TextField(_("note"), blank=True)

    state = models.CharField(_("state"), max_length=20, choices=ProjectState.choices, default=ProjectState.ACCEPTED, editable=False)
    state_reason = models.CharField(_("reason for the state"), max_length=500, blank=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    intake_date = models.DateField(_("intake date"))
    intake_evaluation = models.ForeignKey(
        "rules.Evaluation",
        verbose_name=_("intake rule evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Exception approval (例外审批) of a rule hit that allows an override: maker-checker.
    override_reason = models.CharField(_("reason for the exception"), max_length=500, blank=True)
    override_decided_by = models.ForeignKey(
        USER, verbose_name=_("exception decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_decided_at = models.DateTimeField(_("exception decided at"), null=True, blank=True)

    # Current approved terms (copied from the newest ProjectTerms row; empty until approval).
    approval_number = models.CharField(_("approval letter number"), max_length=40, blank=True)
    approved_amount = models.DecimalField(_("approved amount (yuan)"), null=True, blank=True, **MONEY)
    approved_term_months = models.PositiveIntegerField(_("approved term (months)"), null=True, blank=True)
    approved_fee_rate = models.DecimalField(_("approved fee rate"), null=True, blank=True, **RATE)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("guarantee project")
        verbose_name_plural = _("guarantee projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=ProjectState.values), name="projects_project_state_valid"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="projects_project_amount_positive"),
            models.CheckConstraint(condition=models.Q(term_months__gt=0), name="projects_project_term_positive"),
            models.CheckConstraint(condition=~models.Q(manager_a=models.F("manager_b")), name="projects_project_ab_managers_differ"),
        ]
        indexes = [
            models.Index(fields=["state", "department"], name="projects_state_dept_idx"),
            models.Index(fields=["manager_a"], name="projects_manager_a_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.customer.name}" if self.customer_id else self.number

    @property
    def product(self):  # type: ignore[no-untyped-def]
        return self.product_version.product

    @property
    def is_approved(self) -> bool:
        return self.state == ProjectState.APPROVED

    @property
    def fee_percent(self) -> str:
        return f"{self.fee_rate * 100:.2f}"


class ProjectTransition(models.Model):
    """Append-only log of state moves (who, when, why); the dossier's state history."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=20, blank=True)
    target = models.CharField(_("to state"), max_length=20)
    action = models.CharField(_("action"), max_length=30)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("project state change")
        verbose_name_plural = _("project state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("project transitions are append-only")
        super().save(*args, **kwargs)

    @property
    def source_label(self) -> str:
        return str(ProjectState(self.source).label) if self.source in ProjectState.values else ""

    @property
    def target_label(self) -> str:
        return str(ProjectState(self.target).label) if self.target in ProjectState.values else self.target


class RiskRecommendation(models.TextChoices):
    AGREE = "agree", _("Agree")
    CONDITIONAL = "conditional", _("Agree with conditions")
    DISAGREE = "disagree", _("Disagree")


class RiskOpinion(models.Model):
    """The risk manager's independent review (风险审查意见), with the pre-approval rule evaluation
    and the regulatory what-if as they were when the opinion was submitted."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="risk_opinions")
    reviewer = models.ForeignKey(USER, verbose_name=_("risk manager"), on_delete=models.PROTECT, related_name="+")
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=RiskRecommendation.choices)
    opinion = models.TextField(_("opinion"))
    risk_points = models.TextField(_("main risks and mitigants"), blank=True)
    suggested_conditions = models.TextField(_("suggested conditions"), blank=True)
    evaluation = models.ForeignKey(
        "rules.Evaluation",
        verbose_name=_("pre-approval rule evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    what_if = models.JSONField(_("regulatory what-if"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    history = audited_history()

    class Meta:
        verbose_name = _("risk review opinion")
        verbose_name_plural = _("risk review opinions")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_recommendation_display()}"


class ProjectTerms(models.Model):
    """One version of a project's approved terms: the approval writes #1, each approved change the next.

    The draft row (`effective_at` empty, one per project) is what the final approver fills in before
    approving; the approval executor makes it effective."""

    class Source(models.TextChoices):
        APPROVAL = "approval", _("Approval")
        CHANGE = "change", _("Change")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="terms")
    sequence = models.PositiveIntegerField(_("terms version"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.APPROVAL)
    amount = models.DecimalField(_("approved amount (yuan)"), **MONEY)
    term_months = models.PositiveIntegerField(_("approved term (months)"))
    fee_rate = models.DecimalField(_("approved fee rate"), **RATE)
    bank = models.ForeignKey("partners.Bank", verbose_name=_("lending bank"), on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(
        "partners.Bank", verbose_name=_("lending branch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counter_guarantees = models.TextField(_("required counter-guarantees"), blank=True)
    conditions = models.TextField(_("conditions precedent"), blank=True)
    letter_number = models.CharField(_("letter number"), max_length=40, blank=True)
    change = models.ForeignKey(
        "ProjectChange", verbose_name=_("change request"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_at = models.DateTimeField(_("effective at"), null=True, blank=True)
    written_by = models.ForeignKey(USER, verbose_name=_("written by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written at"), auto_now=True)
    history = audited_history(excluded_fields=["written_at"])

    class Meta:
        verbose_name = _("approved terms")
        verbose_name_plural = _("approved terms")
        ordering = ["project", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "sequence"], name="projects_terms_sequence_unique"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(effective_at__isnull=True), name="projects_terms_one_draft"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="projects_terms_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} #{self.sequence or '-'}"

    @property
    def fee_percent(self) -> str:
        return f"{self.fee_rate * 100:.2f}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", pgettext_lazy("change status", "Approved")
    REJECTED = "rejected", pgettext_lazy("change status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("change status", "Withdrawn")


class ProjectChange(models.Model):
    """A change request after approval (变更: amount, term, bank), decided through the change flow."""

    Status = ChangeStatus

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="changes")
    number = models.PositiveIntegerField(_("change number"))
    amount = models.DecimalField(_("new amount (yuan)"), **MONEY)
    term_months = models.PositiveIntegerField(_("new term (months)"))
    bank = models.ForeignKey("partners.Bank", verbose_name=_("new lending bank"), on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(
        "partners.Bank", verbose_name=_("new lending branch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason for the change"), max_length=500)
    before = models.JSONField(_("terms before"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING, editable=False)
    decision_comment = models.CharField(_("decision comment"), max_length=500, blank=True)
    requested_by = models.ForeignKey(USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="projects_change_number_unique"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(status="pending"), name="projects_change_one_pending"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="projects_change_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project.number} 变更{self.number}"
