"""Instance states and the allowed moves between them, as data (STYLE.md "Where rules go").

Only the engine's services call `move`; nothing else assigns `FlowInstance.status`.
"""

from __future__ import annotations

from typing import Any

from danbao.workflow import errors

RUNNING, APPROVED, REJECTED, WITHDRAWN, TERMINATED = "running", "approved", "rejected", "withdrawn", "terminated"

# from -> {to: what moves it}
TRANSITIONS: dict[str, dict[str, str]] = {
    RUNNING: {
        APPROVED: "final approval (last node done)",
        REJECTED: "a rejection the node's mode accepts",
        WITHDRAWN: "the submitter withdraws before anyone acted",
        TERMINATED: "an administrator terminates (workflow.instance.admin)",
    },
    APPROVED: {},
    REJECTED: {},
    WITHDRAWN: {},
    TERMINATED: {},
}
ACTIVE = frozenset({RUNNING})
FINAL = frozenset(state for state, moves in TRANSITIONS.items() if not moves)


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, {})


def move(instance: Any, target: str) -> None:
    """Set the status of a locked instance, refusing moves the table does not allow (caller saves)."""
    if not can_move(instance.status, target):
        raise errors.TRANSITION_NOT_ALLOWED.error(source=instance.status, target=target)
    instance.status = target
