"""The money model: what a party owes the institution (Receivable, 应收), what came in (Receipt, 收款),
how a receipt pays receivables (ReceiptAllocation), fee plans per set of approved terms (FeePlan) and
deferrals (Deferral, 缓缴) decided maker-checker.

Nothing here is deleted: a wrong receipt is reversed (its allocations become inactive), a receivable
that is no longer owed is cancelled with a reason, a fee plan replaced by a change of terms is kept
as superseded. A receivable's `state` moves only through `finance.lifecycle` (called by services).
Issue 9 (refunds, subsidies, compensation and share claims) adds kinds and payers to the same model.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history
from danbao.products.models import FeeBasis

MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}
USER = settings.AUTH_USER_MODEL


class ReceivableKind(models.TextChoices):
    GUARANTEE_FEE = "guarantee_fee", _("Guarantee fee")
    REVIEW_FEE = "review_fee", _("Review fee")
    # A margin deposit is the customer's money held as security: a liability to refund at release.
    MARGIN = "margin", _("Margin deposit")


class ReceivableState(models.TextChoices):
    OPEN = "open", pgettext_lazy("receivable state", "Open")
    PARTLY_PAID = "partly_paid", pgettext_lazy("receivable state", "Partly paid")
    PAID = "paid", pgettext_lazy("receivable state", "Paid")
    DEFERRED = "deferred", pgettext_lazy("receivable state", "Deferred")
    CANCELLED = "cancelled", pgettext_lazy("receivable state", "Cancelled")


class FeePlan(models.Model):
    """The fee schedule computed from one version of a project's approved terms; one current per project."""

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="fee_plans")
    terms = models.ForeignKey("projects.ProjectTerms", verbose_name=_("approved terms"), on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(_("plan version"), default=1)
    is_current = models.BooleanField(_("current plan"), default=True)
    fee_basis = models.CharField(_("fee basis"), max_length=16, choices=FeeBasis.choices)
    amount = models.DecimalField(_("guaranteed amount (yuan)"), **MONEY)
    term_months = models.PositiveIntegerField(_("term (months)"))
    fee_rate = models.DecimalField(_("fee rate"), **RATE)
    annualised_rate = models.DecimalField(_("annualised fee rate"), **RATE)
    guarantee_fee_amount = models.DecimalField(_("guarantee fee total (yuan)"), **MONEY)
    review_fee_amount = models.DecimalField(_("review fee (yuan)"), **MONEY)
    margin_ratio = models.DecimalField(_("margin ratio"), **RATE)
    margin_amount = models.DecimalField(_("margin deposit (yuan)"), **MONEY)
    issue_date = models.DateField(_("expected issue date"))
    cap_rate = models.DecimalField(_("policy fee cap"), null=True, blank=True, **RATE)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("fee plan")
        verbose_name_plural = _("fee plans")
        ordering = ["project", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["project", "sequence"], name="finance_plan_sequence_unique"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(is_current=True), name="finance_plan_one_current"),
            models.UniqueConstraint(fields=["terms"], name="finance_plan_one_per_terms"),
            models.CheckConstraint(condition=models.Q(guarantee_fee_amount__gte=0), name="finance_plan_fee_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} plan {self.sequence}"

    @property
    def annualised_percent(self) -> str:
        return f"{self.annualised_rate * 100:.4f}".rstrip("0").rstrip(".")


class Receivable(models.Model):
    """One amount a payer owes the institution (应收), due on a date; paid by receipt allocations."""

    Kind = ReceivableKind
    State = ReceivableState

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT, related_name="receivables"
    )
    plan = models.ForeignKey(
        FeePlan, verbose_name=_("fee plan"), null=True, blank=True, on_delete=models.PROTECT, related_name="receivables"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ReceivableKind.choices)
    payer_name = models.CharField(_("payer"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_amount = models.DecimalField(_("paid (yuan)"), default=Decimal("0"), editable=False, **MONEY)
    due_date = models.DateField(_("due date"))
    instalment = models.PositiveIntegerField(_("instalment"), default=1)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ReceivableState.choices, default=ReceivableState.OPEN, editable=False)
    deferred_until = models.DateField(_("deferred until"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("receivable")
        verbose_name_plural = _("receivables")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=ReceivableState.values), name="finance_receivable_state_valid"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="finance_receivable_amount_nonnegative"),
            models.CheckConstraint(condition=models.Q(paid_amount__gte=0), name="finance_receivable_paid_nonnegative"),
            models.CheckConstraint(condition=models.Q(paid_amount__lte=models.F("amount")), name="finance_receivable_not_overpaid"),
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="finance_receivable_state_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.instalment} {self.amount}"

    @property
    def outstanding(self) -> Decimal:
        if self.state == ReceivableState.CANCELLED:
            return Decimal("0.00")
        return self.amount - self.paid_amount


class ReceiptMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    OTHER = "other", pgettext_lazy("receipt method", "Other")


class ReceiptState(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    REVERSED = "reversed", _("Reversed")


class Receipt(models.Model):
    """Money received (收款). The idempotency key makes a repeated request (double click, retry) a no-op."""

    Method = ReceiptMethod
    State = ReceiptState

    number = models.CharField(_("receipt number"), max_length=40, unique=True)
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    received_on = models.DateField(_("received on"))
    method = models.CharField(_("method"), max_length=16, choices=ReceiptMethod.choices)
    payer = models.CharField(_("payer"), max_length=200)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    request_digest = models.CharField(_("request digest"), max_length=64, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=ReceiptState.choices, default=ReceiptState.RECORDED, editable=False)
    reversed_by = models.ForeignKey(USER, verbose_name=_("reversed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reverse_reason = models.CharField(_("reason for reversing"), max_length=500, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="finance_receipt_amount_positive"),
            models.CheckConstraint(condition=models.Q(state__in=ReceiptState.values), name="finance_receipt_state_valid"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_reversed(self) -> bool:
        return self.state == ReceiptState.REVERSED


class ReceiptAllocation(models.Model):
    """The part of a receipt that pays one receivable; inactive once the receipt is reversed."""

    receipt = models.ForeignKey(Receipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="allocations")
    receivable = models.ForeignKey(Receivable, verbose_name=_("receivable"), on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt allocation")
        verbose_name_plural = _("receipt allocations")
        ordering = ["receipt", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="finance_allocation_amount_positive"),
            models.UniqueConstraint(fields=["receipt", "receivable"], name="finance_allocation_once_per_receivable"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id}→{self.receivable_id} {self.amount}"


class DeferralStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", pgettext_lazy("deferral status", "Approved")
    REJECTED = "rejected", pgettext_lazy("deferral status", "Rejected")


class Deferral(models.Model):
    """A request to defer a receivable (缓缴) until a date; decided by another person (maker-checker)."""

    Status = DeferralStatus

    receivable = models.ForeignKey(Receivable, verbose_name=_("receivable"), on_delete=models.PROTECT, related_name="deferrals")
    until = models.DateField(_("deferred until"))
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=16, choices=DeferralStatus.choices, default=DeferralStatus.PENDING, editable=False)
    requested_by = models.ForeignKey(USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.CharField(_("decision comment"), max_length=500, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("deferral")
        verbose_name_plural = _("deferrals")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["receivable"], condition=models.Q(status="pending"), name="finance_deferral_one_pending"),
            models.CheckConstraint(condition=models.Q(status__in=DeferralStatus.values), name="finance_deferral_status_valid"),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True) | ~models.Q(decided_by=models.F("requested_by")),
                name="finance_deferral_maker_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receivable_id} → {self.until}"
