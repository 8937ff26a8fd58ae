"""Report states and the allowed moves, as data (STYLE "Lifecycles are tables").

    draft ──sign (A)──► a_signed ──confirm (B)──► confirmed ──reopen (A, reason)──► superseded
      ▲                    │                                         │
      └──return (B, reason)┘                            (a new draft version is created)

`role` names who may take the move: the project's A-role or B-role manager. Only `move` writes `state`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danbao.diligence import errors
from danbao.diligence.models import DiligenceReport, ReportTransition
from danbao.diligence.models import ReportState as S

WRITE = "diligence.report.write"
A_ROLE = "a"
B_ROLE = "b"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str
    role: str
    reason_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.A_SIGNED, "sign", A_ROLE),
    Transition(S.A_SIGNED, S.DRAFT, "return", B_ROLE, reason_required=True),
    Transition(S.A_SIGNED, S.CONFIRMED, "confirm", B_ROLE),
    Transition(S.CONFIRMED, S.SUPERSEDED, "reopen", A_ROLE, reason_required=True),
)


def transition_for(source: str, target: str) -> Transition | None:
    """The allowed move from `source` to `target`, or None."""
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def holds_role(user: Any, report: DiligenceReport, role: str) -> bool:
    """Is `user` the project's A-role (or B-role) manager and allowed to write diligence?"""
    if user is None or not getattr(user, "is_active", False) or not user.can(WRITE):
        return False
    project = report.project
    return user.pk == (project.manager_a_id if role == A_ROLE else project.manager_b_id)


def move(report: DiligenceReport, target: str, *, actor: Any, reason: str = "") -> ReportTransition:
    """Move a locked report to `target`: checks the table, the actor's role and the reason; writes
    state and the log row. Callers hold the row lock inside their transaction."""
    transition = transition_for(report.state, target)
    if transition is None or not report.is_current:
        source = S(report.state).label
        raise errors.TRANSITION_NOT_ALLOWED.error(source=source, target=S(target).label if target in S.values else target)
    if not holds_role(actor, report, transition.role):
        raise (errors.NOT_A_ROLE if transition.role == A_ROLE else errors.NOT_B_ROLE).error()
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    source = report.state
    report.state = target
    report.version += 1
    report.save(update_fields=["state", "version", "updated_at"])
    return ReportTransition.objects.create(
        report=report, source=source, target=target, action=transition.action, reason=reason[:500], actor=actor, at=timezone.now()
    )
