"""Credit bureau (征信) records: the customer's authorisation, the reports queried and their entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danbao.core.crypto import EncryptedTextField
from danbao.core.history import audited_history

__all__ = ["CreditConsent", "CreditEntry", "CreditReport"]


class CreditConsent(models.Model):
    """授权书: without a valid one no credit report may be recorded."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="credit_consents", verbose_name=_("Customer"))
    person_name = models.CharField(
        _("Authorising person"), max_length=100, blank=True, help_text=_("Empty when the customer itself signed.")
    )
    person_id_code = EncryptedTextField(_("Identity code of the person"), max_length=32, blank=True)
    text_version = models.CharField(_("Authorisation text version"), max_length=50)
    signed_on = models.DateField(_("Signed on"))
    scope = models.CharField(_("Scope"), max_length=500)
    valid_until = models.DateField(_("Valid until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("credit consent")
        verbose_name_plural = _("credit consents")
        ordering = ["customer", "-signed_on"]

    def __str__(self) -> str:
        return f"{self.text_version} {self.signed_on:%Y-%m-%d}"

    def valid_on(self, day: object) -> bool:
        return self.signed_on <= day <= self.valid_until  # type: ignore[operator]


class CreditReport(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Manual entry")
        FILE = "file", _("File import")

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="credit_reports", verbose_name=_("Customer"))
    consent = models.ForeignKey(CreditConsent, on_delete=models.PROTECT, related_name="reports", verbose_name=_("Consent"))
    query_date = models.DateField(_("Query date"))
    purpose = models.CharField(_("Purpose"), max_length=200)
    source = models.CharField(_("Source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(_("Note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("credit report")
        verbose_name_plural = _("credit reports")
        ordering = ["customer", "-query_date", "-id"]

    def __str__(self) -> str:
        return f"{self.query_date:%Y-%m-%d} {self.purpose}"


class CreditEntry(models.Model):
    class Kind(models.TextChoices):
        LOAN = "loan", _("Loan")
        GUARANTEE = "guarantee", _("External guarantee")
        OVERDUE = "overdue", _("Overdue record")

    report = models.ForeignKey(CreditReport, on_delete=models.CASCADE, related_name="entries", verbose_name=_("Report"))
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    institution = models.CharField(_("Institution"), max_length=200)
    amount = models.DecimalField(_("Amount"), max_digits=18, decimal_places=2, default=0)
    balance = models.DecimalField(_("Balance"), max_digits=18, decimal_places=2, default=0)
    status = models.CharField(_("Status"), max_length=50, blank=True)
    overdue_amount = models.DecimalField(_("Overdue amount"), max_digits=18, decimal_places=2, default=0)
    overdue_days = models.PositiveIntegerField(_("Overdue days"), default=0)
    overdue_months = models.PositiveIntegerField(_("Overdue months"), default=0)
    as_of = models.DateField(_("As of"), null=True, blank=True, help_text=_("Month the record refers to; the query date when empty."))

    class Meta:
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")
        ordering = ["report", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.institution}"
