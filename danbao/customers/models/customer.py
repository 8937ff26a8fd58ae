"""The customer aggregate (owned by the profile part): one table for organisations and persons."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danbao.core.crypto import BlindIndexField, EncryptedTextField
from danbao.core.history import audited_history

__all__ = ["Customer", "CustomerKind", "IdentityType", "SizeClass"]


class CustomerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL_BUSINESS = "individual_business", _("Individual business")
    NATURAL_PERSON = "natural_person", _("Natural person")
    FARMER = "farmer", _("Farmer")
    FAMILY_FARM = "family_farm", _("Family farm")
    COOPERATIVE = "cooperative", _("Farmers' cooperative")


# Kinds identified by a unified social credit code; the others by a resident ID number.
ORGANISATION_KINDS = frozenset(
    {CustomerKind.ENTERPRISE, CustomerKind.INDIVIDUAL_BUSINESS, CustomerKind.FAMILY_FARM, CustomerKind.COOPERATIVE}
)
PERSON_KINDS = frozenset({CustomerKind.NATURAL_PERSON, CustomerKind.FARMER})


class IdentityType(models.TextChoices):
    USCC = "uscc", _("Unified social credit code")
    RIC = "ric", _("Resident ID number")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


MONEY = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True}


class Customer(models.Model):
    """Someone the institution guarantees. Never deleted: closed with a reason instead.

    ``version`` is bumped by every update service; an update carrying an older version is refused
    (optimistic locking, SECURITY G.67). ``identity_code`` is unique across all kinds (through ``identity_index``)."""

    Kind = CustomerKind
    Status = CustomerStatus

    kind = models.CharField(_("customer kind"), max_length=24, choices=CustomerKind.choices)
    name = models.CharField(_("customer name"), max_length=200)
    name_initials = models.CharField(_("pinyin initials"), max_length=200, blank=True, db_index=True)
    identity_type = models.CharField(_("identity type"), max_length=8, choices=IdentityType.choices)
    # C2 personal data is ciphertext at rest (SECURITY 46); exact search and uniqueness use the blind index.
    identity_code = EncryptedTextField(_("identity code"), max_length=18)
    identity_index = BlindIndexField(source="identity_code")

    department = models.ForeignKey(
        "org.Department", verbose_name=_("managing department"), on_delete=models.PROTECT, related_name="customers"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer manager"), on_delete=models.PROTECT, related_name="managed_customers"
    )
    b_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("B-role manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="b_managed_customers",
    )

    industry_code = models.CharField(_("industry"), max_length=8, blank=True)
    region_code = models.CharField(_("region"), max_length=12, blank=True)
    mobile = EncryptedTextField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    contact_address = models.CharField(_("contact address"), max_length=255, blank=True)

    # Organisations
    legal_rep_name = models.CharField(_("legal representative"), max_length=100, blank=True)
    legal_rep_id = EncryptedTextField(_("legal representative's ID number"), max_length=18, blank=True)
    registered_capital = models.DecimalField(_("registered capital (yuan)"), **MONEY)
    established_on = models.DateField(_("establishment date"), null=True, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=255, blank=True)
    operating_address = models.CharField(_("operating address"), max_length=255, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(_("annual revenue (yuan)"), **MONEY)
    total_assets = models.DecimalField(_("total assets (yuan)"), **MONEY)
    size_class = models.CharField(_("size class (computed)"), max_length=8, choices=SizeClass.choices, blank=True)
    size_rule = models.CharField(_("size class rule"), max_length=500, blank=True)
    size_class_override = models.CharField(_("size class (override)"), max_length=8, choices=SizeClass.choices, blank=True)
    size_override_reason = models.CharField(_("override reason"), max_length=500, blank=True)
    size_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("overridden by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    size_override_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    # Persons
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    spouse_name = models.CharField(_("spouse name"), max_length=100, blank=True)
    spouse_id = EncryptedTextField(_("spouse's ID number"), max_length=18, blank=True)
    household_address = models.CharField(_("household address"), max_length=255, blank=True)

    status = models.CharField(_("status"), max_length=8, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE)
    closed_reason = models.CharField(_("closing reason"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = audited_history(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["identity_index"], name="customers_customer_identity_index_unique"),
            models.CheckConstraint(condition=models.Q(identity_type__in=["uscc", "ric"]), name="customers_customer_identity_type_valid"),
        ]
        indexes = [models.Index(fields=["department", "manager"], name="customers_dept_manager_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind in ORGANISATION_KINDS

    @property
    def is_active(self) -> bool:
        return self.status == CustomerStatus.ACTIVE

    @property
    def effective_size_class(self) -> str:
        return self.size_class_override or self.size_class

    def get_effective_size_class_display(self) -> str:
        value = self.effective_size_class
        return str(SizeClass(value).label) if value else ""
