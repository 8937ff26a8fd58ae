"""Letter states and the allowed moves, as data (STYLE "Lifecycles are tables").

    (issue) ──► valid ──release (reason)──► released     the guaranteed loan is repaid (解保)
                  │ ──void (reason)──────► void         a wrong or returned letter; a new one may follow
                  └ ──supersede──────────► superseded   an intent letter, once the guarantee letter is out

`permission` names the code the actor must hold; `kinds` which letters may take the move. Only `move`
writes `state`; services call it with the row locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danbao.letters import errors
from danbao.letters.models import GuaranteeLetter, LetterKind, LetterTransition
from danbao.letters.models import LetterState as S

ISSUE = "letters.letter.issue"
VOID = "letters.letter.void"
RELEASE = "letters.letter.release"
BOTH = (LetterKind.GUARANTEE, LetterKind.INTENT)


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str
    permission: str
    kinds: tuple[str, ...] = BOTH
    reason_required: bool = True


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.VALID, S.RELEASED, "release", RELEASE, kinds=(LetterKind.GUARANTEE,)),
    Transition(S.VALID, S.VOID, "void", VOID),
    # No permission of its own: it happens inside the issue of the guarantee letter (ISSUE checked there).
    Transition(S.VALID, S.SUPERSEDED, "supersede", ISSUE, kinds=(LetterKind.INTENT,), reason_required=False),
)


def transition_for(source: str, target: str, kind: str) -> Transition | None:
    """The allowed move from `source` to `target` for a letter of `kind`, or None."""
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target and kind in transition.kinds:
            return transition
    return None


def _label(state: str) -> str:
    return str(S(state).label) if state in S.values else state


def move(letter: GuaranteeLetter, target: str, *, actor: Any, reason: str = "") -> LetterTransition:
    """Move a locked letter to `target`: checks the table, the actor's permission and the reason;
    writes state and the log row. Callers hold the row lock inside their transaction."""
    transition = transition_for(letter.state, target, letter.kind)
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=_label(letter.state), target=_label(target))
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(transition.permission):
        raise errors.PERMISSION_DENIED.error()
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    source = letter.state
    now = timezone.now()
    letter.state = target
    letter.state_reason = reason[:500]
    letter.state_changed_at = now
    letter.version += 1
    letter.save(update_fields=["state", "state_reason", "state_changed_at", "version"])
    return LetterTransition.objects.create(
        letter=letter, source=source, target=target, action=transition.action, reason=reason[:500], actor=actor, at=now
    )


def record_issue(letter: GuaranteeLetter, *, actor: Any) -> LetterTransition:
    """The first log row of a new letter (nothing → valid)."""
    return LetterTransition.objects.create(letter=letter, source="", target=S.VALID, action="issue", actor=actor, at=letter.issued_at)
