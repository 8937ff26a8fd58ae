"""Warning handling: acknowledge, act (with a note), close (a note is required); each step is logged."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.core.events import security_event
from danbao.risk import errors
from danbao.risk.models import Warning, WarningLog, WarningState

HANDLE = "risk.warning.handle"
NEXT = {"acknowledge": WarningState.ACKNOWLEDGED, "act": WarningState.ACTING, "close": WarningState.CLOSED, "note": None}


def warning_handle(*, actor: Any, warning: Warning, action: str, note: str = "") -> Warning:
    """Move the warning on (open → acknowledged → acting → closed) or add a note to its log."""
    if actor is None or not actor.can(HANDLE):
        raise errors.PERMISSION_DENIED.error()
    if action not in NEXT:
        raise errors.PERMISSION_DENIED.error()
    note = (note or "").strip()
    if action in ("close", "note", "act") and not note:
        raise errors.NOTE_REQUIRED.error(field="note")
    with transaction.atomic():
        w = Warning.objects.select_for_update(of=("self",)).get(pk=warning.pk)
        if w.state == WarningState.CLOSED:
            raise errors.WARNING_CLOSED.error()
        target = NEXT[action]
        if target is not None:
            w.state = target
            if target == WarningState.CLOSED:
                w.closed_at, w.close_note, w.auto_closed = timezone.now(), note, False
            w.save()
        WarningLog.objects.create(warning=w, action=action, note=note, actor=actor)
        security_event(f"risk.warning_{action}", actor=actor, object_type="risk.Warning", object_id=w.pk, reason=note[:255])
    return w
