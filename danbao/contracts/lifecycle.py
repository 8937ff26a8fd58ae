"""Contract states and the allowed moves, as data (STYLE "Lifecycles are tables").

    generated ──sign (date, parties, signed scan)──► signed
        │                                              │
        └──────────void (reason)──► void ◄──void (reason)┘

A void contract stays void; the project then gets a new contract (a new number). `permission` is the
code the actor needs; services add the per-project check (own project, data scope). Only `move`
writes `state`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danbao.contracts import errors
from danbao.contracts.models import Contract, ContractTransition
from danbao.contracts.models import ContractState as S

MANAGE = "contracts.contract.manage"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str
    permission: str
    reason_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.GENERATED, S.SIGNED, "sign", MANAGE),
    Transition(S.GENERATED, S.VOID, "void", MANAGE, reason_required=True),
    Transition(S.SIGNED, S.VOID, "void", MANAGE, reason_required=True),
)


def transition_for(source: str, target: str) -> Transition | None:
    """The allowed move from `source` to `target`, or None."""
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def allowed_targets(source: str) -> list[str]:
    return [t.target for t in TRANSITIONS if t.source == source]


def move(contract: Contract, target: str, *, actor: Any, reason: str = "") -> ContractTransition:
    """Move a locked contract to `target`: checks the table, the permission and the reason; writes
    state and the log row. Callers hold the row lock inside their transaction."""
    transition = transition_for(contract.state, target)
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=S(contract.state).label, target=S(target).label if target in S.values else target)
    if actor is not None and not actor.can(transition.permission):
        raise errors.PERMISSION_DENIED.error()
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    source = contract.state
    contract.state = target
    contract.version += 1
    contract.save(update_fields=["state", "version"])
    return ContractTransition.objects.create(
        contract=contract, source=source, target=target, action=transition.action, reason=reason[:500], actor=actor, at=timezone.now()
    )
