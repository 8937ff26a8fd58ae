"""The demo step: fee plans and receipts for approved demo projects, inside seed_demo's transaction, idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from danbao.core import demo as core_demo
from danbao.finance import demo, selectors
from danbao.finance.models import Deferral, FeePlan, Receipt
from danbao.finance.tests.support import approved_project
from danbao.projects.demo import DEMO_NOTE

pytestmark = pytest.mark.django_db


def test_registered_after_projects_and_diligence() -> None:
    step = core_demo.steps.get("finance")
    assert step.order == 104 and step.order > core_demo.steps.get("projects").order


def test_seed_is_idempotent(fin_world: Any, owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any, org: Any) -> None:
    from danbao.org.tests.factories import UserFactory

    UserFactory(username="finance", department=org.head_office, roles=[org.roles["finance"]], real_name="何静怡")
    with transaction.atomic():
        assert "skipped" in demo.seed()  # no approved demo project yet
    first = approved_project(fin_world, owner, b_manager, risk_manager, dept_head, gm, note=DEMO_NOTE)
    second = approved_project(fin_world, owner, b_manager, risk_manager, dept_head, gm, note=DEMO_NOTE, amount="800000")
    with transaction.atomic():
        summary = demo.seed()
    assert summary.startswith("2 fee plans")
    assert Deferral.objects.get(receivable__project=first).status == "pending"
    deferred = Deferral.objects.get(receivable__project=second)
    assert deferred.status == "approved" and deferred.decided_by == gm
    assert all(line.ok for line in selectors.readiness(second))  # fee deferred, review fee and margin paid
    counts = (FeePlan.objects.count(), Receipt.objects.count(), Deferral.objects.count())
    with transaction.atomic():
        assert demo.seed().startswith("fee plans exist")
    assert (FeePlan.objects.count(), Receipt.objects.count(), Deferral.objects.count()) == counts
