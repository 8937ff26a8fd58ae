"""Measure states and the allowed moves, as data (STYLE "Lifecycles are tables").

    pending ──fulfil (all checks met)──► fulfilled ──release (reason)──► released
       │
       └──cancel (reason: a change of plan; nothing is deleted)──► cancelled

Only `move` writes `state`; the services call it with the row locked, after their own checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danbao.securities import errors
from danbao.securities.models import Measure, MeasureTransition
from danbao.securities.models import MeasureState as S


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str
    reason_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.PENDING, S.FULFILLED, "fulfil"),
    Transition(S.FULFILLED, S.RELEASED, "release", reason_required=True),
    Transition(S.PENDING, S.CANCELLED, "cancel", reason_required=True),
)


def transition_for(source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def move(measure: Measure, target: str, *, actor: Any, reason: str = "") -> MeasureTransition:
    """Move a locked measure to `target`: checks the table and the reason; writes state and the log row."""
    transition = transition_for(measure.state, target)
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=S(measure.state).label, target=S(target).label if target in S.values else target)
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    now = timezone.now()
    source = measure.state
    measure.state = target
    measure.state_reason = reason[:500]
    measure.version += 1
    fields = ["state", "state_reason", "version", "updated_at"]
    if target == S.FULFILLED:
        measure.fulfilled_at = now
        fields.append("fulfilled_at")
    elif target == S.RELEASED:
        measure.released_at = now
        fields.append("released_at")
    measure.save(update_fields=fields)
    return MeasureTransition.objects.create(
        measure=measure, source=source, target=target, action=transition.action, reason=reason[:500], actor=actor, at=now
    )
