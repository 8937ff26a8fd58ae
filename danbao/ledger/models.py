"""The in-force guarantee (在保担保) and the bank loans it covers.

One Guarantee per project, created by the first disbursement (放款) and added to by later tranches
under the same approval. It keeps the risk shares as they were agreed on the first loan date (a
snapshot: later changes of the product or the bank agreement do not move them), the loan balance, the
institution's liability (loan balance × own share) and the weighted regulatory liability. Its `state`
moves only through `ledger.lifecycle`; every move is logged in GuaranteeTransition.

A Loan is one tranche the bank lent (bank loan contract number unique per bank) with its repayment
schedule (ScheduleLine). Nothing here is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history
from danbao.ledger import schedules

MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}
USER = settings.AUTH_USER_MODEL


class GuaranteeState(models.TextChoices):
    IN_FORCE = "in_force", pgettext_lazy("guarantee state", "In force")
    # Declared for the post-guarantee issue (解保 / 代偿); no transition leads there yet.
    RELEASED = "released", pgettext_lazy("guarantee state", "Released")
    COMPENSATED = "compensated", pgettext_lazy("guarantee state", "Compensated")


class RepaymentMethod(models.TextChoices):
    ANNUITY = schedules.ANNUITY, _("Equal instalments (等额本息)")
    EQUAL_PRINCIPAL = schedules.EQUAL_PRINCIPAL, _("Equal principal (等额本金)")
    INTEREST_MONTHLY = schedules.INTEREST_MONTHLY, _("Interest monthly, principal at maturity (先息后本)")
    INTEREST_QUARTERLY = schedules.INTEREST_QUARTERLY, _("Interest quarterly, principal at maturity (先息后本)")
    CUSTOM = schedules.CUSTOM, _("Custom schedule from the bank")


class ShareSource(models.TextChoices):
    AGREEMENT = "agreement", _("Bank cooperation agreement")
    PRODUCT = "product", _("Product version")


class Guarantee(models.Model):
    """The institution's guarantee in force for one project (在保担保)."""

    State = GuaranteeState

    project = models.OneToOneField("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="guarantee")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="guarantees")
    bank = models.ForeignKey("partners.Bank", verbose_name=_("lending bank"), on_delete=models.PROTECT, related_name="guarantees")
    branch = models.ForeignKey(
        "partners.Bank", verbose_name=_("lending branch"), null=True, blank=True, on_delete=models.PROTECT, related_name="branch_guarantees"
    )
    product_version = models.ForeignKey(
        "products.ProductVersion", verbose_name=_("product version"), on_delete=models.PROTECT, related_name="guarantees"
    )
    letter = models.ForeignKey("letters.GuaranteeLetter", verbose_name=_("guarantee letter"), on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("bank agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guarantees",
    )
    approved_amount = models.DecimalField(_("approved amount (yuan)"), **MONEY)
    guaranteed_amount = models.DecimalField(_("guaranteed amount (yuan)"), **MONEY)  # Σ tranches lent
    bank_share = models.DecimalField(_("bank risk share"), **RATE)
    bank_share_source = models.CharField(_("bank share taken from"), max_length=16, choices=ShareSource.choices)
    reguarantor_share = models.DecimalField(_("re-guarantor risk share"), **RATE)
    fund_share = models.DecimalField(_("national fund risk share"), **RATE)
    gov_pool_share = models.DecimalField(_("government risk pool share"), **RATE)
    own_share = models.DecimalField(_("own risk share"), **RATE)
    loan_balance = models.DecimalField(_("loan balance (yuan)"), **MONEY)
    liability_balance = models.DecimalField(_("liability balance (yuan)"), **MONEY)
    regulatory_balance = models.DecimalField(_("regulatory liability balance (yuan)"), null=True, blank=True, **MONEY)
    regulatory_bucket = models.CharField(_("regulatory bucket"), max_length=8, blank=True)
    regulatory_on = models.DateField(_("regulatory figure as of"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=GuaranteeState.choices, default=GuaranteeState.IN_FORCE, editable=False)
    start_date = models.DateField(_("start date"))
    maturity_date = models.DateField(_("maturity date"))
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("in-force guarantee")
        verbose_name_plural = _("in-force guarantees")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=GuaranteeState.values), name="ledger_guarantee_state_valid"),
            models.CheckConstraint(condition=Q(own_share__gte=0, own_share__lte=1), name="ledger_guarantee_own_share_range"),
            models.CheckConstraint(condition=Q(loan_balance__gte=0), name="ledger_guarantee_balance_not_negative"),
            models.CheckConstraint(
                condition=Q(guaranteed_amount__lte=models.F("approved_amount")), name="ledger_guarantee_within_approval"
            ),
            models.CheckConstraint(condition=Q(maturity_date__gt=models.F("start_date")), name="ledger_guarantee_dates_ordered"),
        ]
        indexes = [
            models.Index(fields=["state", "start_date"], name="ledger_guarantee_state_idx"),
            models.Index(fields=["maturity_date"], name="ledger_guarantee_maturity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project.number} {self.customer.name}" if self.project_id and self.customer_id else str(self.pk)

    @property
    def lending_bank(self):  # type: ignore[no-untyped-def]
        return self.branch or self.bank


class GuaranteeTransition(models.Model):
    """Append-only log of state moves (who, when, why); part of the guarantee's timeline."""

    guarantee = models.ForeignKey(Guarantee, verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=16, blank=True)
    target = models.CharField(_("to state"), max_length=16)
    action = models.CharField(_("action"), max_length=30)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("guarantee state change")
        verbose_name_plural = _("guarantee state changes")
        ordering = ["at", "id"]


class Loan(models.Model):
    """One bank disbursement (放款) under the guarantee, with its repayment schedule."""

    Method = RepaymentMethod

    guarantee = models.ForeignKey(Guarantee, verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="loans")
    sequence = models.PositiveIntegerField(_("tranche"))
    bank = models.ForeignKey("partners.Bank", verbose_name=_("lending bank"), on_delete=models.PROTECT, related_name="+")
    contract_number = models.CharField(_("bank loan contract number"), max_length=60)
    amount = models.DecimalField(_("loan amount (yuan)"), **MONEY)
    balance = models.DecimalField(_("principal outstanding (yuan)"), **MONEY)
    loan_date = models.DateField(_("loan date"))
    maturity_date = models.DateField(_("maturity date"))
    interest_rate = models.DecimalField(_("annual interest rate"), **RATE)
    repayment_method = models.CharField(_("repayment method"), max_length=24, choices=RepaymentMethod.choices)
    idempotency_key = models.CharField(_("submission key"), max_length=64, blank=True, editable=False)
    evaluation = models.ForeignKey(
        "rules.Evaluation", verbose_name=_("pre-disbursement rules"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+")
    history = audited_history()

    class Meta:
        verbose_name = _("loan tranche")
        verbose_name_plural = _("loan tranches")
        ordering = ["guarantee", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "contract_number"], name="ledger_loan_bank_contract_unique"),
            models.UniqueConstraint(fields=["guarantee", "sequence"], name="ledger_loan_sequence_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="ledger_loan_idempotency_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_loan_amount_positive"),
            models.CheckConstraint(condition=Q(balance__gte=0, balance__lte=models.F("amount")), name="ledger_loan_balance_range"),
            models.CheckConstraint(condition=Q(maturity_date__gt=models.F("loan_date")), name="ledger_loan_dates_ordered"),
            models.CheckConstraint(condition=Q(repayment_method__in=RepaymentMethod.values), name="ledger_loan_method_valid"),
        ]
        indexes = [models.Index(fields=["loan_date"], name="ledger_loan_date_idx")]

    def __str__(self) -> str:
        return self.contract_number

    @property
    def rate_percent(self) -> str:
        return f"{self.interest_rate * 100:.4f}".rstrip("0").rstrip(".")


class ScheduleLine(models.Model):
    """One instalment of a loan's repayment schedule."""

    loan = models.ForeignKey(Loan, verbose_name=_("loan tranche"), on_delete=models.PROTECT, related_name="lines")
    seq = models.PositiveIntegerField(_("instalment"))
    due_date = models.DateField(_("due date"))
    principal = models.DecimalField(_("principal due"), **MONEY)
    interest = models.DecimalField(_("interest due"), **MONEY)
    balance_after = models.DecimalField(_("principal outstanding after"), **MONEY)
    # Filled by the repayment allocation (ledger.repayments): what was paid against this line and the
    # value date on which it became fully paid (null while anything is unpaid). Days past due read them.
    paid_principal = models.DecimalField(_("principal paid"), default=0, **MONEY)
    paid_interest = models.DecimalField(_("interest paid"), default=0, **MONEY)
    settled_on = models.DateField(_("fully paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("schedule line")
        verbose_name_plural = _("schedule lines")
        ordering = ["loan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "seq"], name="ledger_line_seq_unique"),
            models.CheckConstraint(condition=Q(principal__gte=0, interest__gte=0, balance_after__gte=0), name="ledger_line_not_negative"),
        ]

    @property
    def payment(self):  # type: ignore[no-untyped-def]
        return self.principal + self.interest


class Repayment(models.Model):
    """One repayment (还款) the bank reports for a tranche, allocated to its schedule lines oldest first.

    Recorded by staff, imported from the bank's Excel or (later) sent by the bank portal through the
    same service. Never deleted: a wrong one is reversed with a reason, which undoes its allocation."""

    class Source(models.TextChoices):
        MANUAL = "manual", pgettext_lazy("repayment source", "Recorded by staff")
        IMPORT = "import", pgettext_lazy("repayment source", "Bank Excel import")
        PORTAL = "portal", pgettext_lazy("repayment source", "Bank portal")
        DEMO = "demo", pgettext_lazy("repayment source", "Demo data")

    loan = models.ForeignKey(Loan, verbose_name=_("loan tranche"), on_delete=models.PROTECT, related_name="repayments")
    guarantee = models.ForeignKey(Guarantee, verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("repayment date"))
    principal = models.DecimalField(_("principal repaid"), **MONEY)
    interest = models.DecimalField(_("interest repaid"), **MONEY)
    penalty = models.DecimalField(_("penalty interest repaid"), default=0, **MONEY)
    reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    source = models.CharField(_("repayment source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    natural_key = models.CharField(_("natural key"), max_length=200, blank=True, editable=False)
    idempotency_key = models.CharField(_("submission key"), max_length=64, blank=True, editable=False)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(USER, verbose_name=_("reversed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reversal_reason = models.CharField(_("reversal reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["paid_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="ledger_repayment_key_unique"),
            models.UniqueConstraint(fields=["natural_key"], condition=~Q(natural_key=""), name="ledger_repayment_natural_unique"),
            models.CheckConstraint(condition=Q(principal__gte=0, interest__gte=0, penalty__gte=0), name="ledger_repayment_not_negative"),
        ]
        indexes = [models.Index(fields=["guarantee", "paid_on"], name="ledger_repayment_g_idx")]

    @property
    def total(self):  # type: ignore[no-untyped-def]
        return self.principal + self.interest + self.penalty


class RepaymentAllocation(models.Model):
    """The part of a repayment applied to one schedule line (kept after a reversal, marked by it)."""

    repayment = models.ForeignKey(Repayment, verbose_name=_("repayment"), on_delete=models.PROTECT, related_name="allocations")
    line = models.ForeignKey(ScheduleLine, verbose_name=_("schedule line"), on_delete=models.PROTECT, related_name="allocations")
    principal = models.DecimalField(_("principal applied"), **MONEY)
    interest = models.DecimalField(_("interest applied"), **MONEY)

    class Meta:
        verbose_name = _("repayment allocation")
        verbose_name_plural = _("repayment allocations")
        ordering = ["repayment", "line__seq"]


class RepaymentMapping(models.Model):
    """A bank's column headers in its repayment Excel (saved on the first successful import)."""

    bank = models.OneToOneField("partners.Bank", verbose_name=_("bank of the file"), on_delete=models.PROTECT, related_name="+")
    columns = models.JSONField(_("column headers"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("repayment file columns")
        verbose_name_plural = _("repayment file columns")


class MaturityReminder(models.Model):
    """A maturity reminder sent (to the A-role manager): once per guarantee, maturity date and threshold."""

    guarantee = models.ForeignKey(Guarantee, verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="maturity_reminders")
    maturity_date = models.DateField(_("maturity date"))
    threshold = models.PositiveIntegerField(_("days before maturity"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("maturity reminder")
        verbose_name_plural = _("maturity reminders")
        constraints = [
            models.UniqueConstraint(fields=["guarantee", "maturity_date", "threshold"], name="ledger_maturity_reminder_once"),
        ]


class Extension(models.Model):
    """An extension (展期) of a loan tranche's maturity, approved through the `ledger.extension` flow.
    `before` keeps the replaced terms (maturity and the schedule lines that were re-generated)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("extension status", "Pending approval")
        APPROVED = "approved", pgettext_lazy("extension status", "Approved")
        REJECTED = "rejected", pgettext_lazy("extension status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("extension status", "Withdrawn")

    guarantee = models.ForeignKey(Guarantee, verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="extensions")
    loan = models.ForeignKey(Loan, verbose_name=_("loan tranche"), on_delete=models.PROTECT, related_name="extensions")
    number = models.PositiveIntegerField(_("extension number"))
    old_maturity = models.DateField(_("maturity before"))
    new_maturity = models.DateField(_("extended maturity"))
    reason = models.CharField(_("reason for the extension"), max_length=500)
    status = models.CharField(_("extension status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    before = models.JSONField(_("terms before"), default=dict)
    decision_comment = models.CharField(_("decision comment"), max_length=500, blank=True)
    requested_by = models.ForeignKey(USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan extension")
        verbose_name_plural = _("loan extensions")
        ordering = ["guarantee", "number"]
        constraints = [
            models.UniqueConstraint(fields=["guarantee", "number"], name="ledger_extension_number_unique"),
            models.UniqueConstraint(fields=["loan"], condition=Q(status="pending"), name="ledger_extension_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.loan.contract_number} → {self.new_maturity.isoformat()}"

    @property
    def department(self):  # type: ignore[no-untyped-def]
        return self.guarantee.project.department
