"""Partner writes: banks and contacts, agreements and their lifecycle, risk-sharing partners,
channels, and the daily jobs (expire agreements past their end date, warn on credit-line usage).

Every entry service checks the permission and the business rules itself before any write, saves
with field-level history and writes one audit event, all in one transaction. `actor=None` is a
system action (demo step, daily job).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.events import security_event
from danbao.partners import errors, lifecycle, selectors
from danbao.partners.models import (
    Agreement,
    AgreementStatus,
    Bank,
    BankContact,
    Channel,
    ChannelKind,
    CreditLineAlert,
    Partner,
    PartnerKind,
)

MANAGE = "partners.partner.manage"
CHANNEL_MANAGE = "partners.channel.manage"
PRODUCT_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
ZERO = Decimal(0)
ONE = Decimal(1)

BANK_FIELDS = ("code", "name", "short_name", "parent", "licence_no", "address", "note")
CONTACT_FIELDS = ("name", "title", "phone", "email")
AGREEMENT_FIELDS = (
    "number",
    "title",
    "signed_date",
    "valid_from",
    "valid_to",
    "credit_line_amount",
    "single_cap_amount",
    "bank_share_rate",
    "margin_rate",
    "grace_days",
    "payment_days",
    "covers_principal",
    "covers_interest",
    "covers_penalty",
    "covers_fees",
    "loss_rate_cap",
    "product_codes",
    "manager",
    "note",
)
PARTNER_FIELDS = (
    "code",
    "name",
    "kind",
    "share_rate",
    "cap_amount",
    "loss_rate_cap",
    "fee_band_amount",
    "fee_rate_low",
    "fee_rate_high",
    "agreement_number",
    "valid_from",
    "valid_to",
    "contact_name",
    "contact_phone",
    "note",
)
CHANNEL_FIELDS = ("code", "name", "kind", "contact_name", "contact_phone", "arrangement")


# --- helpers ----------------------------------------------------------------------------------------


def _require(actor: Any, code: str) -> None:
    if actor is not None and not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool, list)):
        return value
    if isinstance(value, (Decimal, date)):
        return str(value)
    return getattr(value, "pk", str(value))


def _snapshot(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: {"before": before.get(k), "after": v} for k, v in after.items() if before.get(k) != v}


def _audit(event: str, actor: Any, obj: Any, data: dict[str, Any]) -> None:
    security_event(event, actor=actor, object_type=obj._meta.label, object_id=obj.pk, data=data)


def _save(obj: Any, actor: Any) -> None:
    if actor is not None:
        obj._history_user = actor
    obj.save()


def _label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _text(obj: Any, name: str, model: Any, required: bool = True) -> None:
    value = (getattr(obj, name) or "").strip()
    setattr(obj, name, value)
    if required and not value:
        raise errors.REQUIRED.error(label=_label(model, name), field=name)


def _share(obj: Any, name: str, model: Any, required: bool = False) -> None:
    value = getattr(obj, name)
    if value is None:
        if required:
            raise errors.REQUIRED.error(label=_label(model, name), field=name)
        return
    if not ZERO <= Decimal(value) <= ONE:
        raise errors.SHARE_RANGE.error(label=_label(model, name), field=name)


def _not_negative(obj: Any, name: str, model: Any) -> None:
    value = getattr(obj, name)
    if value is not None and Decimal(value) < 0:
        raise errors.AMOUNT_NEGATIVE.error(label=_label(model, name), field=name)


def _dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise errors.DATES_REVERSED.error(start=start.isoformat(), to=end.isoformat(), field="valid_to")


def _apply(obj: Any, allowed: tuple[str, ...], changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{type(obj).__name__} has no editable field {name}")
        setattr(obj, name, value)


def _unique_code(model: Any, obj: Any) -> None:
    other = model.objects.filter(code=obj.code).exclude(pk=obj.pk).first()
    if other is not None:
        raise errors.CODE_DUPLICATE.error(value=obj.code, name=other.name, field="code")


# --- Banks ------------------------------------------------------------------------------------------


def _validate_bank(bank: Bank) -> None:
    _text(bank, "code", Bank)
    bank.code = bank.code.upper()
    _text(bank, "name", Bank)
    for name in ("short_name", "licence_no", "address"):
        _text(bank, name, Bank, required=False)
    _unique_code(Bank, bank)
    if bank.parent_id is not None:
        parent = Bank.objects.get(pk=bank.parent_id)
        if parent.parent_id is not None or parent.pk == bank.pk:
            raise errors.PARENT_NOT_HEAD_OFFICE.error(name=parent.name, field="parent")
        if bank.pk and Bank.objects.filter(parent=bank).exists():
            raise errors.PARENT_HAS_BRANCHES.error(name=bank.name, field="parent")


@transaction.atomic
def bank_create(*, actor: Any, **fields: Any) -> Bank:
    """Create a head office (no parent) or a branch of a head office."""
    _require(actor, MANAGE)
    bank = Bank(created_by=actor)
    _apply(bank, BANK_FIELDS, fields)
    _validate_bank(bank)
    _save(bank, actor)
    _audit("partners.bank_created", actor, bank, {"after": _snapshot(bank, BANK_FIELDS)})
    return bank


@transaction.atomic
def bank_update(*, actor: Any, bank: Bank, **fields: Any) -> Bank:
    """Change a bank's details (history keeps the earlier values)."""
    _require(actor, MANAGE)
    bank = Bank.objects.select_for_update().get(pk=bank.pk)
    before = _snapshot(bank, BANK_FIELDS)
    _apply(bank, BANK_FIELDS, fields)
    _validate_bank(bank)
    _save(bank, actor)
    _audit("partners.bank_updated", actor, bank, {"changes": _diff(before, _snapshot(bank, BANK_FIELDS))})
    return bank


def _set_active(actor: Any, obj: Any, active: bool, reason: str, *, permission: str, event: str) -> Any:
    """Deactivate (a reason is required) or reactivate a bank, partner or channel; nothing is deleted.
    Setting the state it already has changes nothing and writes no event."""
    _require(actor, permission)
    reason = (reason or "").strip()
    if not active and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.is_active != active:
        obj.is_active = active
        _save(obj, actor)
        _audit(f"partners.{event}_{'reactivated' if active else 'deactivated'}", actor, obj, {"reason": reason})
    return obj


@transaction.atomic
def bank_set_active(*, actor: Any, bank: Bank, active: bool, reason: str = "") -> Bank:
    """Deactivate (with a reason) or reactivate a bank; a bank is never deleted."""
    return _set_active(actor, bank, active, reason, permission=MANAGE, event="bank")


@transaction.atomic
def contact_save(*, actor: Any, bank: Bank, contact: BankContact | None = None, **fields: Any) -> BankContact:
    """Add a contact person to a bank or change one."""
    _require(actor, MANAGE)
    contact = contact or BankContact(bank=bank)
    if contact.bank_id != bank.pk:
        raise errors.PERMISSION_DENIED.error()
    before = _snapshot(contact, CONTACT_FIELDS) if contact.pk else {}
    _apply(contact, CONTACT_FIELDS, fields)
    _text(contact, "name", BankContact)
    for name in ("title", "phone", "email"):
        _text(contact, name, BankContact, required=False)
    new = contact.pk is None
    _save(contact, actor)
    after = _snapshot(contact, CONTACT_FIELDS)
    _audit("partners.contact_saved", actor, contact, {"bank": bank.pk, "created": new, "changes": _diff(before, after)})
    return contact


@transaction.atomic
def contact_deactivate(*, actor: Any, contact: BankContact) -> BankContact:
    """A contact who left the bank: kept for the record, no longer listed as active."""
    _require(actor, MANAGE)
    contact = BankContact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_active:
        contact.is_active = False
        _save(contact, actor)
        _audit("partners.contact_deactivated", actor, contact, {"bank": contact.bank_id})
    return contact


# --- Agreements -------------------------------------------------------------------------------------


def _clean_products(value: Any) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"[\s,，;；]+", value)
    codes: list[str] = []
    for raw in value or []:
        code = str(raw).strip().upper()
        if not code:
            continue
        if not PRODUCT_CODE_RE.match(code):
            raise errors.PRODUCT_CODE_INVALID.error(value=code, field="product_codes")
        if code not in codes:
            codes.append(code)
    return codes


def _validate_agreement(agreement: Agreement) -> None:
    """Terms that must hold for every saved agreement, checked in the order a user fills the form."""
    _text(agreement, "number", Agreement)
    _text(agreement, "title", Agreement, required=False)
    if not agreement.bank.is_active:
        raise errors.BANK_INACTIVE.error(name=agreement.bank.name, field="bank")
    if agreement.valid_from is None:
        raise errors.REQUIRED.error(label=_label(Agreement, "valid_from"), field="valid_from")
    if agreement.valid_to is None:
        raise errors.REQUIRED.error(label=_label(Agreement, "valid_to"), field="valid_to")
    _dates(agreement.valid_from, agreement.valid_to)
    if agreement.credit_line_amount is None or agreement.credit_line_amount <= 0:
        raise errors.LINE_REQUIRED.error(field="credit_line_amount")
    _not_negative(agreement, "single_cap_amount", Agreement)
    if agreement.single_cap_amount is not None and agreement.single_cap_amount > agreement.credit_line_amount:
        raise errors.SINGLE_CAP_ABOVE_LINE.error(field="single_cap_amount")
    _share(agreement, "bank_share_rate", Agreement, required=True)
    _share(agreement, "margin_rate", Agreement, required=True)
    _share(agreement, "loss_rate_cap", Agreement)
    if not (agreement.covers_principal or agreement.covers_interest or agreement.covers_penalty or agreement.covers_fees):
        raise errors.SCOPE_EMPTY.error(field="covers_principal")
    agreement.product_codes = _clean_products(agreement.product_codes)
    if not agreement.manager_id:
        raise errors.REQUIRED.error(label=_label(Agreement, "manager"), field="manager")
    other = Agreement.objects.filter(number=agreement.number).exclude(pk=agreement.pk).first()
    if other is not None:
        raise errors.NUMBER_DUPLICATE.error(number=agreement.number, field="number")


def _refuse_overlap(agreement: Agreement) -> None:
    """Two agreements of the same bank may not be in force for overlapping periods."""
    clash = (
        Agreement.objects.filter(
            bank_id=agreement.bank_id,
            status=AgreementStatus.IN_FORCE,
            valid_from__lte=agreement.valid_to,
            valid_to__gte=agreement.valid_from,
        )
        .exclude(pk=agreement.pk)
        .order_by("valid_from")
        .first()
    )
    if clash is not None:
        raise errors.OVERLAP.error(
            number=clash.number, start=clash.valid_from.isoformat(), end=clash.valid_to.isoformat(), field="valid_from"
        )


def _agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    return {"bank": agreement.bank_id, "status": agreement.status, **_snapshot(agreement, AGREEMENT_FIELDS)}


def _save_agreement(agreement: Agreement, actor: Any) -> None:
    try:
        with transaction.atomic():
            _save(agreement, actor)
    except IntegrityError:
        if Agreement.objects.filter(number=agreement.number).exclude(pk=agreement.pk).exists():
            raise errors.NUMBER_DUPLICATE.error(number=agreement.number, field="number") from None
        raise


@transaction.atomic
def agreement_create(*, actor: Any, bank: Bank, **fields: Any) -> Agreement:
    """Record a signed (or negotiated) agreement as a draft; it counts once put in force."""
    _require(actor, MANAGE)
    agreement = Agreement(bank=bank, created_by=actor, updated_by=actor, status=AgreementStatus.DRAFT)
    _apply(agreement, AGREEMENT_FIELDS, fields)
    _validate_agreement(agreement)
    _save_agreement(agreement, actor)
    _audit("partners.agreement_created", actor, agreement, {"after": _agreement_snapshot(agreement)})
    return agreement


def _locked(agreement: Agreement, expected_version: int | None = None) -> Agreement:
    current = Agreement.objects.select_for_update().select_related("bank").get(pk=agreement.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise errors.STALE.error()
    return current


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, expected_version: int | None = None, **fields: Any) -> Agreement:
    """Amend a draft or in-force agreement (history keeps every earlier version of the terms).
    Expired and terminated agreements are closed records and cannot be changed."""
    _require(actor, MANAGE)
    agreement = _locked(agreement, expected_version)
    if not agreement.is_editable:
        raise errors.NOT_EDITABLE.error(status=agreement.get_status_display())
    before = _agreement_snapshot(agreement)
    _apply(agreement, AGREEMENT_FIELDS, fields)
    _validate_agreement(agreement)
    if agreement.status == AgreementStatus.IN_FORCE:
        _refuse_overlap(agreement)
    changes = _diff(before, _agreement_snapshot(agreement))
    if not changes:
        return agreement
    agreement.updated_by = actor
    agreement.version += 1
    _save_agreement(agreement, actor)
    _audit("partners.agreement_updated", actor, agreement, {"changes": changes})
    return agreement


def _move(agreement: Agreement, action: str, actor: Any, reason: str = "") -> lifecycle.Transition:
    transition = lifecycle.transition_for(agreement.status, action)
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(status=agreement.get_status_display(), action=_ACTION_LABELS()[action])
    if transition.permission:
        _require(actor, transition.permission)
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    return transition


def _ACTION_LABELS() -> dict[str, str]:  # noqa: N802 - a table, translated when used
    return {"activate": _("put in force"), "terminate": _("terminated"), "expire": _("expired")}


def _set_status(agreement: Agreement, transition: lifecycle.Transition, actor: Any, reason: str, ended_on: date | None) -> None:
    before = agreement.status
    agreement.status = transition.target
    agreement.status_reason = reason[:500]
    agreement.status_changed_at = timezone.now()
    if ended_on is not None:
        agreement.ended_on = ended_on
    agreement.version += 1
    _save(agreement, actor)
    _audit(
        f"partners.agreement_{transition.action}",
        actor,
        agreement,
        {"before": before, "after": agreement.status, "reason": reason, "ended_on": _plain(agreement.ended_on)},
    )


@transaction.atomic
def agreement_activate(*, actor: Any, agreement: Agreement, today: date | None = None) -> Agreement:
    """Put a draft in force. Maker-checker: the person who prepared or last changed the draft cannot
    put it in force. Refused if its period has ended or overlaps another in-force agreement of the bank."""
    today = today or timezone.localdate()
    agreement = _locked(agreement)
    transition = _move(agreement, "activate", actor)
    if actor is not None and actor.pk in (agreement.created_by_id, agreement.updated_by_id):
        raise errors.SAME_PERSON.error()
    if agreement.valid_to < today:
        raise errors.ALREADY_ENDED.error(end=agreement.valid_to.isoformat())
    _validate_agreement(agreement)
    _refuse_overlap(agreement)
    agreement.activated_on = today
    _set_status(agreement, transition, actor, "", None)
    return agreement


@transaction.atomic
def agreement_terminate(*, actor: Any, agreement: Agreement, reason: str, today: date | None = None) -> Agreement:
    """End an agreement early (or withdraw a draft); the reason is required and kept."""
    today = today or timezone.localdate()
    agreement = _locked(agreement)
    transition = _move(agreement, "terminate", actor, (reason or "").strip())
    _set_status(agreement, transition, actor, reason.strip(), today)
    return agreement


def agreements_expire(*, today: date | None = None) -> int:
    """Daily job: agreements in force whose end date has passed become expired (idempotent; each in
    its own transaction so one failure does not hold back the others). Returns how many."""
    today = today or timezone.localdate()
    count = 0
    for pk in Agreement.objects.filter(status=AgreementStatus.IN_FORCE, valid_to__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().get(pk=pk)
            if agreement.status != AgreementStatus.IN_FORCE or agreement.valid_to >= today:
                continue  # changed since the list was read
            transition = lifecycle.transition_for(agreement.status, "expire")
            assert transition is not None
            _set_status(agreement, transition, None, "", agreement.valid_to + timedelta(days=1))
            count += 1
    return count


# --- Credit-line warnings ---------------------------------------------------------------------------

RISING = {("green", "amber"), ("green", "red"), ("amber", "red")}


def credit_lines_check(*, on: date | None = None) -> dict[str, int]:
    """Daily job (also run on demand from the job list): compute every in-force agreement's usage;
    when the level changes, log it, and when it rises to amber or red, tell the responsible manager.
    Re-running the same day changes nothing (the last logged level is compared first)."""
    from danbao.notifications.services import notify
    from danbao.regulatory import exposures as exposure_book

    on = on or timezone.localdate()
    book = exposure_book.current(on)
    counts = {"checked": 0, "changed": 0, "notified": 0}
    for agreement in selectors.agreements_in_force(on):
        usage = selectors.credit_line_usage(agreement, on, book)
        counts["checked"] += 1
        with transaction.atomic():
            locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
            last = CreditLineAlert.objects.filter(agreement=locked).order_by("-id").first()
            previous = last.level if last is not None else "green"
            if last is not None and previous == usage.level:
                continue
            if last is None and usage.level == "green":
                continue
            rising = (previous, usage.level) in RISING
            alert = CreditLineAlert.objects.create(
                agreement=locked,
                level=usage.level,
                ratio=usage.ratio,
                used_amount=usage.used,
                limit_amount=usage.limit,
                checked_on=on,
                notified=rising,
            )
            counts["changed"] += 1
            if rising:
                from django.urls import reverse

                from danbao.core.money import format_amount

                notify(
                    users=[locked.manager],
                    kind="partners.credit_line_warning",
                    context={
                        "bank": locked.bank.name,
                        "agreement": locked.number,
                        "ratio": f"{usage.percent}%",
                        "used": format_amount(usage.used),
                        "limit": format_amount(usage.limit),
                        "available": format_amount(usage.available),
                    },
                    link=reverse("partners:agreement-detail", args=[locked.pk]),
                )
                counts["notified"] += 1
            _audit(
                "partners.credit_line_level",
                None,
                locked,
                {"before": previous, "after": usage.level, "ratio": str(usage.ratio), "alert": alert.pk},
            )
    return counts


# --- Risk-sharing partners --------------------------------------------------------------------------


def _validate_partner(partner: Partner) -> None:
    _text(partner, "code", Partner)
    partner.code = partner.code.upper()
    _text(partner, "name", Partner)
    if partner.kind not in PartnerKind.values:
        raise errors.KIND_INVALID.error(field="kind")
    _share(partner, "share_rate", Partner, required=True)
    _share(partner, "loss_rate_cap", Partner)
    _share(partner, "fee_rate_low", Partner)
    _share(partner, "fee_rate_high", Partner)
    _not_negative(partner, "cap_amount", Partner)
    _not_negative(partner, "fee_band_amount", Partner)
    if partner.fee_band_amount is None:
        raise errors.REQUIRED.error(label=_label(Partner, "fee_band_amount"), field="fee_band_amount")
    _dates(partner.valid_from, partner.valid_to)
    for name in ("agreement_number", "contact_name", "contact_phone"):
        _text(partner, name, Partner, required=False)
    _unique_code(Partner, partner)


@transaction.atomic
def partner_create(*, actor: Any, **fields: Any) -> Partner:
    """Record a re-guarantor, the national fund or a government risk pool with its terms."""
    _require(actor, MANAGE)
    partner = Partner()
    _apply(partner, PARTNER_FIELDS, fields)
    _validate_partner(partner)
    _save(partner, actor)
    _audit("partners.partner_created", actor, partner, {"after": _snapshot(partner, PARTNER_FIELDS)})
    return partner


@transaction.atomic
def partner_update(*, actor: Any, partner: Partner, **fields: Any) -> Partner:
    """Change a partner's terms (history keeps the earlier ones)."""
    _require(actor, MANAGE)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = _snapshot(partner, PARTNER_FIELDS)
    _apply(partner, PARTNER_FIELDS, fields)
    _validate_partner(partner)
    _save(partner, actor)
    _audit("partners.partner_updated", actor, partner, {"changes": _diff(before, _snapshot(partner, PARTNER_FIELDS))})
    return partner


@transaction.atomic
def partner_set_active(*, actor: Any, partner: Partner, active: bool, reason: str = "") -> Partner:
    """Deactivate (with a reason) or reactivate a risk-sharing partner."""
    return _set_active(actor, partner, active, reason, permission=MANAGE, event="partner")


# --- Channels ---------------------------------------------------------------------------------------


def _validate_channel(channel: Channel) -> None:
    _text(channel, "code", Channel)
    channel.code = channel.code.upper()
    _text(channel, "name", Channel)
    if channel.kind not in ChannelKind.values:
        raise errors.KIND_INVALID.error(field="kind")
    for name in ("contact_name", "contact_phone", "arrangement"):
        _text(channel, name, Channel, required=False)
    _unique_code(Channel, channel)


@transaction.atomic
def channel_create(*, actor: Any, **fields: Any) -> Channel:
    """Record a referral channel."""
    _require(actor, CHANNEL_MANAGE)
    channel = Channel()
    _apply(channel, CHANNEL_FIELDS, fields)
    _validate_channel(channel)
    _save(channel, actor)
    _audit("partners.channel_created", actor, channel, {"after": _snapshot(channel, CHANNEL_FIELDS)})
    return channel


@transaction.atomic
def channel_update(*, actor: Any, channel: Channel, **fields: Any) -> Channel:
    """Change a channel's details."""
    _require(actor, CHANNEL_MANAGE)
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    before = _snapshot(channel, CHANNEL_FIELDS)
    _apply(channel, CHANNEL_FIELDS, fields)
    _validate_channel(channel)
    _save(channel, actor)
    _audit("partners.channel_updated", actor, channel, {"changes": _diff(before, _snapshot(channel, CHANNEL_FIELDS))})
    return channel


@transaction.atomic
def channel_set_active(*, actor: Any, channel: Channel, active: bool, reason: str = "") -> Channel:
    """Deactivate (with a reason) or reactivate a channel; its history and business stay."""
    return _set_active(actor, channel, active, reason, permission=CHANNEL_MANAGE, event="channel")
