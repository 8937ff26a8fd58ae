"""The committee's decision rule as a pure function: quorum, recusal, the pass share, chair veto and
reconsideration. No database, no floats: every share is compared as integers (3 × yes ≥ 2 × voters).

Order of the checks (docs/review.md "Decision rule"):
1. Meeting quorum: present ≥ `quorum_min` and present × d ≥ n × invited (share n/d, default 2/3).
2. Voters of the item = present members who did not recuse. Too few voters (the same two tests, the
   share taken over the invited members who did not recuse) → the item cannot be decided.
3. Every voter must have voted (an item is never decided on a partial count).
4. Chair veto (when switched on): the chair, present and not recused, voted 不同意 → rejected.
5. Agree (同意 + 有条件同意) × d ≥ n × base → passed (base = the voters; or, with base "invited",
   the invited members who did not recuse).
6. Otherwise 复议 votes > 不同意 votes → reconsider (复议); else rejected (否决). A tie between 复议
   and 不同意 is a rejection: reconsideration needs more members asking for it than refusing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

AGREE, CONDITIONAL, RECONSIDER, DISAGREE = "agree", "conditional", "reconsider", "disagree"
CHOICES = (AGREE, CONDITIONAL, RECONSIDER, DISAGREE)

PASSED, REJECTED, RECONSIDERED, UNDECIDABLE = "passed", "rejected", "reconsider", "undecidable"

# Reasons of an outcome (stored in the tally, shown on the page and in the minutes).
R_PASSED = "pass_share_reached"
R_BELOW = "below_pass_share"
R_VETO = "chair_veto"
R_RECONSIDER = "reconsider_outnumber_disagree"
R_NO_QUORUM = "no_quorum"
R_TOO_FEW = "too_few_voters"
R_MISSING = "votes_missing"


@dataclass(frozen=True)
class Rules:
    """The parameters in force on the meeting's date (read by services from system parameters)."""

    quorum_min: int = 5
    quorum_share: tuple[int, int] = (2, 3)
    pass_share: tuple[int, int] = (2, 3)
    share_base: str = "present"  # "present": the voters; "invited": invited members who did not recuse
    chair_veto: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "quorum_min": self.quorum_min,
            "quorum_share": list(self.quorum_share),
            "pass_share": list(self.pass_share),
            "share_base": self.share_base,
            "chair_veto": self.chair_veto,
        }


@dataclass(frozen=True)
class Facts:
    """One item at one meeting: member ids invited, present, recused; votes by member id; the chair."""

    invited: frozenset[int]
    present: frozenset[int]
    recused: frozenset[int] = frozenset()
    votes: Mapping[int, str] = field(default_factory=dict)
    chair: int | None = None


@dataclass(frozen=True)
class Outcome:
    result: str  # passed | rejected | reconsider | undecidable
    reason: str
    counts: dict[str, int]

    @property
    def decided(self) -> bool:
        return self.result != UNDECIDABLE


def at_least(part: int, whole: int, share: tuple[int, int]) -> bool:
    """part / whole ≥ n / d, in integers: part × d ≥ n × whole."""
    numerator, denominator = share
    return part * denominator >= numerator * whole


def has_quorum(invited: int, present: int, rules: Rules) -> bool:
    """Enough members present for the meeting to decide anything."""
    return present > 0 and present >= rules.quorum_min and at_least(present, invited, rules.quorum_share)


def decide(facts: Facts, rules: Rules) -> Outcome:
    """The result of one item under `rules` (see the module docstring for the order of the checks)."""
    present = facts.present & facts.invited
    recused = facts.recused & facts.invited
    voters = present - recused
    counted = {m: c for m, c in facts.votes.items() if m in voters}
    yes = sum(1 for c in counted.values() if c in (AGREE, CONDITIONAL))
    no = sum(1 for c in counted.values() if c == DISAGREE)
    again = sum(1 for c in counted.values() if c == RECONSIDER)
    counts = {
        "invited": len(facts.invited),
        "present": len(present),
        "recused": len(recused),
        "voters": len(voters),
        "voted": len(counted),
        "agree": sum(1 for c in counted.values() if c == AGREE),
        "conditional": sum(1 for c in counted.values() if c == CONDITIONAL),
        "reconsider": again,
        "disagree": no,
        "yes": yes,
    }
    if not has_quorum(len(facts.invited), len(present), rules):
        return Outcome(UNDECIDABLE, R_NO_QUORUM, counts)
    if not voters or not has_quorum(len(facts.invited - recused), len(voters), rules):
        return Outcome(UNDECIDABLE, R_TOO_FEW, counts)
    if len(counted) < len(voters):
        return Outcome(UNDECIDABLE, R_MISSING, counts)
    if rules.chair_veto and facts.chair in voters and counted.get(facts.chair) == DISAGREE:
        return Outcome(REJECTED, R_VETO, counts)
    base = len(voters) if rules.share_base != "invited" else len(facts.invited - recused)
    counts["base"] = base
    if at_least(yes, base, rules.pass_share):
        return Outcome(PASSED, R_PASSED, counts)
    if again > no:
        return Outcome(RECONSIDERED, R_RECONSIDER, counts)
    return Outcome(REJECTED, R_BELOW, counts)
