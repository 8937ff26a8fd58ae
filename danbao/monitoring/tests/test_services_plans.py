"""Plans: generation from the product's rules, working-day due dates, re-planning, the nightly job's
idempotency, reminders and escalation on a controlled date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danbao.core.calendar import YearTable, day_sources, next_workday
from danbao.core.errors import DomainError
from danbao.ledger.tests.support import LOAN_DATE
from danbao.monitoring import services
from danbao.monitoring.models import InspectionTask, MonitoringPlan, PlanChange, TaskStatus
from danbao.monitoring.tests.support import maturity

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _live(plan: MonitoringPlan) -> list[tuple[str, dt.date]]:
    return list(plan.tasks.exclude(status=TaskStatus.SUPERSEDED).order_by("planned_date").values_list("kind", "planned_date"))


def test_plan_from_the_product_rules(guarantee: Any, owner: Any) -> None:
    plan = services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    assert (plan.risk_class, plan.interval_days) == ("01", 90)  # the product's 01 interval
    first = LOAN_DATE + 30 * DAY
    pre = maturity() - 30 * DAY
    # Horizon 90 days from the loan date: the first inspection and the pre-maturity check, no periodic yet.
    assert _live(plan) == [("first", first), ("pre_maturity", pre)]
    task = plan.tasks.get(kind="first")
    assert task.assignee == owner and task.due_date == next_workday(first) and task.risk_class == "01"
    # Rolling forward: 100 days later the next quarterly inspection exists.
    services.tasks_generate(LOAN_DATE + 100 * DAY)
    assert ("periodic", first + 90 * DAY) in _live(plan)


def test_plan_generate_is_idempotent(guarantee: Any) -> None:
    services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    before = InspectionTask.objects.count()
    services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    services.tasks_generate(LOAN_DATE)
    assert MonitoringPlan.objects.count() == 1 and InspectionTask.objects.count() == before


def test_nightly_creates_missing_plans_and_twice_creates_nothing_twice(guarantee: Any) -> None:
    on = LOAN_DATE + 200 * DAY
    first = services.monitoring_nightly(on)
    assert first["plans"] == 1 and first["tasks"] >= 3
    snapshot = list(
        InspectionTask.objects.order_by("pk").values_list("pk", "kind", "planned_date", "reminded_soon_at", "reminded_overdue_at")
    )
    second = services.monitoring_nightly(on)
    assert second == {"plans": 0, "stopped": 0, "tasks": 0, "soon": 0, "overdue": 0, "escalated": 0}
    assert (
        list(InspectionTask.objects.order_by("pk").values_list("pk", "kind", "planned_date", "reminded_soon_at", "reminded_overdue_at"))
        == snapshot
    )


def test_due_dates_are_working_days_across_a_holiday(guarantee: Any) -> None:
    first = LOAN_DATE + 30 * DAY
    holidays = {first + i * DAY: False for i in range(8)}  # an eight-day holiday starting on the planned date

    def source(year: int) -> YearTable | None:
        return YearTable({d: v for d, v in holidays.items() if d.year == year}) if year in {d.year for d in holidays} else None

    with day_sources(source):
        plan = services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
        task = plan.tasks.get(kind="first")
        assert task.planned_date == first
        assert task.due_date == next_workday(first + 8 * DAY) and task.due_date >= first + 8 * DAY


def test_fallback_interval_parameter_when_the_product_has_none(guarantee: Any, risk_manager: Any) -> None:
    services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    plan = services.plan_replan(actor=risk_manager, guarantee=guarantee, risk_class="03", reason="次级", on=LOAN_DATE + 40 * DAY)
    assert plan.interval_days == 14  # the product has no 03 interval: parameter monitoring_interval_days


def test_replan_supersedes_open_future_periodic_tasks_and_keeps_done_and_overdue(guarantee: Any, owner: Any, risk_manager: Any) -> None:
    on = LOAN_DATE + 200 * DAY
    plan = services.plan_generate(guarantee=guarantee, on=on)
    periodic = list(plan.tasks.filter(kind="periodic").order_by("planned_date"))
    assert periodic, "a late plan has its periodic tasks"
    done = plan.tasks.get(kind="first")
    InspectionTask.objects.filter(pk=done.pk).update(status=TaskStatus.DONE)
    overdue = [t for t in periodic if t.due_date < on]
    future = [t for t in periodic if t.planned_date > on]
    plan = services.plan_replan(actor=risk_manager, guarantee=guarantee, risk_class="02", reason="经营下滑", on=on)
    assert (plan.risk_class, plan.interval_days, plan.anchor_date) == ("02", 30, on)
    assert InspectionTask.objects.get(pk=done.pk).status == TaskStatus.DONE
    for task in overdue:
        assert InspectionTask.objects.get(pk=task.pk).status == TaskStatus.OPEN
    for task in future:
        assert InspectionTask.objects.get(pk=task.pk).status == TaskStatus.SUPERSEDED
    new = list(plan.tasks.filter(kind="periodic", status=TaskStatus.OPEN, planned_date__gt=on).order_by("planned_date"))
    assert [t.planned_date for t in new][:3] == [on + 30 * DAY, on + 60 * DAY, on + 90 * DAY]
    assert all(t.risk_class == "02" for t in new)
    change = PlanChange.objects.get(plan=plan)
    assert (change.from_class, change.to_class, change.superseded, change.actor) == ("01", "02", len(future), risk_manager)
    assert InspectionTask.objects.count() == len(set(InspectionTask.objects.values_list("pk", flat=True)))  # nothing deleted


def test_replan_refusals(guarantee: Any, owner: Any, risk_manager: Any) -> None:
    services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    with pytest.raises(DomainError) as exc:
        services.plan_replan(actor=owner, guarantee=guarantee, risk_class="02", reason="x", on=LOAN_DATE)
    assert exc.value.code == "monitoring.permission_denied"
    with pytest.raises(DomainError) as exc:
        services.plan_replan(actor=risk_manager, guarantee=guarantee, risk_class="09", reason="x", on=LOAN_DATE)
    assert exc.value.code == "monitoring.class_invalid"
    with pytest.raises(DomainError) as exc:
        services.plan_replan(actor=risk_manager, guarantee=guarantee, risk_class="01", reason="x", on=LOAN_DATE)
    assert exc.value.code == "monitoring.class_unchanged"
    with pytest.raises(DomainError) as exc:
        services.plan_replan(actor=risk_manager, guarantee=guarantee, risk_class="02", reason=" ", on=LOAN_DATE)
    assert exc.value.code == "monitoring.reason_required"
    # The system (classification run) may re-plan without a person.
    assert services.plan_replan(actor=None, guarantee=guarantee, risk_class="02", reason="分类结果", on=LOAN_DATE).risk_class == "02"


def _messages(kind: str) -> list[Any]:
    from danbao.notifications.models import Message

    return list(Message.objects.filter(kind=kind).prefetch_related("recipients__user"))


def test_reminders_and_escalation_once_each_on_a_controlled_date(
    guarantee: Any, owner: Any, dept_head: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from danbao.core.calendar import add_workdays

    plan = services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    task = plan.tasks.get(kind="first")
    # Four working days before the due date: nothing yet (reminder 3 working days before).
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tasks_remind(add_workdays(task.due_date, -4))["soon"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tasks_remind(add_workdays(task.due_date, -3))["soon"] == 1
        assert services.tasks_remind(add_workdays(task.due_date, -1))["soon"] == 0  # once per task and kind
    [soon] = _messages("monitoring.task_due_soon")
    assert [r.user for r in soon.recipients.all()] == [owner]
    # Overdue the next working day; escalated to the department head after five working days.
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.tasks_remind(add_workdays(task.due_date, 1))
    assert (counts["overdue"], counts["escalated"]) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tasks_remind(add_workdays(task.due_date, 4))["escalated"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.tasks_remind(add_workdays(task.due_date, 5))
        again = services.tasks_remind(add_workdays(task.due_date, 9))
    assert (counts["escalated"], counts["overdue"], again["escalated"]) == (1, 0, 0)
    task.refresh_from_db()
    assert task.escalated_to == dept_head and task.escalated_at is not None
    assert len(_messages("monitoring.task_overdue")) == 1
    [escalation] = _messages("monitoring.task_escalated")
    assert [r.user for r in escalation.recipients.all()] == [dept_head]


def test_done_tasks_are_not_reminded(guarantee: Any) -> None:
    plan = services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    plan.tasks.update(status=TaskStatus.DONE)
    assert services.tasks_remind(maturity()) == {"soon": 0, "overdue": 0, "escalated": 0}


def test_maturity_moved_redates_the_pre_maturity_check(guarantee: Any) -> None:
    plan = services.plan_generate(guarantee=guarantee, on=LOAN_DATE)
    old = plan.tasks.get(kind="pre_maturity")
    new_maturity = maturity() + 60 * DAY
    type(guarantee).objects.filter(pk=guarantee.pk).update(maturity_date=new_maturity)
    services.tasks_generate(LOAN_DATE + DAY)
    old.refresh_from_db()
    assert old.status == TaskStatus.SUPERSEDED
    assert plan.tasks.get(kind="pre_maturity", status=TaskStatus.OPEN).planned_date == new_maturity - 30 * DAY
