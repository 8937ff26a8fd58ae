"""Helpers shared by the monitoring services: the audit event, notifications after commit."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from danbao.core.events import security_event


def audit(event: str, actor: Any, obj: Any, **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        data={k: (str(v) if v is not None else None) for k, v in data.items()},
    )


def _send(user_ids: list[int], kind: str, context: dict[str, Any], link: str) -> None:
    from danbao.notifications.services import notify
    from danbao.org.models import User

    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if users:
        with transaction.atomic():
            notify(users=users, kind=kind, context=context, link=link)


def notify_after_commit(user_ids: list[int], kind: str, context: dict[str, Any], link: str) -> None:
    """Send once the caller's transaction commits (a rolled-back run sends nothing)."""
    ids = sorted({i for i in user_ids if i})
    if ids:
        transaction.on_commit(partial(_send, ids, kind, {k: str(v) for k, v in context.items()}, link))
