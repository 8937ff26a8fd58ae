"""Scheduled jobs: tracked_job run log, default jobs, enable/disable, run now, pages, overview."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from danbao.core.errors import DomainError
from danbao.system.jobs import INTERRUPTED, tracked_job
from danbao.system.models import JobRun
from danbao.system.services import jobs as services
from danbao.system.tasks import check_calendar_coverage
from danbao.system.tests.conftest import events

pytestmark = pytest.mark.django_db


def test_tracked_job_records_success_and_summary() -> None:
    @tracked_job(name="tests.ok")
    def ok() -> str:
        return "3 rows checked"

    assert ok() == "3 rows checked"
    run = JobRun.objects.get(task_name="tests.ok")
    assert run.status == "success" and run.summary == "3 rows checked" and run.finished_at is not None


def test_tracked_job_records_the_error_class_and_message_only() -> None:
    @tracked_job(name="tests.fail")
    def fail() -> None:
        raise ValueError("bank file missing")

    with pytest.raises(ValueError):
        fail()
    run = JobRun.objects.get(task_name="tests.fail")
    assert run.status == "failure"
    assert run.error == "ValueError: bank file missing"
    assert "Traceback" not in run.error


def test_a_run_left_running_by_a_dead_worker_is_closed_on_restart() -> None:
    stale = JobRun.objects.create(task_name="tests.restart", started_at=timezone.now() - timedelta(hours=7))

    @tracked_job(name="tests.restart")
    def again() -> str:
        return "done"

    again()
    stale.refresh_from_db()
    assert stale.status == "failure" and stale.error == INTERRUPTED
    assert JobRun.objects.filter(task_name="tests.restart", status="success").count() == 1


def test_check_calendar_coverage_records_next_year(time_machine) -> None:
    time_machine.move_to("2026-11-29 06:00+08:00")
    check_calendar_coverage.delay()
    run = JobRun.objects.get(task_name="danbao.system.tasks.check_calendar_coverage")
    assert run.status == "success"
    assert "2027" in run.summary and "周一至周五" in run.summary


def test_default_jobs_are_registered_once_and_keep_admin_changes(sysadmin) -> None:
    assert services.jobs_ensure() == len(services.DEFAULT_JOBS)  # platform jobs plus those higher apps add
    nightly = PeriodicTask.objects.get(task="danbao.org.tasks.disable_dormant_accounts")
    assert (nightly.crontab.hour, nightly.crontab.minute) == ("1", "30")
    services.job_set_enabled(actor=sysadmin, task=nightly, enabled=False)
    assert services.jobs_ensure() == 0
    nightly.refresh_from_db()
    assert not nightly.enabled
    assert events("system.job_changed")[-1].data == {
        "action": "disable",
        "task": nightly.task,
        "before": {"enabled": True},
        "after": {"enabled": False},
    }


def test_run_now_runs_the_task_and_is_audited(sysadmin, owner, django_capture_on_commit_callbacks) -> None:
    services.jobs_ensure()
    task = PeriodicTask.objects.get(task="danbao.system.tasks.check_calendar_coverage")
    with django_capture_on_commit_callbacks(execute=True):
        services.job_run_now(actor=sysadmin, task=task)
    assert JobRun.objects.filter(task_name=task.task, status="success").exists()
    assert events("system.job_changed")[-1].data["action"] == "run_now"
    with pytest.raises(DomainError) as exc:
        services.job_run_now(actor=owner, task=task)
    assert exc.value.code == "system.permission_denied"


def test_run_now_of_a_task_that_is_not_installed(sysadmin) -> None:
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
    task = PeriodicTask.objects.create(name="ghost", task="danbao.nowhere.tasks.ghost", interval=every_hour)
    with pytest.raises(DomainError) as exc:
        services.job_run_now(actor=sysadmin, task=task)
    assert exc.value.code == "system.job_unknown_task"


@pytest.mark.parametrize(("who", "status"), [("sysadmin", 200), ("owner", 403), ("secadmin", 403)])
def test_job_pages_permission(request, client_for, who, status) -> None:
    services.jobs_ensure()
    task = PeriodicTask.objects.get(task="danbao.system.tasks.check_calendar_coverage")
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("system:job-list")).status_code == status
    assert client.get(reverse("system:job-log", args=[task.pk])).status_code == status
    assert client.post(reverse("system:job-toggle", args=[task.pk])).status_code == (302 if status == 200 else 403)


@pytest.mark.django_db(transaction=True)  # "run now" sends the task on commit, as in production
def test_job_list_shows_schedule_and_run_now_reports_the_result(client_for, sysadmin) -> None:
    services.jobs_ensure()
    task = PeriodicTask.objects.get(task="danbao.system.tasks.check_calendar_coverage")
    client = client_for(sysadmin)
    html = client.get(reverse("system:job-list")).content.decode()
    assert "每天 01:30" in html and "danbao.org.tasks.disable_dormant_accounts" in html
    response = client.post(reverse("system:job-run", args=[task.pk]), follow=True)
    assert "“检查节假日维护情况”执行完成" in response.content.decode()
    log = client.get(reverse("system:job-log", args=[task.pk])).content.decode()
    assert "2027" in log or str(timezone.localdate().year + 1) in log
    assert client.get(reverse("system:job-log", args=[99999])).status_code == 404


def test_overview_shows_warning_counts_and_failures(client_for, sysadmin, owner, time_machine) -> None:
    time_machine.move_to("2026-11-29 10:00+08:00")
    JobRun.objects.create(task_name="tests.broken", started_at=timezone.now(), status="failure", error="OSError: disk full")
    response = client_for(sysadmin).get(reverse("system:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2027 年节假日安排尚未维护，按周一至周五计算工作日" in html
    assert "OSError: disk full" in html
    assert client_for(owner).get(reverse("system:overview")).status_code == 403
