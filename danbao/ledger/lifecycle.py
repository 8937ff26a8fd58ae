"""Guarantee states and the allowed moves, as data (STYLE "Lifecycles are tables").

    (none) ──disburse──► in_force

`released` (解保) and `compensated` (代偿) are declared in `GuaranteeState` for the post-guarantee work
of the next issue; no move leads there yet, so nothing can put a guarantee into them. Only `move`
and `enter` write `state`; callers hold the row lock inside their transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danbao.ledger import errors
from danbao.ledger.models import Guarantee, GuaranteeTransition
from danbao.ledger.models import GuaranteeState as S

CREATED = ""  # the source of the first move: the guarantee did not exist before


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str
    reason_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(CREATED, S.IN_FORCE, "disburse"),
    # 解保: repaid (balance 0) or confirmed by the bank's notice; see ledger.repayments.guarantee_release.
    Transition(S.IN_FORCE, S.RELEASED, "release"),
)


def transition_for(source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def _label(state: str) -> str:
    return str(S(state).label) if state in S.values else (state or "—")


def enter(guarantee: Guarantee, *, actor: Any, at: Any = None) -> GuaranteeTransition:
    """Log the creation move of a new guarantee (its row is saved with the initial state)."""
    transition = transition_for(CREATED, guarantee.state)
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source="—", target=_label(guarantee.state))
    return GuaranteeTransition.objects.create(
        guarantee=guarantee, source=CREATED, target=guarantee.state, action=transition.action, actor=actor, at=at or timezone.now()
    )


def move(guarantee: Guarantee, target: str, *, actor: Any, reason: str = "") -> GuaranteeTransition:
    """Move a locked guarantee to `target` if the table allows it; writes state and the log row."""
    transition = transition_for(guarantee.state, target)
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=_label(guarantee.state), target=_label(target))
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    source = guarantee.state
    guarantee.state = target
    guarantee.version += 1
    guarantee.save(update_fields=["state", "version", "updated_at"])
    return GuaranteeTransition.objects.create(
        guarantee=guarantee, source=source, target=target, action=transition.action, reason=reason[:500], actor=actor, at=timezone.now()
    )
