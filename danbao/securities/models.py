"""Counter-guarantee measures (反担保措施) of approved projects and the collateral (抵质押物) behind them.

A measure's `state` moves only through `securities.lifecycle` (called by services); every move is
logged in MeasureTransition. Nothing is deleted: a measure no longer wanted is cancelled with a
reason, an allocation is released, a rejected revaluation keeps its reason.

Personal identity codes (third-party providers, collateral owners) are stored encrypted with a blind
index for exact search; lists never show them, detail pages show them masked.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.crypto import BlindIndexField, EncryptedTextField
from danbao.core.history import audited_history

MONEY = {"max_digits": 18, "decimal_places": 2}
USER = settings.AUTH_USER_MODEL


class MeasureKind(models.TextChoices):
    PERSONAL_GUARANTEE = "personal_guarantee", _("Personal guarantee")
    CORPORATE_GUARANTEE = "corporate_guarantee", _("Corporate guarantee")
    MORTGAGE = "mortgage", pgettext_lazy("counter-guarantee", "Mortgage")
    PLEDGE = "pledge", pgettext_lazy("counter-guarantee", "Pledge")
    MARGIN = "margin", _("Margin deposit")
    OTHER = "other", pgettext_lazy("counter-guarantee", "Other")


# Which contracts-template kind each measure kind needs (None: no separate contract).
CONTRACT_KIND = {
    MeasureKind.PERSONAL_GUARANTEE: "counter_guarantee",
    MeasureKind.CORPORATE_GUARANTEE: "counter_guarantee",
    MeasureKind.MORTGAGE: "counter_mortgage",
    MeasureKind.PLEDGE: "counter_pledge",
}
SECURED_KINDS = (MeasureKind.MORTGAGE, MeasureKind.PLEDGE)


class MeasureState(models.TextChoices):
    PENDING = "pending", _("To be put in place")
    FULFILLED = "fulfilled", _("In place")
    RELEASED = "released", pgettext_lazy("counter-guarantee", "Released")
    CANCELLED = "cancelled", pgettext_lazy("counter-guarantee", "Cancelled")


class ProviderSource(models.TextChoices):
    CUSTOMER = "customer", _("The customer itself")
    RELATED = "related", _("A related party of the customer")
    THIRD = "third", _("A third party")


class PartyType(models.TextChoices):
    PERSON = "person", pgettext_lazy("party", "Person")
    COMPANY = "company", pgettext_lazy("party", "Company")


class CollateralType(models.TextChoices):
    REAL_ESTATE = "real_estate", _("Real estate")
    LAND = "land", _("Land-use right")
    EQUIPMENT = "equipment", _("Machinery and equipment")
    VEHICLE = "vehicle", _("Vehicle")
    RECEIVABLE = "receivable", _("Receivables")
    EQUITY = "equity", _("Equity")
    DEPOSIT = "deposit", _("Deposit")
    WAREHOUSE_RECEIPT = "warehouse_receipt", _("Warehouse receipt")


MORTGAGE_TYPES = (CollateralType.REAL_ESTATE, CollateralType.LAND, CollateralType.EQUIPMENT, CollateralType.VEHICLE)
PLEDGE_TYPES = (CollateralType.RECEIVABLE, CollateralType.EQUITY, CollateralType.DEPOSIT, CollateralType.WAREHOUSE_RECEIPT)


class Measure(models.Model):
    """One counter-guarantee measure of an approved project (反担保措施)."""

    Kind = MeasureKind
    State = MeasureState

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("kind of measure"), max_length=24, choices=MeasureKind.choices)
    requirement = models.CharField(_("requirement of the approval"), max_length=500, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **MONEY)
    provider_source = models.CharField(_("provided by"), max_length=12, choices=ProviderSource.choices)
    related_party = models.ForeignKey(
        "customers.RelatedParty", verbose_name=_("related party"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_type = models.CharField(_("provider type"), max_length=8, choices=PartyType.choices, default=PartyType.PERSON)
    provider_name = models.CharField(_("provider name"), max_length=200)
    provider_id_code = EncryptedTextField(_("provider identity code"), max_length=32, blank=True)
    provider_id_index = BlindIndexField(source="provider_id_code", db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=MeasureState.choices, default=MeasureState.PENDING, editable=False)
    state_reason = models.CharField(_("reason of the last change"), max_length=500, blank=True, editable=False)
    fulfilled_at = models.DateTimeField(_("put in place at"), null=True, blank=True, editable=False)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("edit version"), default=1)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("counter-guarantee measure")
        verbose_name_plural = _("counter-guarantee measures")
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=MeasureState.values), name="securities_measure_state_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=MeasureKind.values), name="securities_measure_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="securities_measure_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(provider_source=ProviderSource.RELATED) | models.Q(related_party__isnull=False),
                name="securities_measure_related_party_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.provider_name}"

    @property
    def subject_key(self) -> str:
        return f"securities.measure:{self.pk}"

    @property
    def contract_kind(self) -> str | None:
        return CONTRACT_KIND.get(MeasureKind(self.kind)) if self.kind in MeasureKind.values else None

    @property
    def is_secured(self) -> bool:
        return self.kind in SECURED_KINDS

    @property
    def is_open(self) -> bool:
        return self.state in (MeasureState.PENDING, MeasureState.FULFILLED)

    @property
    def masked_id_code(self) -> str:
        from danbao.customers.identity import mask_ric, mask_uscc

        if not self.provider_id_code:
            return ""
        return mask_ric(self.provider_id_code) if self.provider_type == PartyType.PERSON else mask_uscc(self.provider_id_code)


class MeasureTransition(models.Model):
    """Append-only log of measure moves (fulfil, release, cancel): who, when, why."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=12)
    target = models.CharField(_("to state"), max_length=12)
    action = models.CharField(_("action"), max_length=12)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("measure state change")
        verbose_name_plural = _("measure state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("measure transitions are append-only")
        super().save(*args, **kwargs)

    @property
    def target_label(self) -> str:
        return str(MeasureState(self.target).label) if self.target in MeasureState.values else self.target


class Collateral(models.Model):
    """One asset pledged or mortgaged (抵质押物); its typed attributes live in `attributes`, checked by
    the per-type form (securities.forms.ATTRIBUTE_FORMS). `current_value` is the last confirmed appraisal."""

    Type = CollateralType

    number = models.CharField(_("collateral number"), max_length=40, unique=True)
    type = models.CharField(_("collateral type"), max_length=20, choices=CollateralType.choices)
    name = models.CharField(_("name"), max_length=200)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    current_value = models.DecimalField(_("current value (yuan)"), null=True, blank=True, **MONEY)
    value_date = models.DateField(_("value date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=1)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("collateral")
        verbose_name_plural = _("collateral")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=CollateralType.values), name="securities_collateral_type_valid"),
            models.CheckConstraint(
                condition=models.Q(current_value__isnull=True) | models.Q(current_value__gte=0), name="securities_collateral_value_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_mortgage_type(self) -> bool:
        return self.type in MORTGAGE_TYPES

    @property
    def owner_names(self) -> str:
        """Owners joined (uses the prefetched owners on list pages)."""
        return "、".join(owner.name for owner in self.owners.all())


class CollateralOwner(models.Model):
    """An owner or co-owner of a collateral (所有权人 / 共有人) with their share."""

    collateral = models.ForeignKey(Collateral, verbose_name=_("collateral"), on_delete=models.PROTECT, related_name="owners")
    party_type = models.CharField(_("owner type"), max_length=8, choices=PartyType.choices, default=PartyType.PERSON)
    name = models.CharField(_("owner name"), max_length=200)
    id_code = EncryptedTextField(_("identity code"), max_length=32, blank=True)
    id_index = BlindIndexField(source="id_code", db_index=True)
    share_percent = models.DecimalField(_("share (%)"), max_digits=7, decimal_places=4, null=True, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("collateral owner")
        verbose_name_plural = _("collateral owners")
        ordering = ["collateral", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_percent__isnull=True) | (models.Q(share_percent__gt=0) & models.Q(share_percent__lte=100)),
                name="securities_owner_share_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_code(self) -> str:
        from danbao.customers.identity import mask_ric, mask_uscc

        if not self.id_code:
            return ""
        return mask_ric(self.id_code) if self.party_type == PartyType.PERSON else mask_uscc(self.id_code)


class AppraisalState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", pgettext_lazy("revaluation", "Rejected")


class Appraisal(models.Model):
    """One appraisal of a collateral (评估). The first appraisal sets the value directly; every later one
    is a revaluation that takes effect only when a second person confirms it (maker-checker)."""

    State = AppraisalState

    collateral = models.ForeignKey(Collateral, verbose_name=_("collateral"), on_delete=models.PROTECT, related_name="appraisals")
    value = models.DecimalField(_("appraised value (yuan)"), **MONEY)
    appraiser = models.CharField(_("appraiser"), max_length=200)
    appraised_on = models.DateField(_("appraisal date"))
    method = models.CharField(_("method"), max_length=100, blank=True)
    is_revaluation = models.BooleanField(_("revaluation"), default=False)
    state = models.CharField(_("state"), max_length=12, choices=AppraisalState.choices, editable=False)
    previous_value = models.DecimalField(_("value before"), null=True, blank=True, **MONEY)
    proposed_by = models.ForeignKey(USER, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(USER, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for the rejection"), max_length=500, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["collateral", "-appraised_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gt=0), name="securities_appraisal_value_positive"),
            models.CheckConstraint(condition=models.Q(state__in=AppraisalState.values), name="securities_appraisal_state_valid"),
            models.UniqueConstraint(fields=["collateral"], condition=models.Q(state="proposed"), name="securities_appraisal_one_proposed"),
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(reject_reason=""), name="securities_appraisal_reject_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collateral_id} {self.value} {self.appraised_on}"


class Registration(models.Model):
    """The registration of a mortgage or pledge (抵押/质押登记) with its certificate (他项权证号)."""

    collateral = models.ForeignKey(Collateral, verbose_name=_("collateral"), on_delete=models.PROTECT, related_name="registrations")
    registry_office = models.CharField(_("registry office"), max_length=200)
    certificate_no = models.CharField(_("registration certificate number"), max_length=100)
    registered_on = models.DateField(_("registration date"))
    priority = models.PositiveSmallIntegerField(_("priority (rank)"), default=1)
    secured_amount = models.DecimalField(_("secured amount (yuan)"), null=True, blank=True, **MONEY)
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["collateral", "-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(priority__gte=1), name="securities_registration_priority_positive"),
            models.CheckConstraint(condition=~models.Q(certificate_no=""), name="securities_registration_certificate_set"),
        ]

    def __str__(self) -> str:
        return self.certificate_no

    @property
    def is_active(self) -> bool:
        return self.deregistered_on is None


class Insurance(models.Model):
    """Insurance of a collateral, the institution as first beneficiary (第一受益人)."""

    collateral = models.ForeignKey(Collateral, verbose_name=_("collateral"), on_delete=models.PROTECT, related_name="insurances")
    insurer = models.CharField(_("insurer"), max_length=200)
    policy_no = models.CharField(_("policy number"), max_length=100)
    amount = models.DecimalField(_("insured amount (yuan)"), **MONEY)
    starts_on = models.DateField(_("insured from"))
    ends_on = models.DateField(_("insured until"))
    first_beneficiary = models.CharField(_("first beneficiary"), max_length=200)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("insurance")
        verbose_name_plural = _("insurances")
        ordering = ["collateral", "-ends_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="securities_insurance_amount_positive"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="securities_insurance_period_valid"),
        ]

    def __str__(self) -> str:
        return self.policy_no


class CustodyDirection(models.TextChoices):
    IN = "in", _("Taken into custody")
    OUT = "out", _("Taken out")


class CustodyEntry(models.Model):
    """One line of the title-document custody register (权证出入库登记): what, who, when, why, where kept.
    An 'out' line is closed when the document comes back (`returned_at`)."""

    Direction = CustodyDirection

    collateral = models.ForeignKey(Collateral, verbose_name=_("collateral"), on_delete=models.PROTECT, related_name="custody")
    direction = models.CharField(_("direction"), max_length=4, choices=CustodyDirection.choices)
    document = models.CharField(_("title document"), max_length=200)
    location = models.CharField(_("kept at / taken to"), max_length=200)
    reason = models.CharField(_("reason"), max_length=500)
    handled_by = models.ForeignKey(USER, verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    expected_return = models.DateField(_("expected back on"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(USER, verbose_name=_("returned by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody register")
        ordering = ["collateral", "-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(direction__in=CustodyDirection.values), name="securities_custody_direction_valid"),
            models.CheckConstraint(
                condition=models.Q(direction="out") | models.Q(returned_at__isnull=True), name="securities_custody_only_out_returns"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collateral_id} {self.direction} {self.document}"


class Allocation(models.Model):
    """The part of a collateral's value that secures one measure of one project (最高额: one collateral
    may secure several projects). Σ active allocations of a collateral ≤ its current value."""

    collateral = models.ForeignKey(Collateral, verbose_name=_("collateral"), on_delete=models.PROTECT, related_name="allocations")
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="allocations")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="+")
    allocated_value = models.DecimalField(_("allocated value (yuan)"), **MONEY)
    created_by = models.ForeignKey(USER, verbose_name=_("allocated by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("allocated at"), auto_now_add=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("reason for the release"), max_length=500, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["collateral", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(allocated_value__gt=0), name="securities_allocation_value_positive"),
            models.UniqueConstraint(
                fields=["collateral", "measure"], condition=models.Q(released_at__isnull=True), name="securities_allocation_once_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collateral_id} → {self.measure_id}: {self.allocated_value}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


ZERO = Decimal("0")
