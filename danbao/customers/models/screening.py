"""Watch lists (court dishonest-debtor list, internal blacklist, others) and the screening hits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.crypto import BlindIndexField, EncryptedTextField
from danbao.core.history import audited_history

__all__ = ["ScreeningHit", "WatchList", "WatchListEntry"]


class WatchList(models.Model):
    class Source(models.TextChoices):
        COURT_DISHONEST = "court_dishonest", _("Court dishonest-debtor list")
        INTERNAL = "internal", _("Internal blacklist")
        OTHER = "other", _("Other list")

    source = models.CharField(_("Source"), max_length=32, choices=Source.choices)
    name = models.CharField(_("List name"), max_length=200, unique=True)
    imported_at = models.DateTimeField(_("Last updated"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("watch list")
        verbose_name_plural = _("watch lists")
        ordering = ["source", "name"]

    def __str__(self) -> str:
        return self.name


class WatchListEntry(models.Model):
    watch_list = models.ForeignKey(WatchList, on_delete=models.PROTECT, related_name="entries", verbose_name=_("Watch list"))
    name = models.CharField(_("Name"), max_length=200)
    name_normalised = models.CharField(_("Normalised name"), max_length=200, db_index=True, editable=False)
    id_code = EncryptedTextField(_("Identity code"), max_length=32, blank=True)
    id_index = BlindIndexField(source="id_code", db_index=True)
    reason = models.CharField(_("Reason"), max_length=500, blank=True)
    source_record = models.CharField(_("Source record"), max_length=200, blank=True)
    active = models.BooleanField(pgettext_lazy("watch list", "Active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("watch-list entry")
        verbose_name_plural = _("watch-list entries")
        ordering = ["watch_list", "name"]

    def __str__(self) -> str:
        return self.name


class ScreeningHit(models.Model):
    class MatchType(models.TextChoices):
        EXACT_CODE = "exact_code", _("Exact identity code")
        NAME = "name", _("Normalised name")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("screening hit", "Open")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="screening_hits", verbose_name=_("Customer"))
    related_party = models.ForeignKey(
        "customers.RelatedParty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screening_hits",
        verbose_name=_("Related party"),
    )
    subject_key = models.CharField(max_length=32, editable=False)  # "c:<customer>" or "r:<related party>"
    subject_name = models.CharField(_("Screened name"), max_length=200)
    entry = models.ForeignKey(WatchListEntry, on_delete=models.PROTECT, related_name="hits", verbose_name=_("Watch-list entry"))
    match_type = models.CharField(_("Match"), max_length=16, choices=MatchType.choices)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(_("Handled at"), null=True, blank=True)
    handling_reason = models.CharField(_("Handling reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("Found at"), auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["subject_key", "entry"], name="customers_hit_unique_subject_entry")]

    def __str__(self) -> str:
        return f"{self.subject_name} ~ {self.entry}"
