"""Release demo: a repaid guarantee is released and its tasks completed; a second run changes nothing."""

from __future__ import annotations

import pytest

from danbao.ledger.models import GuaranteeState
from danbao.release import demo, selectors
from danbao.release.models import Release, ReleaseState, TaskTransition
from danbao.release.tests.support import repay_all

pytestmark = pytest.mark.django_db


def test_demo_releases_repaid_and_is_idempotent(released_setup, owner, dept_head, archivist, finance):
    repay_all(released_setup["loan"], owner)
    first = demo.seed()
    assert "1 releases registered" in first
    release = Release.objects.get()
    assert release.guarantee.state == GuaranteeState.RELEASED
    assert release.state == ReleaseState.COMPLETE
    assert selectors.release_complete(release.project)
    transitions = TaskTransition.objects.count()
    second = demo.seed()
    assert "0 releases registered, 0 tasks completed" in second
    assert Release.objects.count() == 1 and TaskTransition.objects.count() == transitions
