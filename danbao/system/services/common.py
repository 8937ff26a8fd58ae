"""Helpers shared by the system services: the permission check and the audit event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models

from danbao.core.events import security_event
from danbao.system import errors


def require(actor: Any, code: str) -> None:
    """The service's own permission check (the view hiding a button is not enough)."""
    if actor is None or not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def snapshot(obj: models.Model | None, fields: list[str]) -> dict[str, Any] | None:
    """A JSON-safe picture of `fields` of `obj` for the before/after of an audit event."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, (date, Decimal)):
            value = str(value)
        data[name] = value
    return data


def changed(thing: str, *, actor: Any, obj: models.Model, action: str, before: Any, after: Any, **extra: Any) -> None:
    """Write the one audit event "system.<thing>_changed" with before/after."""
    security_event(
        f"system.{thing}_changed",
        actor=actor,
        object_type=f"system.{obj._meta.model_name}",
        object_id=str(obj.pk or ""),
        data={"action": action, "before": before, "after": after, **extra},
    )
