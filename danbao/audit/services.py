"""Writing audit events: one door, inside the caller's transaction (an audit failure aborts the action)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.audit.models import AuditChainHead, AuditEvent
from danbao.core.middleware import current_request

SENSITIVE_KEYS = {
    "password",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
    "old_password",
    "otp_token",
    "token",
    "secret",
    "key",
}


def _clean(value: str, limit: int) -> str:
    """Strip control characters so a crafted name cannot forge log lines (SECURITY C.40)."""
    return "".join(ch if ch.isprintable() else "?" for ch in (value or ""))[:limit]


def _scrub(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k.lower() in SENSITIVE_KEYS else v) for k, v in data.items()}


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 over the previous hash and the event's content, in a fixed field order."""
    payload = {
        "prev": event.prev_hash,
        "at": event.created_at.isoformat(),
        "type": event.event_type,
        "actor_id": event.actor_id,
        "actor": event.actor_username,
        "name": event.actor_name,
        "roles": event.actor_roles,
        "ip": event.ip_address,
        "ua": event.user_agent,
        "rid": event.request_id,
        "otype": event.object_type,
        "oid": event.object_id,
        "result": event.result,
        "reason": event.reason,
        "data": event.data,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def event_record(
    event_type: str,
    *,
    request: Any = None,
    actor: Any = None,
    actor_username: str = "",
    result: str = AuditEvent.Result.SUCCESS,
    reason: str = "",
    object_type: str = "",
    object_id: str | int = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain; runs in the caller's transaction (or its own)."""
    request = request or current_request()
    if actor is None and request is not None:
        candidate = getattr(request, "user", None)
        actor = candidate if candidate is not None and candidate.is_authenticated else None
    roles = ""
    if actor is not None:
        roles = ",".join(sorted(role.code for role in actor.active_roles))
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            created_at=timezone.now(),
            event_type=event_type,
            actor_id=getattr(actor, "pk", None),
            actor_username=_clean(getattr(actor, "username", "") or actor_username, 150),
            actor_name=_clean(getattr(actor, "real_name", ""), 100),
            actor_roles=roles[:255],
            ip_address=_client_ip(request),
            user_agent=_clean(request.META.get("HTTP_USER_AGENT", "") if request is not None else "", 255),
            request_id=getattr(request, "request_id", "") if request is not None else "",
            object_type=_clean(object_type, 100),
            object_id=_clean(str(object_id), 64),
            result=result,
            reason=_clean(reason, 64),
            data=_scrub(json.loads(json.dumps(data or {}, default=str))),
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save()
        # The head row is not an audit event; it is the lock and the pointer to the newest hash.
        AuditChainHead.objects.filter(pk=head.pk).update(last_hash=event.hash, count=head.count + 1)
    return event
