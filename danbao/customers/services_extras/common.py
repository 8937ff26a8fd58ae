"""Helpers shared by these services: the permission check, JSON-safe snapshots, the audit event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models

from danbao.core.events import security_event
from danbao.customers.services_extras import errors


def require(actor: Any, code: str) -> None:
    if actor is None or not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def snapshot(obj: models.Model | None, fields: list[str]) -> dict[str, Any] | None:
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


def audit(event_type: str, *, actor: Any, obj: models.Model, **data: Any) -> None:
    security_event(event_type, actor=actor, object_type=f"customers.{obj._meta.model_name}", object_id=str(obj.pk), data=data)
