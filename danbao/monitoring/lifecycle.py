"""Inspection-report states and the allowed moves, as data (STYLE "Lifecycles are tables").

    draft ──submit (assignee)──► submitted ──accept (reviewer)──► accepted
                                   │  ▲
              return (reviewer,    ▼  │ submit (assignee, after rework)
              reason)           returned

Submitting completes the inspection task; returning re-opens it. Only `move` writes `state`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danbao.monitoring import errors
from danbao.monitoring.models import InspectionReport, ReportTransition
from danbao.monitoring.models import ReportState as S

INSPECT = "monitoring.task.inspect"
REVIEW = "monitoring.report.review"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str
    permission: str
    reason_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.SUBMITTED, "submit", INSPECT),
    Transition(S.RETURNED, S.SUBMITTED, "submit", INSPECT),
    Transition(S.SUBMITTED, S.ACCEPTED, "accept", REVIEW),
    Transition(S.SUBMITTED, S.RETURNED, "return", REVIEW, reason_required=True),
)


def transition_for(source: str, target: str) -> Transition | None:
    """The allowed move from `source` to `target`, or None."""
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def move(report: InspectionReport, target: str, *, actor: Any, reason: str = "") -> ReportTransition:
    """Move a locked report to `target`: checks the table, the permission and the reason; writes the
    state and the log row. Who (assignee, not the author for reviews) is checked by the service."""
    transition = transition_for(report.state, target)
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=S(report.state).label, target=S(target).label if target in S.values else target)
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(transition.permission):
        raise errors.PERMISSION_DENIED.error()
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    source = report.state
    report.state = target
    report.version += 1
    now = timezone.now()
    if transition.action == "submit":
        report.submitted_at = now
    else:
        report.reviewed_by, report.reviewed_at, report.review_comment = actor, now, reason[:500]
    report.save(update_fields=["state", "version", "submitted_at", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    return ReportTransition.objects.create(
        report=report, source=source, target=target, action=transition.action, reason=reason[:500], actor=actor, at=now
    )
