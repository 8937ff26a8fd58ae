"""Related parties: add, edit and end a relation (audited); each change screens the party."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.customers.identity import check_ric, check_uscc
from danbao.customers.models import Customer, RelatedParty
from danbao.customers.services_extras import errors
from danbao.customers.services_extras.common import audit, require, snapshot

PERMISSION = "customers.customer.manage"
FIELDS = ["kind", "share_percent", "party_customer", "party_type", "party_name", "party_id_code", "started_on", "ended_on", "note"]


def _clean(customer: Customer, values: dict[str, Any]) -> dict[str, Any]:
    values = {k: values.get(k) for k in FIELDS if k in values}
    party = values.get("party_customer")
    if party is not None:
        if party.pk == customer.pk:
            raise errors.RELATION_SELF.error()
        values["party_name"] = ""
        values["party_id_code"] = ""
        values["party_type"] = RelatedParty.PartyType.COMPANY if party.is_organisation else RelatedParty.PartyType.PERSON
    else:
        values["party_name"] = (values.get("party_name") or "").strip()
        if not values["party_name"]:
            raise errors.RELATION_PARTY_MISSING.error()
        code = (values.get("party_id_code") or "").strip()
        if code:
            check = check_uscc(code) if values.get("party_type") == RelatedParty.PartyType.COMPANY else check_ric(code)
            if not check.valid:
                raise errors.RELATION_BAD_CODE.error(details="；".join(check.errors))
            code = check.normalized
        values["party_id_code"] = code
    if values.get("kind") == RelatedParty.Kind.SHAREHOLDER:
        share = values.get("share_percent")
        if share is None or not (Decimal(0) < share <= Decimal(100)):
            raise errors.RELATION_SHARE.error()
    else:
        values["share_percent"] = None
    return values


def _screen(party: RelatedParty, actor: Any) -> None:
    from danbao.customers.services_extras.screening import screen_related_party

    screen_related_party(party)


def relation_add(*, actor: Any, customer: Customer, values: dict[str, Any]) -> RelatedParty:
    require(actor, PERMISSION)
    values = _clean(customer, values)
    with transaction.atomic():
        party = RelatedParty(customer=customer, created_by=actor, **values)
        party.save()
        audit("customers.relation_added", actor=actor, obj=party, customer=customer.pk, after=snapshot(party, FIELDS))
        _screen(party, actor)
    return party


def relation_update(*, actor: Any, party: RelatedParty, values: dict[str, Any]) -> RelatedParty:
    require(actor, PERMISSION)
    if not party.is_active:
        raise errors.RELATION_ENDED.error()
    values = _clean(party.customer, values)
    with transaction.atomic():
        before = snapshot(party, FIELDS)
        for name, value in values.items():
            setattr(party, name, value)
        party.save()
        audit(
            "customers.relation_changed", actor=actor, obj=party, customer=party.customer_id, before=before, after=snapshot(party, FIELDS)
        )
        _screen(party, actor)
    return party


def relation_end(*, actor: Any, party: RelatedParty, ended_on: date | None = None, reason: str = "") -> RelatedParty:
    require(actor, PERMISSION)
    if not party.is_active:
        raise errors.RELATION_ENDED.error()
    with transaction.atomic():
        party.ended_on = ended_on or timezone.localdate()
        if reason:
            party.note = reason[:500]
        party.save(update_fields=["ended_on", "note", "updated_at"])
        audit("customers.relation_ended", actor=actor, obj=party, customer=party.customer_id, ended_on=str(party.ended_on), reason=reason)
    return party
