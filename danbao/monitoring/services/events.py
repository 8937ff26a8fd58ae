"""Risk events (风险事件): recorded by a business or risk manager for a guarantee in their scope,
handled through a dated log (open → handling on the first action), closed with a conclusion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.ledger.models import Guarantee
from danbao.monitoring import errors
from danbao.monitoring.models import InspectionReport, RiskEvent, RiskEventEntry, RiskEventKind, RiskEventState, Severity
from danbao.monitoring.services.common import audit

RECORD = "monitoring.risk_event.record"


def _require(actor: Any, guarantee: Guarantee) -> None:
    from danbao.projects.selectors import project_in_scope

    if actor is None or not getattr(actor, "is_active", False) or not actor.can(RECORD):
        raise errors.PERMISSION_DENIED.error()
    project = guarantee.project
    if actor.pk not in (project.manager_a_id, project.manager_b_id) and not project_in_scope(actor, project):
        raise errors.PERMISSION_DENIED.error()


def risk_event_record(
    *,
    actor: Any,
    guarantee: Guarantee,
    kind: str,
    severity: str,
    description: str,
    occurred_date: dt.date,
    report: InspectionReport | None = None,
    on: dt.date | None = None,
) -> RiskEvent:
    """Record a risk event of the guarantee (state open)."""
    on = on or timezone.localdate()
    _require(actor, guarantee)
    description = (description or "").strip()
    if kind not in RiskEventKind.values:
        raise errors.EVENT_INVALID.error(problem=kind, field="kind")
    if severity not in Severity.values:
        raise errors.EVENT_INVALID.error(problem=severity, field="severity")
    if not description:
        raise errors.EVENT_INVALID.error(problem=RiskEvent._meta.get_field("description").verbose_name, field="description")
    if not isinstance(occurred_date, dt.date) or occurred_date > on:
        raise errors.EVENT_INVALID.error(problem=RiskEvent._meta.get_field("occurred_date").verbose_name, field="occurred_date")
    with transaction.atomic(durable=True):
        event = RiskEvent.objects.create(
            guarantee=guarantee,
            kind=kind,
            severity=severity,
            description=description,
            occurred_date=occurred_date,
            report=report,
            recorded_by=actor,
        )
        audit("monitoring.risk_event_recorded", actor, event, guarantee=guarantee.pk, kind=kind, severity=severity)
    return event


def risk_event_log(
    *, actor: Any, event: RiskEvent, action: str, entry_date: dt.date | None = None, on: dt.date | None = None
) -> RiskEventEntry:
    """Add a dated handling step; the first one moves an open event to handling."""
    on = on or timezone.localdate()
    entry_date = entry_date or on
    action = (action or "").strip()
    if not action:
        raise errors.EVENT_INVALID.error(problem=RiskEventEntry._meta.get_field("action").verbose_name, field="action")
    if entry_date > on:
        raise errors.EVENT_INVALID.error(problem=RiskEventEntry._meta.get_field("entry_date").verbose_name, field="entry_date")
    with transaction.atomic(durable=True):
        event = RiskEvent.objects.select_for_update(of=("self",)).select_related("guarantee__project").get(pk=event.pk)
        _require(actor, event.guarantee)
        if event.state == RiskEventState.CLOSED:
            raise errors.EVENT_CLOSED.error()
        source = event.state
        if source == RiskEventState.OPEN:
            event.state = RiskEventState.HANDLING
            event.save(update_fields=["state"])
        entry = RiskEventEntry.objects.create(
            event=event,
            entry_date=entry_date,
            action=action,
            state_from=source,
            state_to=event.state if event.state != source else "",
            actor=actor,
            at=timezone.now(),
        )
        audit("monitoring.risk_event_handled", actor, event, entry=entry.pk)
    return entry


def risk_event_close(*, actor: Any, event: RiskEvent, conclusion: str, on: dt.date | None = None) -> RiskEvent:
    """Close the event with a conclusion (a last log line records it)."""
    on = on or timezone.localdate()
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise errors.CONCLUSION_REQUIRED.error(field="conclusion")
    with transaction.atomic(durable=True):
        event = RiskEvent.objects.select_for_update(of=("self",)).select_related("guarantee__project").get(pk=event.pk)
        _require(actor, event.guarantee)
        if event.state == RiskEventState.CLOSED:
            raise errors.EVENT_CLOSED.error()
        source = event.state
        now = timezone.now()
        event.state, event.conclusion, event.closed_by, event.closed_at = RiskEventState.CLOSED, conclusion, actor, now
        event.save(update_fields=["state", "conclusion", "closed_by", "closed_at"])
        RiskEventEntry.objects.create(
            event=event, entry_date=on, action=conclusion, state_from=source, state_to=RiskEventState.CLOSED, actor=actor, at=now
        )
        audit("monitoring.risk_event_closed", actor, event)
    return event
