"""Guarantee products: the product row (identity + lifecycle status) and its immutable published versions.

A project records the ProductVersion it was created under; editing a product makes a new draft
version, so nothing an existing project points at ever changes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history
from danbao.regulatory.categories import GuaranteeClass, LoanKind

MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}


class BusinessType(models.TextChoices):
    LOAN = "loan", _("Loan guarantee")
    BOND = "bond", _("Bond issuance guarantee")
    OTHER_FINANCING = "other_financing", _("Other financing guarantee")
    BID = "bid", _("Bid guarantee letter")
    PERFORMANCE = "performance", _("Performance guarantee letter")
    PAYMENT = "payment", _("Payment guarantee letter")
    LITIGATION = "litigation", _("Litigation preservation guarantee")
    AGRI_POLICY = "agri_policy", _("Agricultural policy guarantee")
    BATCH = "batch", _("Batch guarantee")


FINANCING_TYPES = frozenset(
    {BusinessType.LOAN, BusinessType.BOND, BusinessType.OTHER_FINANCING, BusinessType.AGRI_POLICY, BusinessType.BATCH}
)


class FeeBasis(models.TextChoices):
    ANNUAL = "annual", _("Annual rate")
    ONE_OFF = "one_off", _("One-off rate")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", pgettext_lazy("product status", "Active")
    SUSPENDED = "suspended", _("Suspended")
    RETIRED = "retired", pgettext_lazy("product status", "Retired")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Product(models.Model):
    """A guarantee product. Its sellable content lives in versions; status moves only via lifecycle.py."""

    Status = ProductStatus

    code = models.CharField(_("product code"), max_length=32, unique=True)
    name = models.CharField(_("product name"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=ProductStatus.choices, default=ProductStatus.DRAFT, editable=False)
    status_reason = models.CharField(_("reason for the status"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ProductStatus.values), name="products_product_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ProductVersion(models.Model):
    """One version of a product's terms. Published versions are immutable (the service refuses edits
    and `save` refuses to rewrite a published row); a draft is edited until it is published."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("version status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT, editable=False
    )
    change_note = models.CharField(_("change note"), max_length=500, blank=True)

    business_type = models.CharField(_("business type"), max_length=24, choices=BusinessType.choices)
    guarantee_class = models.CharField(_("regulatory category"), max_length=24, choices=GuaranteeClass.choices)
    loan_kind = models.CharField(_("borrowing sub-category"), max_length=24, choices=LoanKind.choices, default=LoanKind.OTHER)
    is_policy = models.BooleanField(_("policy business (支小支农)"), default=False)

    customer_kinds = models.JSONField(_("customer kinds"), default=list, blank=True)
    amount_min = models.DecimalField(_("minimum amount (yuan)"), **MONEY)
    amount_max = models.DecimalField(_("maximum amount (yuan)"), **MONEY)
    term_min_months = models.PositiveIntegerField(_("minimum term (months)"))
    term_max_months = models.PositiveIntegerField(_("maximum term (months)"))
    industries = models.JSONField(_("industries"), default=list, blank=True, help_text=_("Industry codes; empty means all."))
    regions = models.JSONField(_("regions"), default=list, blank=True, help_text=_("Region codes; empty means all."))

    fee_rate_min = models.DecimalField(_("minimum fee rate"), **RATE)
    fee_rate_max = models.DecimalField(_("maximum fee rate"), **RATE)
    fee_rate_default = models.DecimalField(_("default fee rate"), **RATE)
    fee_basis = models.CharField(_("fee basis"), max_length=16, choices=FeeBasis.choices, default=FeeBasis.ANNUAL)
    review_fee_amount = models.DecimalField(_("review fee (yuan)"), default=0, **MONEY)
    margin_ratio = models.DecimalField(_("margin ratio"), default=0, **RATE)

    bank_share = models.DecimalField(_("bank risk share"), default=0, **RATE)
    reguarantor_share = models.DecimalField(_("re-guarantor risk share"), default=0, **RATE)
    fund_share = models.DecimalField(_("national fund risk share"), default=0, **RATE)
    gov_pool_share = models.DecimalField(_("government risk pool share"), default=0, **RATE)

    monitoring_days = models.JSONField(_("monitoring interval per risk class (days)"), default=dict, blank=True)

    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = audited_history()

    class Meta:
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")
        ordering = ["product", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="products_version_number_unique"),
            models.UniqueConstraint(fields=["product"], condition=models.Q(status="draft"), name="products_one_draft_version"),
            models.CheckConstraint(condition=models.Q(amount_min__lte=models.F("amount_max")), name="products_version_amount_ordered"),
            models.CheckConstraint(
                condition=models.Q(term_min_months__lte=models.F("term_max_months")), name="products_version_term_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(fee_rate_min__lte=models.F("fee_rate_default"))
                & models.Q(fee_rate_default__lte=models.F("fee_rate_max")),
                name="products_version_fee_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="products_version_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Defence in depth: a published version is a record a project may rely on.
        if self.pk is not None and ProductVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists():
            raise ValueError("a published product version is immutable")
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_financing(self) -> bool:
        return self.business_type in FINANCING_TYPES

    @property
    def is_agri_policy(self) -> bool:
        return self.business_type == BusinessType.AGRI_POLICY


class ProductMaterial(models.Model):
    """One item of the required-materials checklist of a version, per customer kind."""

    version = models.ForeignKey(ProductVersion, verbose_name=_("product version"), on_delete=models.CASCADE, related_name="materials")
    customer_kind = models.CharField(_("customer kind"), max_length=24)
    name = models.CharField(_("material"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["version", "customer_kind", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ApprovalBand(models.Model):
    """Amounts up to `amount_max` (inclusive; empty = no upper limit) go to `flow`."""

    version = models.ForeignKey(ProductVersion, verbose_name=_("product version"), on_delete=models.CASCADE, related_name="bands")
    amount_max = models.DecimalField(_("amount up to (yuan)"), null=True, blank=True, **MONEY)
    flow = models.ForeignKey("workflow.FlowDefinition", verbose_name=_("approval flow"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("approval band")
        verbose_name_plural = _("approval bands")
        ordering = ["version", models.F("amount_max").asc(nulls_last=True)]

    def __str__(self) -> str:
        return f"≤{self.amount_max or '∞'} → {self.flow}"
