"""Related parties of a customer (shareholders, controllers, family, affiliates, guarantors)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.crypto import BlindIndexField, EncryptedTextField
from danbao.core.history import audited_history

__all__ = ["RelatedParty"]


class RelatedParty(models.Model):
    class Kind(models.TextChoices):
        SHAREHOLDER = "shareholder", _("Shareholder")
        ACTUAL_CONTROLLER = "actual_controller", _("Actual controller")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
        DIRECTOR = "director", _("Director or senior manager")
        SPOUSE = "spouse", _("Spouse")
        FAMILY = "family", _("Family member")
        AFFILIATE = "affiliate", _("Affiliated company")
        GUARANTOR = "guarantor", _("Guarantor")

    class PartyType(models.TextChoices):
        PERSON = "person", pgettext_lazy("party", "Person")
        COMPANY = "company", _("Company")

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="related_parties", verbose_name=_("Customer"))
    kind = models.CharField(_("Relation"), max_length=32, choices=Kind.choices)
    share_percent = models.DecimalField(_("Share (%)"), max_digits=7, decimal_places=4, null=True, blank=True)
    party_customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="related_as_party",
        verbose_name=_("Party (customer)"),
    )
    party_type = models.CharField(_("Party type"), max_length=16, choices=PartyType.choices, default=PartyType.PERSON)
    party_name = models.CharField(_("Party name"), max_length=200, blank=True)
    party_id_code = EncryptedTextField(_("Identity code"), max_length=32, blank=True)
    party_id_index = BlindIndexField(source="party_id_code", db_index=True)
    started_on = models.DateField(_("Since"), null=True, blank=True)
    ended_on = models.DateField(_("Ended on"), null=True, blank=True)
    note = models.CharField(_("Note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = audited_history()

    class Meta:
        verbose_name = _("related party")
        verbose_name_plural = _("related parties")
        ordering = ["customer", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party_customer__isnull=False) | ~models.Q(party_name=""),
                name="customers_related_party_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_name}"

    @property
    def display_name(self) -> str:
        if self.party_customer_id:
            return str(self.party_customer)
        return self.party_name

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    @property
    def masked_code(self) -> str:
        from danbao.customers.identity import mask_ric

        if self.party_type == self.PartyType.PERSON:
            return mask_ric(self.party_id_code) if self.party_id_code else ""
        return self.party_id_code
