"""Writing audit events: one door, inside the caller's transaction (an audit failure aborts the action)."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.audit.models import AuditChainHead, AuditEvent
from danbao.core.middleware import current_request

GENESIS_HASH = "0" * 64  # prev_hash of the very first event

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
# Any key containing one of these words is masked too (api_key, client_secret, otp_code, ...).
SENSITIVE_PARTS = ("password", "secret", "token", "otp", "api_key", "apikey", "private_key", "passwd")
MASK = "***"
# Defence in depth for personal information (SECURITY C.40): an 18-character resident ID number or a
# 16-19 digit bank card number that slipped into free text keeps only its first and last four characters.
_ID_OR_CARD = re.compile(r"(?<![0-9])([0-9]{4})([0-9]{10,13}|[0-9]{10}[0-9Xx])([0-9Xx]{4})(?![0-9A-Za-z])")


def _clean(value: str, limit: int) -> str:
    """Strip control characters so a crafted name cannot forge log lines (SECURITY C.40)."""
    return "".join(ch if ch.isprintable() else "?" for ch in (value or ""))[:limit]


def _sensitive(key: str) -> bool:
    lowered = key.lower()
    return lowered in SENSITIVE_KEYS or any(part in lowered for part in SENSITIVE_PARTS)


def _mask_numbers(text: str) -> str:
    return _ID_OR_CARD.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def _scrub(value: Any) -> Any:
    """Mask secrets by key at any depth, long ID/card numbers in text; floats become text.

    Floats are stored as text so the hash is stable after a round-trip through PostgreSQL jsonb
    (which may print 1e20 as an integer); dict key order does not matter (the hash sorts keys).
    """
    if isinstance(value, dict):
        return {str(k): (MASK if _sensitive(str(k)) and v not in (None, "") else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _mask_numbers(value.replace("\x00", ""))
    return value


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 over the previous hash and the event's content, in a fixed field order."""
    payload = {
        "prev": event.prev_hash,
        "at": event.created_at.astimezone(UTC).isoformat(),
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
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        # Normalised form, exactly as PostgreSQL's inet type gives it back (the hash must survive a round-trip).
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


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
            event_type=_clean(event_type, 64),
            actor_id=getattr(actor, "pk", None),
            actor_username=_clean(getattr(actor, "username", "") or actor_username, 150),
            actor_name=_clean(getattr(actor, "real_name", ""), 100),
            actor_roles=roles[:255],
            ip_address=_client_ip(request),
            user_agent=_clean(request.META.get("HTTP_USER_AGENT", "") if request is not None else "", 255),
            request_id=_clean(getattr(request, "request_id", ""), 32) if request is not None else "",
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
