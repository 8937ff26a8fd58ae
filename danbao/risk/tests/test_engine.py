"""The nightly warning job: every rule at its thresholds, no duplicates, level changes, auto-close,
a query count that does not grow with the number of guarantees."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from danbao.ledger.models import Guarantee, ScheduleLine
from danbao.monitoring.models import InspectionTask, RiskEvent
from danbao.projects.models import Project
from danbao.risk import engine
from danbao.risk.models import Warning, WarningLog, WarningState
from danbao.risk.tests.support import dpd_date, first_due

pytestmark = pytest.mark.django_db


def _dpd_warning(g: Guarantee) -> Warning | None:
    return Warning.objects.filter(guarantee=g, rule_code="dpd").exclude(state="closed").first()


@pytest.mark.parametrize(("days", "level"), [(0, None), (1, "yellow"), (29, "yellow"), (30, "orange"), (89, "orange"), (90, "red")])
def test_dpd_rule_thresholds(guarantee: Guarantee, days: int, level: str | None) -> None:
    engine.warnings_run(dpd_date(guarantee, days))
    w = _dpd_warning(guarantee)
    assert (w.level if w else None) == level
    if w:
        assert f"逾期 {days} 天" in w.reason
        assert w.owner_id == guarantee.project.manager_a_id


def test_two_runs_no_duplicate_and_level_change_logged(guarantee: Guarantee) -> None:
    engine.warnings_run(dpd_date(guarantee, 5))
    run = engine.warnings_run(dpd_date(guarantee, 6))
    assert run.created == 0
    assert Warning.objects.filter(guarantee=guarantee, rule_code="dpd").count() == 1
    run = engine.warnings_run(dpd_date(guarantee, 31))
    w = _dpd_warning(guarantee)
    assert w.level == "orange" and run.changed >= 1
    assert WarningLog.objects.filter(warning=w, action="level", from_level="yellow", to_level="orange").exists()


def test_db_refuses_second_open_warning(guarantee: Guarantee) -> None:
    Warning.objects.create(guarantee=guarantee, rule_code="dpd", level="yellow", reason="x", opened_on=dt.date.today())
    with pytest.raises(IntegrityError), transaction.atomic():
        Warning.objects.create(guarantee=guarantee, rule_code="dpd", level="red", reason="y", opened_on=dt.date.today())


def test_auto_close_when_signal_disappears(guarantee: Guarantee) -> None:
    on = dpd_date(guarantee, 10)
    engine.warnings_run(on)
    w = _dpd_warning(guarantee)
    line = ScheduleLine.objects.filter(loan__guarantee=guarantee).order_by("due_date").first()
    ScheduleLine.objects.filter(pk=line.pk).update(paid_principal=line.principal, paid_interest=line.interest, settled_on=on)
    run = engine.warnings_run(on)
    w.refresh_from_db()
    assert w.state == WarningState.CLOSED and w.auto_closed and run.closed >= 1
    assert WarningLog.objects.filter(warning=w, action="auto_close").exists()
    # a new signal later opens a new warning (the closed one does not block it)
    engine.warnings_run(dpd_date(guarantee, 45))
    assert Warning.objects.filter(guarantee=guarantee, rule_code="dpd").count() >= 1


def test_missed_inspections_and_events(guarantee: Guarantee, owner: Any) -> None:
    from danbao.monitoring.services import plans_create_missing

    on = first_due(guarantee) - dt.timedelta(days=1)
    plans_create_missing(on)
    from danbao.monitoring.models import MonitoringPlan

    plan = MonitoringPlan.objects.get(guarantee=guarantee)
    InspectionTask.objects.filter(guarantee=guarantee).delete()
    InspectionTask.objects.create(
        plan=plan,
        guarantee=guarantee,
        kind="periodic",
        planned_date=on - dt.timedelta(days=9),
        due_date=on - dt.timedelta(days=1),
        risk_class="01",
        assignee=owner,
    )
    RiskEvent.objects.create(
        guarantee=guarantee, kind="litigation", severity="high", description="诉讼", occurred_date=on, recorded_by=owner
    )
    engine.warnings_run(on)
    assert Warning.objects.get(guarantee=guarantee, rule_code="missed_inspection").level == "yellow"
    assert Warning.objects.get(guarantee=guarantee, rule_code="risk_event").level == "red"


def test_maturity_with_overdue_history(guarantee: Guarantee) -> None:
    on = guarantee.maturity_date - dt.timedelta(days=10)
    engine.warnings_run(on)
    assert Warning.objects.get(guarantee=guarantee, rule_code="maturity_overdue").level == "orange"


def _copies(guarantee: Guarantee, count: int, tag: str) -> None:
    for index in range(count):
        project = Project.objects.get(pk=guarantee.project_id)
        project.pk = project.id = None
        project.number = f"{project.number}-{tag}{index:03d}"
        project.save()
        copy = Guarantee.objects.get(pk=guarantee.pk)
        copy.pk = copy.id = None
        copy.project = project
        copy.save()


def _queries(on: dt.date) -> int:
    Warning.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        engine.warnings_run(on, chunk=1000)
    return len(ctx.captured_queries)


def test_query_count_constant_in_guarantees(guarantee: Guarantee) -> None:
    on = dpd_date(guarantee, 40)
    _copies(guarantee, 2, "A")
    small = _queries(on)
    _copies(guarantee, 20, "B")
    assert _queries(on) == small
