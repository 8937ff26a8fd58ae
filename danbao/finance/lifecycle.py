"""Receivable states and the allowed moves, as data (STYLE "Lifecycles are tables").

    open ──receipt──► partly_paid ──receipt──► paid
      │  ◄──reversal──┘   ◄────reversal──────┘ │
      ├──deferral approved──► deferred ──receipt──► paid
      └──re-plan (terms changed)──► cancelled  (also from partly_paid / deferred; never from paid)

The state follows from the money: `target_state` derives it from amount, paid amount and an approved
deferral; `move` checks the pair against the table and writes it. Only services call `move`.
"""

from __future__ import annotations

from dataclasses import dataclass

from danbao.finance import errors
from danbao.finance.models import Receivable
from danbao.finance.models import ReceivableState as S

RECEIPT, REVERSAL, DEFERRAL, REPLAN = "receipt", "reversal", "deferral", "replan"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    cause: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.OPEN, S.PARTLY_PAID, RECEIPT),
    Transition(S.OPEN, S.PAID, RECEIPT),
    Transition(S.PARTLY_PAID, S.PAID, RECEIPT),
    Transition(S.DEFERRED, S.PAID, RECEIPT),
    Transition(S.PAID, S.PARTLY_PAID, REVERSAL),
    Transition(S.PAID, S.OPEN, REVERSAL),
    Transition(S.PAID, S.DEFERRED, REVERSAL),
    Transition(S.PARTLY_PAID, S.OPEN, REVERSAL),
    Transition(S.OPEN, S.DEFERRED, DEFERRAL),
    Transition(S.PARTLY_PAID, S.DEFERRED, DEFERRAL),
    Transition(S.OPEN, S.CANCELLED, REPLAN),
    Transition(S.PARTLY_PAID, S.CANCELLED, REPLAN),
    Transition(S.DEFERRED, S.CANCELLED, REPLAN),
)
OPEN_STATES = (S.OPEN, S.PARTLY_PAID, S.DEFERRED)


def transition_for(source: str, target: str, cause: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target and transition.cause == cause:
            return transition
    return None


def target_state(receivable: Receivable) -> str:
    """The state the money says: paid in full, covered by an approved deferral, partly paid or open."""
    if receivable.state == S.CANCELLED:
        return S.CANCELLED
    if receivable.paid_amount >= receivable.amount:
        return S.PAID
    if receivable.deferred_until is not None:
        return S.DEFERRED
    return S.PARTLY_PAID if receivable.paid_amount > 0 else S.OPEN


def move(receivable: Receivable, target: str, *, cause: str) -> bool:
    """Set the locked receivable's state to `target` if the table allows it (same state: nothing to do).
    The caller saves the row. Returns whether the state changed."""
    if receivable.state == target:
        return False
    if transition_for(receivable.state, target, cause) is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=S(receivable.state).label, target=S(target).label)
    receivable.state = target
    return True
