"""Two approvers acting on the same task at the same moment: one succeeds, the other is told who did it."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from danbao.core.errors import DomainError
from danbao.workflow import services
from danbao.workflow.models import Action, FlowInstance, Task
from danbao.workflow.tests.conftest import EXECUTED, approval, linear, publish, users


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_approval_of_one_task(owner, dept_head, record):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    publish(linear(approval("n", users(dept_head))))
    instance = services.instance_start(actor=owner, flow_type="test.record", obj=record)
    task = Task.objects.get(instance=instance)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act() -> None:
        try:
            barrier.wait()
            services.task_approve(actor=dept_head, task=task, comment="同意")
            results.append("ok")
        except DomainError as exc:
            results.append(exc.message)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results)[0] == "ok" or "ok" in results
    assert results.count("ok") == 1
    refused = next(r for r in results if r != "ok")
    assert "孙部长" in refused or "孙部长" in refused.replace(" ", "")
    assert FlowInstance.objects.get(pk=instance.pk).status == "approved"
    assert Action.objects.filter(instance=instance, action="approve").count() == 1
    assert EXECUTED.count(("approved", record.pk)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_any_mode_approvals_of_two_tasks(owner, dept_head, colleague, record):
    """或签 with two people approving their own tasks at once: the node completes exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    publish(linear(approval("n", users(dept_head, colleague), mode="any")))
    instance = services.instance_start(actor=owner, flow_type="test.record", obj=record)
    tasks = {t.assignee_id: t for t in Task.objects.filter(instance=instance)}
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(user) -> None:
        try:
            barrier.wait()
            services.task_approve(actor=user, task=tasks[user.pk])
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(u,)) for u in (dept_head, colleague)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "workflow.task_handled"]
    assert EXECUTED.count(("approved", record.pk)) == 1
    assert Action.objects.filter(instance=instance, action="approved").count() == 1
