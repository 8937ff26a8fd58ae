"""The transition table: every allowed and every forbidden pair."""

from __future__ import annotations

import itertools

import pytest

from danbao.projects import lifecycle
from danbao.projects.models import ProjectState as S

ALLOWED = {
    (S.OVERRIDE_PENDING, S.ACCEPTED),
    (S.OVERRIDE_PENDING, S.DECLINED),
    (S.OVERRIDE_PENDING, S.WITHDRAWN),
    (S.ACCEPTED, S.DUE_DILIGENCE),
    (S.ACCEPTED, S.WITHDRAWN),
    (S.DUE_DILIGENCE, S.RISK_REVIEW),
    (S.DUE_DILIGENCE, S.WITHDRAWN),
    (S.RISK_REVIEW, S.DUE_DILIGENCE),
    (S.RISK_REVIEW, S.APPROVING),
    (S.RISK_REVIEW, S.WITHDRAWN),
    (S.APPROVING, S.APPROVED),
    (S.APPROVING, S.REJECTED),
    (S.APPROVING, S.RETURNED),
    (S.APPROVING, S.WITHDRAWN),
    (S.RETURNED, S.APPROVING),
    (S.RETURNED, S.WITHDRAWN),
}
FLOW_ONLY = {
    (S.APPROVING, S.APPROVED),
    (S.APPROVING, S.REJECTED),
    (S.APPROVING, S.RETURNED),
    (S.APPROVING, S.WITHDRAWN),
    (S.RETURNED, S.WITHDRAWN),
}
PAIRS = list(itertools.product(S.values, S.values))


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_table_allows_exactly_the_listed_pairs(source, target):
    found = lifecycle.transition_for(source, target)
    assert (found is not None) == ((source, target) in ALLOWED)
    if found is not None:
        assert (found.permission is None) == ((source, target) in FLOW_ONLY)


def test_terminal_states_have_no_way_out():
    for state in lifecycle.TERMINAL_STATES:
        assert lifecycle.allowed_targets(state) == []


def test_every_open_state_can_end_in_withdrawal():
    for state in lifecycle.OPEN_STATES:
        assert S.WITHDRAWN in lifecycle.allowed_targets(state)
