"""Pages: who sees them (scope, permission), who gets 403/404, and the happy paths through the forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from danbao.ledger.tests.support import TODAY
from danbao.monitoring import services
from danbao.monitoring.models import InspectionBatch, InspectionReport, InspectionTask, ReportState, RiskEvent, TaskStatus
from danbao.monitoring.tests.support import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(guarantee: Any) -> Any:
    return services.plan_generate(guarantee=guarantee, on=TODAY).tasks.get(kind="first")


def _u(name: str, *args: Any) -> str:
    return reverse(f"monitoring:{name}", args=args)


def test_pages_scope_and_permissions(
    client_for: Any,
    task: Any,
    guarantee: Any,
    owner: Any,
    colleague: Any,
    outsider: Any,
    dept_head: Any,
    risk_manager: Any,
    nobody: Any,
    sysadmin: Any,
) -> None:
    report = services.report_submit(
        actor=owner, report=services.report_start(actor=owner, task=task), operations="a", loan_use="b", conclusion="c"
    )
    event = services.risk_event_record(actor=owner, guarantee=guarantee, kind="fraud", severity="low", description="d", occurred_date=TODAY)
    detail_pages = [
        _u("task-detail", task.pk),
        _u("report-detail", report.pk),
        _u("guarantee-detail", guarantee.pk),
        _u("event-detail", event.pk),
    ]
    for user in (owner, dept_head, risk_manager):
        for page in detail_pages:
            assert client_for(user).get(page).status_code == 200, (user, page)
    for user in (colleague, outsider):  # a business manager sees own projects only
        for page in detail_pages:
            assert client_for(user).get(page).status_code == 404, (user, page)
    for user in (nobody, sysadmin):
        for page in [*detail_pages, _u("task-list"), _u("report-list"), _u("event-list")]:
            assert client_for(user).get(page).status_code == 403, (user, page)
    # Lists: the business manager's own tasks, the department head's overdue view.
    assert client_for(owner).get(_u("task-list")).status_code == 200
    assert client_for(owner).get(_u("batch")).status_code == 200
    assert client_for(owner).get(_u("overdue-list")).status_code == 403
    assert client_for(dept_head).get(_u("overdue-list")).status_code == 200
    assert client_for(dept_head).get(_u("task-list")).status_code == 403
    for user in (owner, dept_head, risk_manager):
        for page in (_u("report-list"), _u("event-list")):
            response = client_for(user).get(page)
            assert response.status_code == 200 and guarantee.project.number in response.content.decode(), (user, page)
    assert guarantee.project.number not in client_for(colleague).get(_u("report-list")).content.decode()
    # Recording a risk event: business and risk managers in scope; the department head only views.
    assert client_for(owner).get(_u("event-create", guarantee.pk)).status_code == 200
    assert client_for(risk_manager).get(_u("event-create", guarantee.pk)).status_code == 200
    assert client_for(dept_head).get(_u("event-create", guarantee.pk)).status_code == 403
    assert client_for(colleague).get(_u("event-create", guarantee.pk)).status_code == 404
    assert client_for(nobody).get(_u("batch")).status_code == 403
    # Only the assignee may post a report on the task page.
    assert client_for(risk_manager).post(_u("task-detail", task.pk), {"action": "save"}).status_code == 403
    # The project dossier shows the section.
    assert "dossier-monitoring" in client_for(owner).get(reverse("projects:project-detail", args=[guarantee.project.pk])).content.decode()


def test_inspection_from_the_task_page_to_acceptance(client_for: Any, task: Any, owner: Any, dept_head: Any) -> None:
    client = client_for(owner)
    page = client.get(_u("task-list") + "?tab=open").content.decode()
    assert _u("task-detail", task.pk) in page
    data = {
        "method": "on_site",
        "inspection_date": TODAY.isoformat(),
        "operations": "生产正常",
        "loan_use": "",
        "conclusion": "",
        "suggested_class": "01",
    }
    response = client.post(_u("task-detail", task.pk), {**data, "action": "save"})
    assert response.status_code == 302
    report = InspectionReport.objects.get(task=task)
    assert report.state == ReportState.DRAFT and report.operations == "生产正常"
    response = client.post(
        _u("task-detail", task.pk),
        {"action": "photo", "photo": jpeg(), "caption": "车间", "latitude": "28.1", "longitude": "112.9", "accuracy": "12"},
    )
    assert response.status_code == 302 and report.photos.count() == 1
    # Submitting with a missing part re-renders the form with the message, nothing changes.
    response = client.post(_u("task-detail", task.pk), {**data, "action": "submit", "version": report.version + 1})
    assert response.status_code == 200 and InspectionReport.objects.get(pk=report.pk).state == ReportState.DRAFT
    report.refresh_from_db()
    response = client.post(
        _u("task-detail", task.pk), {**data, "loan_use": "购买原材料", "conclusion": "正常", "action": "submit", "version": report.version}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    head = client_for(dept_head)
    assert _u("report-detail", report.pk) in head.get(_u("overdue-list")).content.decode()
    assert head.post(_u("report-return", report.pk), {"reason": "补充"}).status_code == 302
    assert InspectionReport.objects.get(pk=report.pk).state == ReportState.RETURNED
    report.refresh_from_db()
    client = client_for(owner)  # one test client: signing in again switches the user
    response = client.post(
        _u("task-detail", task.pk), {**data, "loan_use": "购买原材料", "conclusion": "正常", "action": "submit", "version": report.version}
    )
    assert response.status_code == 302 and InspectionReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED
    head = client_for(dept_head)
    assert head.post(_u("report-accept", report.pk), {"comment": "同意"}).status_code == 302
    assert InspectionReport.objects.get(pk=report.pk).state == ReportState.ACCEPTED
    # The author cannot accept (403 without the permission).
    client = client_for(owner)
    assert client.post(_u("report-accept", report.pk)).status_code == 403


def test_batch_page_and_events_and_replan(client_for: Any, task: Any, guarantee: Any, owner: Any, risk_manager: Any) -> None:
    other = task.plan.tasks.get(kind="pre_maturity")
    client = client_for(owner)
    page = client.get(_u("batch")).content.decode()
    assert f'value="{task.pk}"' in page and f'value="{other.pk}"' not in page  # due within a month
    post = {
        "title": "金禾村",
        "method": "on_site",
        "inspection_date": TODAY.isoformat(),
        "operations": "集中走访",
        "loan_use": "购买农资",
        "key": "abc",
        "task": [str(task.pk), str(other.pk)],
        f"conclusion_{task.pk}": "正常",
        f"class_{task.pk}": "01",
        f"conclusion_{other.pk}": "正常",
        f"class_{other.pk}": "01",
    }
    response = client.post(_u("batch"), post)
    # The pre-maturity check is not in the batch window (a month): only the listed task is reported.
    assert response.status_code == 302
    batch = InspectionBatch.objects.get()
    assert [r.task_id for r in batch.reports.all()] == [task.pk]
    task.refresh_from_db()
    other.refresh_from_db()
    assert (task.status, other.status) == (TaskStatus.DONE, TaskStatus.OPEN)
    assert client.post(_u("batch"), post).status_code == 302 and InspectionBatch.objects.count() == 1  # same key: once
    response = client.post(
        _u("event-create", guarantee.pk),
        {"kind": "litigation", "severity": "high", "occurred_date": TODAY.isoformat(), "description": "被起诉"},
    )
    event = RiskEvent.objects.get()
    assert response.status_code == 302 and event.state == "open"
    client.post(_u("event-detail", event.pk), {"entry_date": TODAY.isoformat(), "action": "约谈"})
    client.post(_u("event-detail", event.pk), {"action": "close", "conclusion": "已和解"})
    assert RiskEvent.objects.get().state == "closed"
    assert client.get(_u("event-list") + "?state=closed").status_code == 200
    # Re-plan from the guarantee's page (risk manager).
    assert client.post(_u("guarantee-replan", guarantee.pk), {"risk_class": "02", "reason": "x"}).status_code == 403
    assert (
        client_for(risk_manager).post(_u("guarantee-replan", guarantee.pk), {"risk_class": "02", "reason": "经营下滑"}).status_code == 302
    )
    guarantee.monitoring_plan.refresh_from_db()
    assert guarantee.monitoring_plan.risk_class == "02"


def test_workbench_todos(client_for: Any, task: Any, owner: Any) -> None:
    from danbao.monitoring.registrations import _todos

    assert not any(t.url == _u("task-detail", task.pk) for t in _todos(owner))  # due in 25 days: not yet
    # Time passes (the controllable clock of the pages is today): the task falls due in three days, then is overdue.
    InspectionTask.objects.filter(pk=task.pk).update(planned_date=TODAY, due_date=TODAY + dt.timedelta(days=3))
    [todo] = [t for t in _todos(owner) if t.url == _u("task-detail", task.pk)]
    assert not todo.urgent
    InspectionTask.objects.filter(pk=task.pk).update(planned_date=TODAY - dt.timedelta(days=9), due_date=TODAY - dt.timedelta(days=8))
    [todo] = [t for t in _todos(owner) if t.url == _u("task-detail", task.pk)]
    assert todo.urgent
