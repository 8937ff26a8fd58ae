"""Contracts (合同管理): versioned contract templates with a declared placeholder catalogue, and the
contracts generated from them per project.

A template version is a draft until published; a published version never changes (a new version is a
copy). A contract keeps the template version it was generated from and a snapshot of the rendered
text (HTML for the screen and PDF, blocks for DOCX), so every reprint is identical. A contract's
`state` moves only through `contracts.lifecycle` (called by services); every move is logged in
ContractTransition. Nothing is deleted: a wrong contract is voided with a reason and regenerated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.crypto import EncryptedTextField
from danbao.core.history import audited_history

MONEY = {"max_digits": 18, "decimal_places": 2}
USER = settings.AUTH_USER_MODEL


class ContractKind(models.TextChoices):
    ENTRUSTED = "entrusted", _("Entrusted guarantee contract")
    GUARANTEE = "guarantee", _("Guarantee contract")
    COUNTER_GUARANTEE = "counter_guarantee", _("Counter-guarantee (suretyship) contract")
    COUNTER_MORTGAGE = "counter_mortgage", _("Counter-guarantee mortgage contract")
    COUNTER_PLEDGE = "counter_pledge", _("Counter-guarantee pledge contract")


class VersionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contract template", "Draft")
    PUBLISHED = "published", pgettext_lazy("contract template", "Published")


class ContractState(models.TextChoices):
    GENERATED = "generated", pgettext_lazy("contract", "Generated")
    SIGNED = "signed", pgettext_lazy("contract", "Signed")
    VOID = "void", pgettext_lazy("contract", "Void")


class ContractTemplate(models.Model):
    """The template of one contract kind; its wording lives in versions."""

    kind = models.CharField(_("contract kind"), max_length=24, choices=ContractKind.choices, unique=True)
    name = models.CharField(_("template name"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(models.Model):
    """One version of a template's wording. `body` is plain text with `{{占位符}}` placeholders and a
    small line markup (`# ` title, `## ` article heading); it is never rendered by Django's template
    engine. Published versions are immutable."""

    template = models.ForeignKey(ContractTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=16, choices=VersionState.choices, default=VersionState.DRAFT, editable=False)
    title = models.CharField(_("contract title"), max_length=100)
    body = models.TextField(_("wording"))
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    based_on = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("last edited by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_by = models.ForeignKey(
        USER, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    edit_version = models.PositiveIntegerField(_("edit version"), default=1)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="contracts_version_number_unique"),
            models.UniqueConstraint(fields=["template"], condition=models.Q(state="draft"), name="contracts_version_one_draft"),
            models.CheckConstraint(condition=models.Q(state__in=VersionState.values), name="contracts_version_state_valid"),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(published_at__isnull=False), name="contracts_version_published_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # A published version is immutable whatever the caller (the services refuse first, with a message).
        if self.pk is not None and TemplateVersion.objects.filter(pk=self.pk, state=VersionState.PUBLISHED).exists():
            raise ValueError("a published template version cannot change")
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT


class Contract(models.Model):
    """One contract generated for a project from a published template version."""

    State = ContractState

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(_("contract kind"), max_length=24, choices=ContractKind.choices)
    subject_key = models.CharField(_("subject"), max_length=100, blank=True, help_text=_("What a counter-guarantee contract is for"))
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    template_version = models.ForeignKey(
        TemplateVersion, verbose_name=_("template version"), on_delete=models.PROTECT, related_name="contracts"
    )
    party_name = models.CharField(_("counterparty"), max_length=200)
    amount = models.DecimalField(_("guaranteed amount (yuan)"), **MONEY)
    terms_sequence = models.PositiveIntegerField(_("terms version"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ContractState.choices, default=ContractState.GENERATED, editable=False)
    # The rendered text at generation: identical on every reprint. Encrypted: it carries identity codes.
    body_html = EncryptedTextField(_("rendered text (HTML)"), blank=True)
    body_blocks = EncryptedTextField(_("rendered text (blocks, JSON)"), blank=True)

    generated_by = models.ForeignKey(
        USER, verbose_name=_("generated by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated at"))
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signatories = models.CharField(_("signed by (parties)"), max_length=500, blank=True)
    signed_recorded_by = models.ForeignKey(
        USER, verbose_name=_("signing recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_recorded_at = models.DateTimeField(_("signing recorded at"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=500, blank=True)
    voided_by = models.ForeignKey(USER, verbose_name=_("voided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=1)
    history = audited_history(excluded_fields=["body_html", "body_blocks"])

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["project", "kind", "subject_key"], name="contracts_project_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=ContractState.values), name="contracts_contract_state_valid"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="contracts_contract_amount_positive"),
            models.CheckConstraint(condition=~models.Q(state="void") | ~models.Q(void_reason=""), name="contracts_contract_void_reason"),
            models.CheckConstraint(
                condition=~models.Q(state="signed") | models.Q(signed_on__isnull=False), name="contracts_contract_signed_on"
            ),
            # One live (not void) contract per project, kind and subject.
            models.UniqueConstraint(
                fields=["project", "kind", "subject_key"], condition=~models.Q(state="void"), name="contracts_contract_one_live"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_void(self) -> bool:
        return self.state == ContractState.VOID

    @property
    def is_signed(self) -> bool:
        return self.state == ContractState.SIGNED


class ContractTransition(models.Model):
    """Append-only log of contract moves (sign, void): who, when, why."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=16, blank=True)
    target = models.CharField(_("to state"), max_length=16)
    action = models.CharField(_("action"), max_length=20)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("contract state change")
        verbose_name_plural = _("contract state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("contract transitions are append-only")
        super().save(*args, **kwargs)

    @property
    def target_label(self) -> str:
        return str(ContractState(self.target).label) if self.target in ContractState.values else self.target
