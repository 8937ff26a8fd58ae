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


@pytest.mark.django_db
class TestMove:
    """`move` on a real project: permission, reason, flow-only moves, the log and history."""

    def test_permission_reason_and_flow_only(self, world, owner, b_manager, risk_manager):
        from danbao.core.errors import DomainError
        from danbao.projects.services.common import lock
        from danbao.projects.tests.support import intake

        project = intake(world, owner, b_manager)
        with pytest.raises(DomainError) as denied:
            lifecycle.move(lock(project), S.DUE_DILIGENCE, actor=risk_manager)
        assert denied.value.code == "projects.permission_denied"
        with pytest.raises(DomainError) as no_reason:
            lifecycle.move(lock(project), S.WITHDRAWN, actor=owner, reason="")
        assert no_reason.value.code == "projects.reason_required"
        with pytest.raises(DomainError) as forbidden:
            lifecycle.move(lock(project), S.APPROVED, actor=owner)
        assert forbidden.value.code == "projects.transition_not_allowed"
        log = lifecycle.move(lock(project), S.DUE_DILIGENCE, actor=owner)
        project.refresh_from_db()
        assert (log.source, log.target, log.actor) == (S.ACCEPTED, S.DUE_DILIGENCE, owner)
        assert project.state == S.DUE_DILIGENCE and project.version == 2
        assert project.history.first().state == S.DUE_DILIGENCE
        lifecycle.move(lock(project), S.RISK_REVIEW, actor=owner)
        lifecycle.move(lock(project), S.APPROVING, actor=risk_manager)
        with pytest.raises(DomainError):
            lifecycle.move(lock(project), S.APPROVED, actor=risk_manager)  # only the flow's executor
        lifecycle.move(lock(project), S.APPROVED, actor=None, by_flow=True)
        assert [t.target for t in project.transitions.order_by("id")] == [
            S.ACCEPTED,
            S.DUE_DILIGENCE,
            S.RISK_REVIEW,
            S.APPROVING,
            S.APPROVED,
        ]
