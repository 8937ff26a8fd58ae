"""Helpers shared by the review services: permission codes, the permission check and the audit call."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from danbao.core.events import security_event
from danbao.review import errors
from danbao.review.permissions import EXPERT_MANAGE, MEETING_MANAGE, MEETING_VIEW, MEMBER_MANAGE

__all__ = ["EXPERT_MANAGE", "MEETING_MANAGE", "MEETING_VIEW", "MEMBER_MANAGE", "audit", "now", "require"]


def require(actor: Any, code: str) -> None:
    """`actor=None` is a system task (demo data); a person needs the permission code."""
    if actor is not None and not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def now() -> Any:
    return timezone.now()


def audit(event: str, actor: Any, obj: models.Model, *, reason: str = "", **data: Any) -> None:
    security_event(
        f"review.{event}",
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        reason=reason[:255],
        data={k: v for k, v in data.items() if v not in (None, "")},
    )
