"""Reports: the lifecycle (draft → submitted → accepted / returned → submitted), the task done and
re-opened, refusals, photos; batch inspection atomicity and idempotency; risk events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danbao.core.errors import DomainError
from danbao.ledger.tests.support import LOAN_DATE, TODAY
from danbao.monitoring import lifecycle, selectors, services
from danbao.monitoring.models import InspectionBatch, InspectionReport, InspectionTask, ReportState, RiskEvent, TaskStatus
from danbao.monitoring.tests.support import jpeg

pytestmark = pytest.mark.django_db
BODY = {"operations": "正常经营", "loan_use": "购买原材料，已核对凭证", "conclusion": "维持正常"}


@pytest.fixture
def task(guarantee: Any) -> InspectionTask:
    plan = services.plan_generate(guarantee=guarantee, on=TODAY)
    return plan.tasks.get(kind="first")


def test_transition_table() -> None:
    S = ReportState
    allowed = {(t.source, t.target) for t in lifecycle.TRANSITIONS}
    assert allowed == {(S.DRAFT, S.SUBMITTED), (S.RETURNED, S.SUBMITTED), (S.SUBMITTED, S.ACCEPTED), (S.SUBMITTED, S.RETURNED)}
    for source in S.values:
        for target in S.values:
            assert (lifecycle.transition_for(source, target) is not None) == ((source, target) in allowed)


def test_report_lifecycle_completes_and_reopens_the_task(task: Any, owner: Any, dept_head: Any) -> None:
    report = services.report_start(actor=owner, task=task)
    assert services.report_start(actor=owner, task=task).pk == report.pk  # idempotent
    with pytest.raises(DomainError) as exc:
        services.report_submit(actor=owner, report=report)
    assert exc.value.code == "monitoring.fields_missing"
    report = services.report_submit(actor=owner, report=report, suggested_class="02", **BODY)
    task.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and task.status == TaskStatus.DONE and task.done_at
    with pytest.raises(DomainError) as exc:
        services.report_save(actor=owner, report=report, operations="x")
    assert exc.value.code == "monitoring.not_editable"
    with pytest.raises(DomainError) as exc:
        services.report_return(actor=dept_head, report=report, reason="  ")
    assert exc.value.code == "monitoring.reason_required"
    report = services.report_return(actor=dept_head, report=report, reason="请补充照片")
    task.refresh_from_db()
    assert report.state == ReportState.RETURNED and task.status == TaskStatus.OPEN and report.review_comment == "请补充照片"
    services.photo_add(
        actor=owner, report=report, upload=jpeg(exif_time="2026:03:01 10:20:30"), caption="车间", latitude="28.2", longitude="112.9"
    )
    report = services.report_submit(actor=owner, report=report)
    report = services.report_accept(actor=dept_head, report=report)
    assert report.state == ReportState.ACCEPTED and report.reviewed_by == dept_head
    assert list(report.transitions.values_list("action", flat=True)) == ["submit", "return", "submit", "accept"]
    photo = report.photos.get()
    assert photo.capture_source == "exif" and photo.captured_at.year == 2026 and photo.has_position
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_refusals(task: Any, owner: Any, colleague: Any, dept_head: Any, risk_manager: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.report_start(actor=colleague, task=task)
    assert exc.value.code == "monitoring.not_assignee"
    with pytest.raises(DomainError) as exc:
        services.report_start(actor=dept_head, task=task)
    assert exc.value.code == "monitoring.permission_denied"
    report = services.report_start(actor=owner, task=task)
    with pytest.raises(DomainError) as exc:
        services.report_save(actor=owner, report=report, inspection_date=TODAY + dt.timedelta(days=1))
    assert exc.value.code == "monitoring.date_invalid"
    with pytest.raises(DomainError) as exc:
        services.report_save(actor=owner, report=report, expected_version=report.version + 5, operations="x")
    assert exc.value.code == "monitoring.stale"
    with pytest.raises(DomainError) as exc:
        services.photo_add(actor=owner, report=report, upload=jpeg(), latitude="95", longitude="10")
    assert exc.value.code == "monitoring.position_invalid"
    report = services.report_submit(actor=owner, report=report, **BODY)
    with pytest.raises(DomainError) as exc:
        services.report_accept(actor=owner, report=report)
    assert exc.value.code == "monitoring.permission_denied"
    services.report_accept(actor=risk_manager, report=report)
    with pytest.raises(DomainError) as exc:
        services.report_accept(actor=dept_head, report=report)
    assert exc.value.code == "monitoring.transition_not_allowed"
    assert InspectionReport.objects.get(pk=report.pk).reviewed_by == risk_manager


def _second_task(task: Any) -> Any:
    """Another open task of the same manager (the pre-maturity check of the same plan)."""
    return task.plan.tasks.get(kind="pre_maturity")


def test_batch_is_atomic_and_idempotent(task: Any, owner: Any, colleague: Any) -> None:
    other = _second_task(task)
    shared = {"method": "on_site", "inspection_date": TODAY, "operations": "集中走访", "loan_use": "购买饲料"}
    # One task without a conclusion: nothing is written at all.
    with pytest.raises(DomainError) as exc:
        services.batch_inspect(actor=owner, tasks=[task, other], title="金禾村", shared=shared, outcomes={task.pk: ("正常", "01")})
    assert exc.value.code == "monitoring.fields_missing"
    assert not InspectionReport.objects.exists() and not InspectionBatch.objects.exists()
    assert InspectionTask.objects.filter(pk__in=[task.pk, other.pk], status=TaskStatus.OPEN).count() == 2
    with pytest.raises(DomainError) as exc:
        services.batch_inspect(actor=colleague, tasks=[task], title="x", shared=shared, outcomes={task.pk: ("正常", "01")})
    assert exc.value.code == "monitoring.batch_mixed"
    outcomes = {task.pk: ("正常", "01"), other.pk: ("关注", "02")}
    batch = services.batch_inspect(actor=owner, tasks=[task, other], title="金禾村", shared=shared, outcomes=outcomes, idempotency_key="k1")
    again = services.batch_inspect(actor=owner, tasks=[task, other], title="金禾村", shared=shared, outcomes=outcomes, idempotency_key="k1")
    assert again.pk == batch.pk and InspectionReport.objects.count() == 2
    reports = {r.task_id: r for r in batch.reports.all()}
    assert reports[other.pk].suggested_class == "02" and reports[task.pk].operations == "集中走访"
    assert all(r.state == ReportState.SUBMITTED for r in reports.values())
    assert InspectionTask.objects.filter(pk__in=[task.pk, other.pk], status=TaskStatus.DONE).count() == 2


def test_risk_events_and_public_selectors(guarantee: Any, owner: Any, outsider: Any, dept_head: Any) -> None:
    services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    with pytest.raises(DomainError) as exc:
        services.risk_event_record(
            actor=outsider, guarantee=guarantee, kind="litigation", severity="high", description="x", occurred_date=TODAY
        )
    assert exc.value.code == "monitoring.permission_denied"
    with pytest.raises(DomainError):
        services.risk_event_record(
            actor=dept_head, guarantee=guarantee, kind="litigation", severity="high", description="x", occurred_date=TODAY
        )
    event = services.risk_event_record(
        actor=owner, guarantee=guarantee, kind="litigation", severity="high", description="被起诉", occurred_date=TODAY
    )
    assert list(selectors.open_risk_events(guarantee)) == [event]
    services.risk_event_log(actor=owner, event=event, action="约谈实控人")
    event.refresh_from_db()
    assert event.state == "handling"
    with pytest.raises(DomainError) as exc:
        services.risk_event_close(actor=owner, event=event, conclusion=" ")
    assert exc.value.code == "monitoring.conclusion_required"
    services.risk_event_close(actor=owner, event=event, conclusion="已和解")
    assert not selectors.open_risk_events(guarantee).exists()
    assert RiskEvent.objects.get(pk=event.pk).entries.count() == 2
    with pytest.raises(DomainError) as exc:
        services.risk_event_log(actor=owner, event=event, action="x")
    assert exc.value.code == "monitoring.event_closed"
    first = guarantee.inspection_tasks.get(kind="first")
    assert list(selectors.missed_inspections(guarantee, first.due_date)) == []
    assert list(selectors.missed_inspections(guarantee, first.due_date + dt.timedelta(days=1))) == [first]
