"""The demo step: registered after the ledger, makes plans, reports, a batch, events; idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from danbao.core import demo as core_demo
from danbao.ledger.tests.support import LOAN_DATE
from danbao.monitoring import demo
from danbao.monitoring.models import InspectionReport, InspectionTask, MonitoringPlan, RiskEvent

pytestmark = pytest.mark.django_db


def test_registered_after_the_ledger() -> None:
    steps = {s.key: s.order for s in core_demo.steps}
    assert steps["monitoring"] == 130 and steps["ledger"] < 130


def test_demo_is_idempotent(guarantee: Any, dept_head: Any) -> None:
    today = LOAN_DATE + dt.timedelta(days=220)
    with transaction.atomic():  # seed_demo runs every step in one transaction
        first = demo.seed(today)
    assert MonitoringPlan.objects.count() == 1
    assert InspectionReport.objects.exists() and RiskEvent.objects.exists(), first
    counts = (MonitoringPlan.objects.count(), InspectionTask.objects.count(), InspectionReport.objects.count(), RiskEvent.objects.count())
    with transaction.atomic():
        demo.seed(today)
    assert (
        MonitoringPlan.objects.count(),
        InspectionTask.objects.count(),
        InspectionReport.objects.count(),
        RiskEvent.objects.count(),
    ) == counts
