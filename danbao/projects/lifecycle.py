"""Project states and the allowed moves, as data (STYLE "Lifecycles are tables").

    override_pending ─► accepted ─► due_diligence ─► risk_review ─► approving ─► approved
           │                 │            ▲               │   │          │  ▲
           ▼                 │            └── return ─────┘   │          ▼  │ resubmit
        declined             ▼                                │       returned
                         withdrawn ◄── (any open state) ──────┘     rejected (from approving)

`permission` None marks a move made only by the approval flow's executor (the engine calls it inside
the deciding action's transaction) — no person can take it from a page. Only `move` writes `state`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danbao.projects import errors
from danbao.projects.models import Project, ProjectTransition
from danbao.projects.models import ProjectState as S

INTAKE = "projects.project.intake"
REVIEW = "projects.project.review"
OVERRIDE = "projects.override.decide"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str
    permission: str | None  # None: the approval flow's executor only
    reason_required: bool = False


OPEN_STATES = (S.OVERRIDE_PENDING, S.ACCEPTED, S.DUE_DILIGENCE, S.RISK_REVIEW, S.APPROVING, S.RETURNED)
TERMINAL_STATES = (S.DECLINED, S.APPROVED, S.REJECTED, S.WITHDRAWN)

TRANSITIONS: tuple[Transition, ...] = (
    # Exception approval of an intake rule hit (maker-checker).
    Transition(S.OVERRIDE_PENDING, S.ACCEPTED, "override_approve", OVERRIDE),
    Transition(S.OVERRIDE_PENDING, S.DECLINED, "override_reject", OVERRIDE, reason_required=True),
    Transition(S.OVERRIDE_PENDING, S.WITHDRAWN, "withdraw", INTAKE, reason_required=True),
    # Business manager's part.
    Transition(S.ACCEPTED, S.DUE_DILIGENCE, "start_diligence", INTAKE),
    Transition(S.ACCEPTED, S.WITHDRAWN, "withdraw", INTAKE, reason_required=True),
    Transition(S.DUE_DILIGENCE, S.RISK_REVIEW, "submit_review", INTAKE),
    Transition(S.DUE_DILIGENCE, S.WITHDRAWN, "withdraw", INTAKE, reason_required=True),
    # Risk manager's independent review.
    Transition(S.RISK_REVIEW, S.DUE_DILIGENCE, "return_diligence", REVIEW, reason_required=True),
    Transition(S.RISK_REVIEW, S.APPROVING, "submit_approval", REVIEW),
    Transition(S.RISK_REVIEW, S.WITHDRAWN, "withdraw", INTAKE, reason_required=True),
    # The approval flow (committee and approvers) decides through its executors.
    Transition(S.APPROVING, S.APPROVED, "approve", None),
    Transition(S.APPROVING, S.REJECTED, "reject", None, reason_required=True),
    Transition(S.APPROVING, S.RETURNED, "return", None, reason_required=True),
    Transition(S.APPROVING, S.WITHDRAWN, "flow_withdrawn", None, reason_required=True),
    Transition(S.RETURNED, S.APPROVING, "resubmit", REVIEW),
    Transition(S.RETURNED, S.WITHDRAWN, "flow_withdrawn", None, reason_required=True),
)


def transition_for(source: str, target: str) -> Transition | None:
    """The allowed move from `source` to `target`, or None."""
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def allowed_targets(source: str) -> list[str]:
    return [t.target for t in TRANSITIONS if t.source == source]


def move(project: Project, target: str, *, actor: Any, reason: str = "", by_flow: bool = False) -> ProjectTransition:
    """Move a locked project to `target`: checks the table, the permission (unless the approval
    flow's executor moves it) and the reason; writes state, the log row and history.

    Callers hold the row lock (select_for_update) inside their transaction."""
    transition = transition_for(project.state, target)
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=S(project.state).label, target=S(target).label if target in S.values else target)
    if transition.permission is None and not by_flow:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=S(project.state).label, target=S(target).label)
    if transition.permission is not None and not by_flow and (actor is None or not actor.can(transition.permission)):
        raise errors.PERMISSION_DENIED.error()
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    source = project.state
    now = timezone.now()
    project.state = target
    project.state_reason = reason[:500]
    project.state_changed_at = now
    project.version += 1
    project.save(update_fields=["state", "state_reason", "state_changed_at", "version", "updated_at"])
    return ProjectTransition.objects.create(
        project=project, source=source, target=target, action=transition.action, reason=reason[:500], actor=actor, at=now
    )
