"""Committee member and expert registries: create, edit, deactivate (never delete), reactivate."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from danbao.review import errors
from danbao.review.models import CommitteeMember, Expert
from danbao.review.services.common import EXPERT_MANAGE, MEMBER_MANAGE, audit, now, require

FIELDS = ("name", "user", "industry", "title", "organisation", "phone", "email", "note")
EXPERT_FIELDS = (*FIELDS, "specialty")

Person = CommitteeMember | Expert


def _code(model: type[Person]) -> str:
    return MEMBER_MANAGE if model is CommitteeMember else EXPERT_MANAGE


def _fields(model: type[Person]) -> tuple[str, ...]:
    return EXPERT_FIELDS if model is Expert else FIELDS


def _snapshot(person: Person) -> dict[str, Any]:
    return {f: (getattr(person, f"{f}_id") if f == "user" else getattr(person, f)) for f in _fields(type(person))}


def _validate(person: Person) -> None:
    person.name = (person.name or "").strip()
    if not person.name:
        raise errors.NAME_REQUIRED.error(field="name")
    if person.user_id:
        other = type(person).objects.filter(user_id=person.user_id).exclude(pk=person.pk).first()
        if other is not None:
            raise errors.USER_TAKEN.error(name=other.name, field="user")


def _label(model: type[Person]) -> str:
    return "member" if model is CommitteeMember else "expert"


@transaction.atomic
def person_create(*, actor: Any, model: type[Person], **fields: Any) -> Person:
    """Add a committee member or an expert to the registry."""
    require(actor, _code(model))
    person = model(**{k: v for k, v in fields.items() if k in _fields(model)})
    _validate(person)
    person.full_clean()
    person.save()
    audit(f"{_label(model)}.created", actor, person, after=_snapshot(person))
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    """Change a registry entry; the audit event names the changed fields with before and after."""
    model = type(person)
    require(actor, _code(model))
    current = model.objects.select_for_update().get(pk=person.pk)
    before = _snapshot(current)
    for name, value in fields.items():
        if name in _fields(model):
            setattr(current, name, value)
    _validate(current)
    current.full_clean()
    after = _snapshot(current)
    changed = sorted(k for k in after if after[k] != before[k])
    if changed:
        current.save()
        audit(
            f"{_label(model)}.updated",
            actor,
            current,
            fields=changed,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return current


@transaction.atomic
def person_deactivate(*, actor: Any, person: Person, reason: str) -> Person:
    """Take someone off the active registry (kept for the meetings and opinions they took part in)."""
    model = type(person)
    require(actor, _code(model))
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    current = model.objects.select_for_update().get(pk=person.pk)
    if not current.is_active:
        raise errors.ALREADY_INACTIVE.error(name=current.name)
    current.is_active = False
    current.deactivated_at = now()
    current.deactivated_reason = reason[:500]
    current.save(update_fields=["is_active", "deactivated_at", "deactivated_reason"])
    audit(f"{_label(model)}.deactivated", actor, current, reason=reason, name=current.name)
    return current


@transaction.atomic
def person_reactivate(*, actor: Any, person: Person) -> Person:
    """Put a deactivated member or expert back on the active registry."""
    model = type(person)
    require(actor, _code(model))
    current = model.objects.select_for_update().get(pk=person.pk)
    if current.is_active:
        raise errors.ALREADY_ACTIVE.error(name=current.name)
    current.is_active = True
    current.deactivated_at = None
    current.deactivated_reason = ""
    current.save(update_fields=["is_active", "deactivated_at", "deactivated_reason"])
    audit(f"{_label(model)}.reactivated", actor, current, name=current.name)
    return current
