"""The report's transition table: every allowed and every forbidden pair, and the role on each move."""

from __future__ import annotations

import itertools

import pytest

from danbao.diligence import lifecycle
from danbao.diligence.models import ReportState as S

ALLOWED = {
    (S.DRAFT, S.A_SIGNED): ("sign", "a", False),
    (S.A_SIGNED, S.DRAFT): ("return", "b", True),
    (S.A_SIGNED, S.CONFIRMED): ("confirm", "b", False),
    (S.CONFIRMED, S.SUPERSEDED): ("reopen", "a", True),
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(S.values, S.values)))
def test_every_pair(source: str, target: str) -> None:
    transition = lifecycle.transition_for(source, target)
    expected = ALLOWED.get((source, target))
    if expected is None:
        assert transition is None
    else:
        assert transition is not None
        assert (transition.action, transition.role, transition.reason_required) == expected


def test_superseded_is_final() -> None:
    assert not [t for t in lifecycle.TRANSITIONS if t.source == S.SUPERSEDED]


@pytest.mark.django_db
def test_move_checks_role_and_reason(project, owner, b_manager) -> None:  # type: ignore[no-untyped-def]
    from danbao.core.errors import DomainError
    from danbao.diligence.tests.support import written

    report = written(project, owner)
    with pytest.raises(DomainError) as exc:
        lifecycle.move(report, S.A_SIGNED, actor=b_manager)
    assert exc.value.code == "diligence.not_a_role"
    lifecycle.move(report, S.A_SIGNED, actor=owner)
    with pytest.raises(DomainError) as exc:
        lifecycle.move(report, S.DRAFT, actor=b_manager, reason=" ")
    assert exc.value.code == "diligence.reason_required"
    with pytest.raises(DomainError) as exc:
        lifecycle.move(report, S.SUPERSEDED, actor=owner, reason="x")
    assert exc.value.code == "diligence.transition_not_allowed"
    log = lifecycle.move(report, S.DRAFT, actor=b_manager, reason="补充现金流分析")
    assert (log.source, log.target, log.action, log.reason) == (S.A_SIGNED, S.DRAFT, "return", "补充现金流分析")
