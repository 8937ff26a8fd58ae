"""Meeting states and the allowed moves between them, as data. Only services call `move`."""

from __future__ import annotations

from typing import Any

from danbao.review import errors

DRAFT, CONVENED, CLOSED, CANCELLED = "draft", "convened", "closed", "cancelled"

# from -> {to: what moves it}
TRANSITIONS: dict[str, dict[str, str]] = {
    DRAFT: {
        CONVENED: "the secretary opens the meeting (at least one agenda item and enough invited members)",
        CANCELLED: "the secretary cancels with a reason; pending items go back to the waiting list",
    },
    CONVENED: {
        CLOSED: "the secretary closes the meeting; undecided items are deferred to a later meeting",
        CANCELLED: "the secretary cancels with a reason, only while no item has been decided",
    },
    CLOSED: {},
    CANCELLED: {},
}
OPEN = frozenset({DRAFT, CONVENED})
FINAL = frozenset(state for state, moves in TRANSITIONS.items() if not moves)


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, {})


def move(meeting: Any, target: str) -> None:
    """Set the status of a locked meeting, refusing moves the table does not allow (caller saves)."""
    if not can_move(meeting.status, target):
        raise errors.TRANSITION_NOT_ALLOWED.error(source=meeting.get_status_display(), target=target)
    meeting.status = target
