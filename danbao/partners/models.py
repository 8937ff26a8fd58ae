"""Partner banks (head offices and branches) with their cooperation agreements, risk-sharing partners
(re-guarantors, the national fund, government risk pools) and referral channels.

Nothing here is ever deleted: banks, partners and channels are deactivated, agreements expire or are
terminated with a reason. Every table keeps field-level history (core.history).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danbao.core.history import audited_history

__all__ = [
    "Agreement",
    "AgreementStatus",
    "Bank",
    "BankContact",
    "Channel",
    "ChannelKind",
    "CreditLineAlert",
    "Partner",
    "PartnerKind",
]

MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}


class Bank(models.Model):
    """A lending bank. `parent` empty = head office (总行 / the counterpart's top level, e.g. a
    provincial branch the institution deals with as a whole); otherwise a branch of that head office.
    Two levels only: a branch's parent is always a head office (checked by the service)."""

    code = models.CharField(_("bank code"), max_length=32, unique=True)
    name = models.CharField(_("bank name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("head office"), null=True, blank=True, on_delete=models.PROTECT, related_name="branches"
    )
    licence_no = models.CharField(_("financial licence number"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = audited_history()

    class Meta:
        verbose_name = _("partner bank")
        verbose_name_plural = _("partner banks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_head_office(self) -> bool:
        return self.parent_id is None

    @property
    def head_office(self) -> Bank:
        return self.parent if self.parent_id else self  # type: ignore[return-value]


class BankContact(models.Model):
    """A person at the bank the institution deals with (account manager, credit officer …)."""

    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("contact name"), max_length=50)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = audited_history()

    class Meta:
        verbose_name = _("bank contact")
        verbose_name_plural = _("bank contacts")
        ordering = ["bank", "name"]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Agreement(models.Model):
    """A bank cooperation agreement (银担合作协议): the credit line the bank grants the institution and
    the terms of risk sharing, margin and compensation. Signed with a head office (总对总, covers every
    branch) or with one branch. Status moves only through `lifecycle.py` via the services."""

    Status = AgreementStatus

    number = models.CharField(_("agreement number"), max_length=50, unique=True)
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(_("agreement title"), max_length=200, blank=True)
    signed_date = models.DateField(_("signing date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    credit_line_amount = models.DecimalField(_("credit line"), **MONEY)
    single_cap_amount = models.DecimalField(_("single guarantee cap"), null=True, blank=True, **MONEY)
    bank_share_rate = models.DecimalField(_("bank risk share"), default=Decimal(0), **RATE)
    margin_rate = models.DecimalField(_("margin ratio"), default=Decimal(0), **RATE)
    grace_days = models.PositiveIntegerField(_("days overdue before a claim"), default=90)
    payment_days = models.PositiveIntegerField(_("days to pay a claim"), default=30)
    covers_principal = models.BooleanField(_("covers principal"), default=True)
    covers_interest = models.BooleanField(_("covers interest"), default=False)
    covers_penalty = models.BooleanField(_("covers penalty interest"), default=False)
    covers_fees = models.BooleanField(_("covers fees"), default=False)
    loss_rate_cap = models.DecimalField(_("compensation rate cap"), null=True, blank=True, **RATE)
    product_codes = models.JSONField(_("products covered"), default=list, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible manager"), on_delete=models.PROTECT, related_name="partner_agreements"
    )
    status = models.CharField(_("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    status_reason = models.CharField(_("termination reason"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    activated_on = models.DateField(_("put in force on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)  # first day no longer in force
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = audited_history()

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-valid_from", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="partners_agreement_dates"),
            models.CheckConstraint(condition=Q(credit_line_amount__gte=0), name="partners_agreement_line_positive"),
            models.CheckConstraint(condition=Q(bank_share_rate__gte=0, bank_share_rate__lte=1), name="partners_agreement_share_range"),
            models.CheckConstraint(condition=Q(margin_rate__gte=0, margin_rate__lte=1), name="partners_agreement_margin_range"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_editable(self) -> bool:
        return self.status in (AgreementStatus.DRAFT, AgreementStatus.IN_FORCE)

    @property
    def scope_labels(self) -> list[str]:
        labels = []
        for flag, label in (
            (self.covers_principal, _("principal")),
            (self.covers_interest, _("interest")),
            (self.covers_penalty, _("penalty interest")),
            (self.covers_fees, _("fees")),
        ):
            if flag:
                labels.append(str(label))
        return labels


class CreditLineAlert(models.Model):
    """Append-only log of credit-line usage levels seen by the check: a row is written when the level
    changes, and the responsible manager is told when it rises to amber or red."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="alerts")
    level = models.CharField(max_length=8)  # green | amber | red
    ratio = models.DecimalField(**RATE)
    used_amount = models.DecimalField(**MONEY)
    limit_amount = models.DecimalField(**MONEY)
    checked_on = models.DateField()
    notified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    @property
    def percent(self) -> Decimal:
        return (self.ratio * 100).quantize(Decimal("0.1"))


class PartnerKind(models.TextChoices):
    REGUARANTOR = "reguarantor", _("Provincial re-guarantor")
    NATIONAL_FUND = "national_fund", _("National financing guarantee fund")
    RISK_POOL = "risk_pool", _("Government risk-compensation pool")


class Partner(models.Model):
    """A risk-sharing partner and its agreement terms: the share of each defaulted loan it bears, a cap
    (an amount or a portfolio loss rate) and the fee it charges by single-guarantee amount band."""

    Kind = PartnerKind

    code = models.CharField(_("partner code"), max_length=32, unique=True)
    name = models.CharField(_("partner name"), max_length=100)
    kind = models.CharField(_("partner kind"), max_length=16, choices=PartnerKind.choices)
    share_rate = models.DecimalField(_("risk share"), **RATE)
    cap_amount = models.DecimalField(_("compensation cap"), null=True, blank=True, **MONEY)
    loss_rate_cap = models.DecimalField(_("compensation rate cap"), null=True, blank=True, **RATE)
    fee_band_amount = models.DecimalField(_("fee band: single guarantee up to"), default=Decimal("5000000"), **MONEY)
    fee_rate_low = models.DecimalField(_("fee rate up to the band"), null=True, blank=True, **RATE)
    fee_rate_high = models.DecimalField(_("fee rate above the band"), null=True, blank=True, **RATE)
    agreement_number = models.CharField(_("agreement number"), max_length=50, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history()

    class Meta:
        verbose_name = _("risk-sharing partner")
        verbose_name_plural = _("risk-sharing partners")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(share_rate__gte=0, share_rate__lte=1), name="partners_partner_share_range"),
        ]

    def __str__(self) -> str:
        return self.name


class ChannelKind(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    PARK = "park", _("Industrial park")
    BANK = "bank", _("Bank")
    INTERMEDIARY = "intermediary", _("Intermediary")
    OTHER = "other", _("Other")


class Channel(models.Model):
    """A referral channel (渠道) that brings projects: its code is what projects and in-force
    guarantees record as `channel_code`."""

    Kind = ChannelKind

    code = models.CharField(_("channel code"), max_length=32, unique=True)
    name = models.CharField(_("channel name"), max_length=100)
    kind = models.CharField(_("channel kind"), max_length=16, choices=ChannelKind.choices)
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    arrangement = models.TextField(_("agreement and fee arrangement"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history()

    class Meta:
        verbose_name = _("referral channel")
        verbose_name_plural = _("referral channels")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
