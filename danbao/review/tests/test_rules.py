"""The committee decision rule: worked examples and hypothesis properties (no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danbao.review import rules
from danbao.review.rules import AGREE, CONDITIONAL, DISAGREE, RECONSIDER, Facts, Rules, decide

DEFAULT = Rules()


def facts(votes: list[str], *, invited: int | None = None, recused: tuple[int, ...] = (), chair: int | None = 1, absent: int = 0) -> Facts:
    """Members 1..n present and voting in order; `absent` more invited members; `recused` among the first ids."""
    voters = [m for m in range(1, len(votes) + len(recused) + 1) if m not in recused]
    present = set(voters) | set(recused)
    total = invited if invited is not None else len(present) + absent
    return Facts(
        invited=frozenset(range(1, total + 1)),
        present=frozenset(present),
        recused=frozenset(recused),
        votes=dict(zip(voters, votes, strict=True)),
        chair=chair,
    )


class TestWorkedExamples:
    def test_exactly_two_thirds_passes(self):
        outcome = decide(facts([AGREE] * 4 + [DISAGREE] * 2), DEFAULT)
        assert (outcome.result, outcome.reason) == (rules.PASSED, rules.R_PASSED)

    def test_just_under_two_thirds_is_rejected(self):
        # 4 of 7 = 0.571 < 2/3; 3 × 7 = 21 > 12
        outcome = decide(facts([AGREE] * 4 + [DISAGREE] * 3), DEFAULT)
        assert outcome.result == rules.REJECTED and outcome.reason == rules.R_BELOW

    def test_five_of_seven_passes_and_four_of_seven_does_not(self):
        assert decide(facts([AGREE] * 5 + [DISAGREE] * 2), DEFAULT).result == rules.PASSED
        assert decide(facts([AGREE] * 4 + [RECONSIDER] * 3), DEFAULT).result == rules.RECONSIDERED

    def test_conditional_agreement_counts_as_agreement(self):
        outcome = decide(facts([AGREE, AGREE, CONDITIONAL, CONDITIONAL, DISAGREE]), DEFAULT)
        assert outcome.result == rules.PASSED and outcome.counts["yes"] == 4 and outcome.counts["conditional"] == 2

    def test_tie_between_reconsider_and_disagree_is_a_rejection(self):
        outcome = decide(facts([AGREE, AGREE, RECONSIDER, RECONSIDER, DISAGREE, DISAGREE]), DEFAULT)
        assert outcome.result == rules.REJECTED

    def test_all_reconsider(self):
        assert decide(facts([RECONSIDER] * 5), DEFAULT).result == rules.RECONSIDERED

    def test_all_disagree(self):
        assert decide(facts([DISAGREE] * 5), DEFAULT).result == rules.REJECTED

    def test_no_quorum_by_count(self):
        outcome = decide(facts([AGREE] * 4), DEFAULT)
        assert outcome.result == rules.UNDECIDABLE and outcome.reason == rules.R_NO_QUORUM

    def test_no_quorum_by_share(self):
        # 5 of 9 invited present: 5 × 3 = 15 < 2 × 9 = 18
        outcome = decide(facts([AGREE] * 5, absent=4), DEFAULT)
        assert outcome.reason == rules.R_NO_QUORUM
        # 6 of 9 is exactly 2/3
        assert decide(facts([AGREE] * 6, absent=3), DEFAULT).result == rules.PASSED

    def test_recusal_leaving_too_few_voters(self):
        # 6 present, 2 recuse: 4 voters < 5
        outcome = decide(facts([AGREE] * 4, recused=(1, 2)), DEFAULT)
        assert outcome.result == rules.UNDECIDABLE and outcome.reason == rules.R_TOO_FEW
        assert outcome.counts["recused"] == 2 and outcome.counts["voters"] == 4

    def test_recusal_reduces_the_voters(self):
        # 7 present, 1 recused, 6 voters, 4 agree = exactly 2/3 of the voters
        outcome = decide(facts([AGREE] * 4 + [DISAGREE] * 2, recused=(1,)), DEFAULT)
        assert outcome.result == rules.PASSED and outcome.counts["voters"] == 6

    def test_a_missing_vote_blocks_the_decision(self):
        f = facts([AGREE] * 5)
        partial = Facts(invited=f.invited | {6}, present=f.present | {6}, votes=f.votes, chair=1)
        assert decide(partial, DEFAULT).reason == rules.R_MISSING

    def test_chair_veto(self):
        votes = [DISAGREE] + [AGREE] * 5  # chair (member 1) disagrees, 5 of 6 agree
        assert decide(facts(votes), DEFAULT).result == rules.PASSED
        vetoed = decide(facts(votes), Rules(chair_veto=True))
        assert (vetoed.result, vetoed.reason) == (rules.REJECTED, rules.R_VETO)

    def test_absent_chair_has_no_veto(self):
        f = facts([AGREE] * 5 + [DISAGREE], chair=99, invited=7)  # chair 99 not invited/present
        f = Facts(invited=f.invited | {99}, present=f.present, votes=f.votes, chair=99)
        assert decide(f, Rules(chair_veto=True)).result == rules.PASSED

    def test_recused_chair_has_no_veto(self):
        outcome = decide(facts([AGREE] * 5 + [DISAGREE], recused=(1,)), Rules(chair_veto=True))
        assert outcome.result == rules.PASSED

    def test_votes_of_non_voters_are_ignored(self):
        f = facts([AGREE] * 5, recused=(1,))
        with_recused_vote = Facts(f.invited, f.present, f.recused, {**f.votes, 1: DISAGREE}, f.chair)
        assert decide(with_recused_vote, DEFAULT).counts["disagree"] == 0

    def test_invited_base(self):
        # 6 present of 7 invited, 5 agree: 5/6 of voters but 5/7 of invited, both ≥ 2/3; 4 agree: 4/6 yes, 4/7 no
        assert decide(facts([AGREE] * 4 + [DISAGREE] * 2, absent=1), Rules(share_base="invited")).result == rules.REJECTED
        assert decide(facts([AGREE] * 4 + [DISAGREE] * 2, absent=1), DEFAULT).result == rules.PASSED

    def test_zero_quorum_minimum_still_needs_a_voter(self):
        empty = Facts(invited=frozenset({1}), present=frozenset({1}), recused=frozenset({1}))
        assert decide(empty, Rules(quorum_min=0)).reason == rules.R_TOO_FEW


@st.composite
def meetings(draw: st.DrawFn) -> Facts:
    """Up to 12 invited members; each one's state (absent, recused, present without / with a vote) in one draw."""
    states = draw(
        st.lists(st.sampled_from(["absent", "recused", "silent", AGREE, CONDITIONAL, RECONSIDER, DISAGREE]), min_size=1, max_size=12)
    )
    members = range(1, len(states) + 1)
    present = {m for m, s in zip(members, states, strict=True) if s != "absent"}
    recused = {m for m, s in zip(members, states, strict=True) if s == "recused"}
    votes = {m: s for m, s in zip(members, states, strict=True) if s in rules.CHOICES}
    chair = draw(st.integers(min_value=1, max_value=len(states)))
    return Facts(frozenset(members), frozenset(present), frozenset(recused), votes, chair)


rulesets = st.builds(
    Rules,
    quorum_min=st.integers(min_value=0, max_value=7),
    quorum_share=st.sampled_from([(1, 2), (2, 3), (3, 4), (0, 1)]),
    pass_share=st.sampled_from([(1, 2), (2, 3), (3, 4)]),
    chair_veto=st.booleans(),
)


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestProperties:
    @PROPERTY
    @given(meetings(), rulesets)
    def test_passed_iff_share_reached_without_veto(self, f: Facts, r: Rules):
        outcome = decide(f, r)
        if not outcome.decided:
            return
        share = Fraction(outcome.counts["yes"], outcome.counts["voters"])
        vetoed = r.chair_veto and f.chair in (f.present - f.recused) and f.votes.get(f.chair) == DISAGREE
        assert (outcome.result == rules.PASSED) == (share >= Fraction(*r.pass_share) and not vetoed)

    @PROPERTY
    @given(meetings(), rulesets)
    def test_decided_only_with_quorum_and_every_voter_voting(self, f: Facts, r: Rules):
        outcome = decide(f, r)
        voters = (f.present & f.invited) - f.recused
        if outcome.decided:
            assert len(voters) >= max(r.quorum_min, 1)
            assert all(m in f.votes for m in voters)
            assert len(f.present) * r.quorum_share[1] >= r.quorum_share[0] * len(f.invited)

    @PROPERTY
    @given(meetings(), rulesets)
    def test_reconsider_only_when_reconsider_outnumbers_disagree(self, f: Facts, r: Rules):
        outcome = decide(f, r)
        if outcome.result == rules.RECONSIDERED:
            assert outcome.counts["reconsider"] > outcome.counts["disagree"]
        if outcome.result == rules.REJECTED and outcome.reason == rules.R_BELOW:
            assert outcome.counts["reconsider"] <= outcome.counts["disagree"]

    @PROPERTY
    @given(meetings(), rulesets)
    def test_turning_a_disagree_into_agree_never_hurts(self, f: Facts, r: Rules):
        """Monotone: one more agreeing vote never turns a pass into something else."""
        before = decide(f, r)
        dissenters = [m for m, c in f.votes.items() if c == DISAGREE]
        if before.result != rules.PASSED or not dissenters:
            return
        changed = Facts(f.invited, f.present, f.recused, {**f.votes, dissenters[0]: AGREE}, f.chair)
        assert decide(changed, r).result == rules.PASSED

    @given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=60))
    def test_integer_share_matches_exact_fraction(self, whole: int, part: int):
        part = min(part, whole)
        assert rules.at_least(part, whole, (2, 3)) == (Fraction(part, whole) >= Fraction(2, 3))


@pytest.mark.parametrize(
    ("yes", "voters", "expected"),
    [(2, 3, True), (1, 2, False), (4, 6, True), (3, 5, False), (6, 9, True), (5, 8, False), (7, 10, True), (6, 10, False)],
)
def test_two_thirds_table(yes: int, voters: int, expected: bool):
    assert rules.at_least(yes, voters, (2, 3)) is expected
