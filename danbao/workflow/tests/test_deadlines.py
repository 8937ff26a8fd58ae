"""Deadlines in working days: reminders before and at expiry, escalation, idempotent sweep (time-machine)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danbao.core import calendar
from danbao.workflow import services
from danbao.workflow.models import Action, FlowInstance, Task
from danbao.workflow.tests.conftest import approval, linear, publish, users

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def package_calendar():
    with calendar.day_sources():
        yield


def at(d: date):
    return time_machine.travel(datetime(d.year, d.month, d.day, 9, 0, tzinfo=SH), tick=False)


def submit_on(d, owner, record, **node):
    with at(d):
        return services.instance_start(actor=owner, flow_type="test.record", obj=record)


def test_due_date_counts_working_days_over_the_national_day(owner, dept_head, record):
    publish(linear(approval("n", users(dept_head), deadline_days=2)))
    instance = submit_on(date(2025, 9, 30), owner, record)
    assert Task.objects.get(instance=instance).due_date == date(2025, 10, 10)


def test_reminders_before_and_at_expiry_once_each(owner, dept_head, record, django_capture_on_commit_callbacks):
    from danbao.notifications.models import Message

    publish(linear(approval("n", users(dept_head), deadline_days=3, remind_before_days=1)))
    instance = submit_on(date(2025, 6, 9), owner, record)  # Monday -> due Thursday 12 June
    task = Task.objects.get(instance=instance)
    assert task.due_date == date(2025, 6, 12)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadlines_check(today=date(2025, 6, 10)) == {"soon": 0, "due": 0, "escalated": 0}
        assert services.deadlines_check(today=date(2025, 6, 11))["soon"] == 1
        assert services.deadlines_check(today=date(2025, 6, 11))["soon"] == 0  # idempotent
        assert services.deadlines_check(today=date(2025, 6, 12))["due"] == 1
    assert Message.objects.filter(kind="workflow.task_reminder").count() == 1
    assert Message.objects.filter(kind="workflow.task_overdue").count() == 1
    assert FlowInstance.objects.get(pk=instance.pk).status == "running"  # no escalation configured


def test_escalation_to_the_superior(owner, colleague, dept_head, record):
    publish(linear(approval("n", users(colleague), deadline_days=1, escalation="superior")))
    instance = submit_on(date(2025, 6, 9), owner, record)
    task = Task.objects.get(instance=instance)
    with at(date(2025, 6, 11)):
        counts = services.deadlines_check()
    assert counts["escalated"] == 1
    task.refresh_from_db()
    assert task.status == "transferred"
    new = Task.objects.get(instance=instance, status="pending")
    assert new.assignee == dept_head
    assert Action.objects.filter(instance=instance, action="escalate").count() == 1
    assert services.deadlines_check(today=date(2025, 6, 12))["escalated"] == 0  # once per task


def test_escalation_by_automatic_approval(owner, colleague, record):
    publish(linear(approval("n", users(colleague), deadline_days=1, escalation="approve")))
    instance = submit_on(date(2025, 6, 9), owner, record)
    services.deadlines_check(today=date(2025, 6, 11))
    instance.refresh_from_db()
    assert instance.status == "approved"
    assert Action.objects.get(instance=instance, action="approve").actor is None


def test_the_job_is_tracked_and_registered_once(owner):
    from danbao.system.models import JobRun
    from danbao.system.services.jobs import DEFAULT_JOBS, jobs_ensure
    from danbao.workflow.tasks import check_deadlines

    assert sum(1 for j in DEFAULT_JOBS if j.task == "danbao.workflow.tasks.check_deadlines") == 1
    jobs_ensure()
    assert jobs_ensure() == 0
    check_deadlines()
    assert JobRun.objects.get(task_name="danbao.workflow.tasks.check_deadlines").status == "success"
