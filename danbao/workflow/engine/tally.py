"""Approval-mode tallies: from the decisions of a node's slots to the node's outcome.

A slot is one assignee's place at the node (a transferred task keeps its slot). Decisions are
"approve", "reject" or None (not yet). Modes:
- single / any (或签): the first decision decides the node.
- all (会签) / sequential (依次): every slot approves; one rejection rejects.
- vote (票签): approved once approvals / slots >= ratio (exact fractions: 2 of 3 passes at 2/3);
  rejected as soon as the ratio can no longer be reached even if every open slot approves.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

Decision = Literal["approve", "reject"] | None
Outcome = Literal["pending", "approved", "rejected"]


def tally(mode: str, decisions: Sequence[Decision], ratio: Fraction = Fraction(2, 3)) -> Outcome:
    decided = [d for d in decisions if d is not None]
    if not decisions:
        return "pending"
    if mode in ("single", "any"):
        return "pending" if not decided else ("approved" if decided[0] == "approve" else "rejected")
    if mode in ("all", "sequential"):
        if "reject" in decided:
            return "rejected"
        return "approved" if len(decided) == len(decisions) else "pending"
    if mode == "vote":
        total = len(decisions)
        approvals = decided.count("approve")
        still_open = total - len(decided)
        if Fraction(approvals, total) >= ratio:
            return "approved"
        if Fraction(approvals + still_open, total) < ratio:
            return "rejected"
        return "pending"
    raise ValueError(f"unknown mode {mode!r}")


def first_decision_decides(mode: str) -> bool:
    return mode in ("single", "any")
