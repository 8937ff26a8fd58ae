"""Agreement states and the allowed moves (draft → in force → expired / terminated), as data.

Only the services move an agreement; `system` marks moves made by the daily job (no person).
"""

from __future__ import annotations

from dataclasses import dataclass

from danbao.partners.models import AgreementStatus as S

MANAGE = "partners.partner.manage"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str  # activate | expire | terminate
    permission: str | None  # None: the daily job only
    reason_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.IN_FORCE, "activate", MANAGE),
    Transition(S.DRAFT, S.TERMINATED, "terminate", MANAGE, reason_required=True),  # a draft never signed
    Transition(S.IN_FORCE, S.TERMINATED, "terminate", MANAGE, reason_required=True),
    Transition(S.IN_FORCE, S.EXPIRED, "expire", None),
)


def transition_for(source: str, action: str) -> Transition | None:
    """The allowed move of `action` from `source`, or None."""
    for transition in TRANSITIONS:
        if transition.source == source and transition.action == action:
            return transition
    return None


def actions_from(source: str) -> list[str]:
    """Actions a person can take from a state (the daily job's moves are not offered)."""
    return [t.action for t in TRANSITIONS if t.source == source and t.permission]
