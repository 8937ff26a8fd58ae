"""Position (岗位) writes: informational posts shown on user profiles; never a permission."""

from __future__ import annotations

from django.db import transaction

from danbao.core.events import security_event
from danbao.org import errors
from danbao.org.models import Position, User
from danbao.org.services.departments import _check


@transaction.atomic
def position_create(*, actor: User | None, code: str, name: str, description: str = "") -> Position:
    """Create a position with a unique code."""
    _check(actor, "org.position.manage")
    if Position.objects.filter(code=code).exists():
        raise errors.CODE_TAKEN.error(taken=code)
    position = Position(code=code, name=name, description=description)
    position.full_clean()
    position.save()
    security_event("position.created", actor=actor, object_type="org.Position", object_id=position.pk, data={"code": code, "name": name})
    return position


@transaction.atomic
def position_update(*, actor: User | None, position: Position, code: str, name: str, description: str = "") -> Position:
    """Rename or re-describe a position."""
    _check(actor, "org.position.manage")
    position = Position.objects.select_for_update().get(pk=position.pk)
    if Position.objects.filter(code=code).exclude(pk=position.pk).exists():
        raise errors.CODE_TAKEN.error(taken=code)
    before = {"code": position.code, "name": position.name, "description": position.description}
    position.code, position.name, position.description = code, name, description
    position.full_clean()
    position.save()
    after = {"code": code, "name": name, "description": description}
    if before != after:
        security_event(
            "position.changed", actor=actor, object_type="org.Position", object_id=position.pk, data={"before": before, "after": after}
        )
    return position


@transaction.atomic
def position_set_active(*, actor: User | None, position: Position, active: bool) -> Position:
    """Deactivate (or re-activate) a position; holders keep it on their profile until edited."""
    _check(actor, "org.position.manage")
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.is_active == active:
        raise errors.ALREADY_IN_STATE.error()
    position.is_active = active
    position.save(update_fields=["is_active"])
    security_event(
        "position.activated" if active else "position.deactivated",
        actor=actor,
        object_type="org.Position",
        object_id=position.pk,
        data={"code": position.code},
    )
    return position
