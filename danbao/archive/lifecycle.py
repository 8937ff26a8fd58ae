"""Archive-file and borrowing states and the allowed moves, as data (STYLE "Lifecycles are tables").

File:
    open ──archive (archivist; checklist complete)──► archived ──lend──► lent
      ▲                                                  │  ▲            │
      └────────────reopen (archivist, reason)────────────┘  └──return────┘ (when no other loan is out)

Borrowing:
    requested ──approve (dept head / GM, not the requester)──► approved ──lend (archivist)──► lent ──return──► returned
        │  └──reject (reason)──► rejected                          │
        └──cancel (requester)──► cancelled ◄──cancel (requester)───┘

Only `move_file` and `move_borrowing` write `state`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danbao.archive import errors
from danbao.archive.models import ArchiveFile, Borrowing, BorrowState, BorrowTransition, FileState, FileTransition

VIEW = "archive.file.view"
MANAGE = "archive.file.manage"
REQUEST = "archive.borrow.request"
APPROVE = "archive.borrow.approve"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str
    permission: str
    reason_required: bool = False


FILE_TRANSITIONS: tuple[Transition, ...] = (
    Transition(FileState.OPEN, FileState.ARCHIVED, "archive", MANAGE),
    Transition(FileState.ARCHIVED, FileState.OPEN, "reopen", MANAGE, reason_required=True),
    Transition(FileState.ARCHIVED, FileState.LENT, "lend", MANAGE),
    Transition(FileState.LENT, FileState.ARCHIVED, "return", MANAGE),
)

BORROW_TRANSITIONS: tuple[Transition, ...] = (
    Transition(BorrowState.REQUESTED, BorrowState.APPROVED, "approve", APPROVE),
    Transition(BorrowState.REQUESTED, BorrowState.REJECTED, "reject", APPROVE, reason_required=True),
    Transition(BorrowState.REQUESTED, BorrowState.CANCELLED, "cancel", REQUEST),
    Transition(BorrowState.APPROVED, BorrowState.CANCELLED, "cancel", REQUEST),
    Transition(BorrowState.APPROVED, BorrowState.LENT, "lend", MANAGE),
    Transition(BorrowState.LENT, BorrowState.RETURNED, "return", MANAGE),
)


def _find(table: tuple[Transition, ...], source: str, action: str) -> Transition | None:
    for transition in table:
        if transition.source == source and transition.action == action:
            return transition
    return None


def file_transition(source: str, action: str) -> Transition | None:
    return _find(FILE_TRANSITIONS, source, action)


def borrow_transition(source: str, action: str) -> Transition | None:
    return _find(BORROW_TRANSITIONS, source, action)


def _check(transition: Transition | None, source_label: str, action: str, actor: Any, reason: str) -> Transition:
    if transition is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=source_label, action=action)
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(transition.permission):
        raise errors.PERMISSION_DENIED.error()
    if transition.reason_required and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    return transition


def move_file(file: ArchiveFile, action: str, *, actor: Any, reason: str = "") -> FileTransition:
    """Move a locked file by `action`: checks the table, the permission and the reason; writes the log."""
    reason = (reason or "").strip()
    transition = _check(file_transition(file.state, action), FileState(file.state).label, action, actor, reason)
    source = file.state
    file.state = transition.target
    file.version += 1
    file.save(update_fields=["state", "version", "updated_at"])
    return FileTransition.objects.create(
        file=file, source=source, target=transition.target, action=action, reason=reason[:500], actor=actor, at=timezone.now()
    )


def move_borrowing(borrowing: Borrowing, action: str, *, actor: Any, reason: str = "") -> BorrowTransition:
    reason = (reason or "").strip()
    transition = _check(borrow_transition(borrowing.state, action), BorrowState(borrowing.state).label, action, actor, reason)
    source = borrowing.state
    borrowing.state = transition.target
    borrowing.version += 1
    borrowing.save(update_fields=["state", "version"])
    return BorrowTransition.objects.create(
        borrowing=borrowing, source=source, target=transition.target, action=action, reason=reason[:300], actor=actor, at=timezone.now()
    )
