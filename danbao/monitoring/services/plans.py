"""Monitoring plans and their nightly upkeep: create the plans of in-force guarantees, generate and
roll forward their tasks, re-plan on a class change, remind and escalate.

Idempotent and restartable: plans are unique per guarantee, live tasks unique per (plan, kind,
planned date) and written with `bulk_create(ignore_conflicts=True)`; reminders and escalations are
stamped on the task and sent only for rows whose stamp this run set. Work goes in chunks of
guarantees/plans by primary key, each chunk in its own transaction, with a fixed number of queries
per chunk (no per-row queries), so a run over 200,000 guarantees stays linear and a crashed run just
starts again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from danbao.core import calendar
from danbao.ledger.models import Guarantee, GuaranteeState
from danbao.monitoring import calculations, errors, parameters
from danbao.monitoring.models import RISK_CLASSES, InspectionTask, MonitoringPlan, PlanChange, TaskKind, TaskStatus
from danbao.monitoring.services.common import audit, notify_after_commit

CHUNK = 2000
REVIEW = "monitoring.report.review"
CLASS_CODES = {code for code, _label in RISK_CLASSES}


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def _intervals(product_days: Any, fallback: dict[str, Any]) -> dict[str, int]:
    """The interval per class: the product version's value, else the parameter's, else the default."""
    out: dict[str, int] = {}
    for code in CLASS_CODES:
        for table in (product_days or {}, fallback, parameters.DEFAULT_INTERVALS):
            try:
                days = int((table or {}).get(code) or 0)
            except (TypeError, ValueError, AttributeError):
                days = 0
            if days >= 1:
                out[code] = days
                break
    return out


# --- plans ----------------------------------------------------------------------------------------


def plans_create_missing(on: date | None = None, *, guarantee_ids: list[int] | None = None) -> int:
    """Create the plan (class 01) of every in-force guarantee that has none; returns how many."""
    on = _today(on)
    fallback = parameters.value(parameters.INTERVALS, on)
    first_days = parameters.value(parameters.FIRST_DAYS, on)
    missing = Guarantee.objects.filter(state=GuaranteeState.IN_FORCE, monitoring_plan__isnull=True)
    if guarantee_ids is not None:
        missing = missing.filter(pk__in=guarantee_ids)
    created, last = 0, 0
    while True:
        rows = list(
            missing.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "start_date", "maturity_date", "product_version__monitoring_days")[:CHUNK]
        )
        if not rows:
            return created
        last = rows[-1][0]
        plans = []
        for pk, start, maturity, product_days in rows:
            interval = _intervals(product_days, fallback)["01"]
            first = calculations.compute_first_date(start, first_days)
            plans.append(
                MonitoringPlan(
                    guarantee_id=pk,
                    risk_class="01",
                    interval_days=interval,
                    anchor_date=calculations.compute_anchor(first, interval, on),
                    maturity_date=maturity,
                )
            )
        with transaction.atomic():
            before = MonitoringPlan.objects.filter(guarantee_id__in=[p.guarantee_id for p in plans]).count()
            MonitoringPlan.objects.bulk_create(plans, ignore_conflicts=True, batch_size=1000)
            created += MonitoringPlan.objects.filter(guarantee_id__in=[p.guarantee_id for p in plans]).count() - before


def plans_deactivate(on: date | None = None) -> int:
    """Plans of guarantees no longer in force (released, compensated): open tasks are superseded,
    the plan stops. Returns the number of plans stopped."""
    now = timezone.now()
    stopped = 0
    with transaction.atomic():
        ids = list(
            MonitoringPlan.objects.filter(active=True).exclude(guarantee__state=GuaranteeState.IN_FORCE).values_list("pk", flat=True)
        )
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            InspectionTask.objects.filter(plan_id__in=part, status=TaskStatus.OPEN).update(status=TaskStatus.SUPERSEDED, superseded_at=now)
            stopped += MonitoringPlan.objects.filter(pk__in=part).update(active=False)
    return stopped


def tasks_generate(on: date | None = None, *, plan_ids: list[int] | None = None) -> int:
    """Create the missing tasks of active plans up to the horizon (first, periodic, pre-maturity),
    moving the pre-maturity check when the maturity changed. Returns the number of tasks created."""
    on = _today(on)
    through = on + timedelta(days=parameters.value(parameters.HORIZON_DAYS, on))
    first_days = parameters.value(parameters.FIRST_DAYS, on)
    pre_days = parameters.value(parameters.PRE_MATURITY_DAYS, on)
    due_of = calculations.cached_next_workday(calendar.next_workday)
    now = timezone.now()
    pending = MonitoringPlan.objects.filter(active=True, guarantee__state=GuaranteeState.IN_FORCE).filter(
        Q(generated_through__isnull=True) | Q(generated_through__lt=through) | ~Q(maturity_date=F("guarantee__maturity_date"))
    )
    if plan_ids is not None:
        pending = pending.filter(pk__in=plan_ids)
    created, last = 0, 0
    while True:
        rows = list(
            pending.filter(pk__gt=last)
            .order_by("pk")
            .values(
                "pk",
                "guarantee_id",
                "risk_class",
                "interval_days",
                "anchor_date",
                "maturity_date",
                "guarantee__start_date",
                "guarantee__maturity_date",
                "guarantee__project__manager_a_id",
            )[:CHUNK]
        )
        if not rows:
            return created
        last = rows[-1]["pk"]
        ids = [r["pk"] for r in rows]
        with transaction.atomic():
            moved = [r for r in rows if r["maturity_date"] != r["guarantee__maturity_date"]]
            if moved:
                # Maturity moved (a later tranche): the open pre-maturity check is re-dated.
                InspectionTask.objects.filter(
                    plan_id__in=[r["pk"] for r in moved], kind=TaskKind.PRE_MATURITY, status=TaskStatus.OPEN
                ).update(status=TaskStatus.SUPERSEDED, superseded_at=now)
                for r in moved:
                    MonitoringPlan.objects.filter(pk=r["pk"]).update(maturity_date=r["guarantee__maturity_date"])
            live = set(
                InspectionTask.objects.filter(plan_id__in=ids)
                .exclude(status=TaskStatus.SUPERSEDED)
                .values_list("plan_id", "kind", "planned_date")
            )
            done_pre = set(
                InspectionTask.objects.filter(plan_id__in=ids, kind=TaskKind.PRE_MATURITY, status=TaskStatus.DONE).values_list(
                    "plan_id", flat=True
                )
            )
            had_first = set(InspectionTask.objects.filter(plan_id__in=ids, kind=TaskKind.FIRST).values_list("plan_id", flat=True))
            new: list[InspectionTask] = []
            for r in rows:
                planned = calculations.compute_plan(
                    start=r["guarantee__start_date"],
                    maturity=r["guarantee__maturity_date"],
                    anchor=r["anchor_date"],
                    interval=r["interval_days"],
                    through=through,
                    first_days=first_days,
                    pre_days=pre_days,
                    with_first=r["pk"] not in had_first,
                )
                for item in planned:
                    if (r["pk"], item.kind, item.planned_date) in live:
                        continue
                    if item.kind == TaskKind.PRE_MATURITY and r["pk"] in done_pre:
                        continue
                    new.append(
                        InspectionTask(
                            plan_id=r["pk"],
                            guarantee_id=r["guarantee_id"],
                            kind=item.kind,
                            planned_date=item.planned_date,
                            due_date=due_of(item.planned_date),
                            risk_class=r["risk_class"],
                            assignee_id=r["guarantee__project__manager_a_id"],
                        )
                    )
            if new:
                InspectionTask.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
                created += len(new)
            MonitoringPlan.objects.filter(pk__in=ids).update(generated_through=through)


def plan_generate(*, guarantee: Guarantee, on: date | None = None, actor: Any = None) -> MonitoringPlan:
    """The guarantee's plan with its tasks up to the horizon, created when missing (idempotent: a
    second call creates nothing)."""
    on = _today(on)
    if guarantee.state != GuaranteeState.IN_FORCE and not MonitoringPlan.objects.filter(guarantee=guarantee).exists():
        raise errors.NOT_IN_FORCE.error()
    created = plans_create_missing(on, guarantee_ids=[guarantee.pk])
    plan = MonitoringPlan.objects.get(guarantee=guarantee)
    tasks_generate(on, plan_ids=[plan.pk])
    if created:
        with transaction.atomic():
            audit("monitoring.plan_created", actor, plan, guarantee=guarantee.pk, interval=plan.interval_days)
    return plan


def plan_replan(*, actor: Any, guarantee: Guarantee, risk_class: str, reason: str, on: date | None = None) -> MonitoringPlan:
    """Change the plan's risk class: open periodic tasks planned after `on` are superseded and the
    periodic inspections restart from `on` at the new class's interval. Done and overdue tasks stay.
    `actor` None is the system (the classification run); a person needs the review permission."""
    on = _today(on)
    if actor is not None and (not getattr(actor, "is_active", False) or not actor.can(REVIEW)):
        raise errors.PERMISSION_DENIED.error()
    if risk_class not in CLASS_CODES:
        raise errors.CLASS_INVALID.error(value=risk_class, field="risk_class")
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    plan_generate(guarantee=guarantee, on=on, actor=actor)
    # Not durable: the classification app calls it inside the transaction that makes the class effective.
    with transaction.atomic():
        plan = MonitoringPlan.objects.select_for_update(of=("self",)).select_related("guarantee__product_version").get(guarantee=guarantee)
        if plan.risk_class == risk_class:
            raise errors.CLASS_UNCHANGED.error(value=risk_class)
        interval = _intervals(plan.guarantee.product_version.monitoring_days, parameters.value(parameters.INTERVALS, on))[risk_class]
        superseded = InspectionTask.objects.filter(plan=plan, kind=TaskKind.PERIODIC, status=TaskStatus.OPEN, planned_date__gt=on).update(
            status=TaskStatus.SUPERSEDED, superseded_at=timezone.now()
        )
        change = PlanChange.objects.create(
            plan=plan,
            from_class=plan.risk_class,
            to_class=risk_class,
            from_interval=plan.interval_days,
            to_interval=interval,
            superseded=superseded,
            reason=reason[:500],
            on_date=on,
            actor=actor,
            at=timezone.now(),
        )
        plan.risk_class, plan.interval_days, plan.anchor_date, plan.generated_through = risk_class, interval, on, None
        plan.save(update_fields=["risk_class", "interval_days", "anchor_date", "generated_through", "updated_at"])
        audit(
            "monitoring.plan_replanned",
            actor,
            plan,
            guarantee=guarantee.pk,
            **{"from": change.from_class, "to": risk_class, "reason": reason[:200]},
        )
    tasks_generate(on, plan_ids=[plan.pk])
    return plan


# --- reminders and escalation ---------------------------------------------------------------------


def _stamp(queryset: Any, field: str, now: Any, **extra: Any) -> list[dict[str, Any]]:
    """Stamp `field` on the rows of `queryset` still unstamped, returning those rows (lock first so
    two racing runs cannot both send)."""
    rows = list(
        queryset.filter(**{f"{field}__isnull": True})
        .select_for_update(of=("self",))
        .values("pk", "assignee_id", "due_date", "guarantee__project__department_id")
    )
    ids = [r["pk"] for r in rows]
    for start in range(0, len(ids), CHUNK):  # bounded IN lists (SQLite's variable limit, PostgreSQL plan size)
        InspectionTask.objects.filter(pk__in=ids[start : start + CHUNK]).update(**{field: now}, **extra)
    return rows


def _by(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        grouped[r[key]].append(r)
    return grouped


def tasks_remind(on: date | None = None) -> dict[str, int]:
    """Remind the assignee N working days before the due date and once overdue; escalate to the
    department head after M working days overdue. Each once per task and kind."""
    from danbao.workflow.assignees import department_heads

    on = _today(on)
    remind_before = parameters.value(parameters.REMIND_BEFORE, on)
    escalate_after = parameters.value(parameters.ESCALATE_AFTER, on)
    now = timezone.now()
    counts = {"soon": 0, "overdue": 0, "escalated": 0}
    open_tasks = InspectionTask.objects.filter(status=TaskStatus.OPEN, plan__active=True)
    mine = reverse("monitoring:task-list")
    with transaction.atomic():
        soon_until = calendar.add_workdays(on, remind_before) if remind_before > 0 else on
        rows = _stamp(open_tasks.filter(due_date__gte=on, due_date__lte=soon_until), "reminded_soon_at", now)
        for assignee, items in _by(rows, "assignee_id").items():
            first = min(r["due_date"] for r in items)
            notify_after_commit([assignee], "monitoring.task_due_soon", {"count": len(items), "due": first}, mine)
        counts["soon"] = len(rows)
    with transaction.atomic():
        rows = _stamp(open_tasks.filter(due_date__lt=on), "reminded_overdue_at", now)
        for assignee, items in _by(rows, "assignee_id").items():
            first = min(r["due_date"] for r in items)
            notify_after_commit([assignee], "monitoring.task_overdue", {"count": len(items), "due": first}, f"{mine}?tab=overdue")
        counts["overdue"] = len(rows)
    with transaction.atomic():
        due_dates = sorted(set(open_tasks.filter(due_date__lt=on, escalated_at__isnull=True).values_list("due_date", flat=True)))
        late = [d for d in due_dates if calendar.workdays_between(d, on) >= escalate_after]
        if late:
            rows = _stamp(open_tasks.filter(due_date__in=late), "escalated_at", now)
            heads_of: dict[Any, list[Any]] = {}
            for department_id, items in _by(rows, "guarantee__project__department_id").items():
                if department_id not in heads_of:
                    from danbao.org.models import Department

                    heads_of[department_id] = department_heads(Department.objects.filter(pk=department_id).first())
                heads = heads_of[department_id]
                if not heads:
                    continue
                ids = [r["pk"] for r in items]
                for start in range(0, len(ids), CHUNK):
                    InspectionTask.objects.filter(pk__in=ids[start : start + CHUNK]).update(escalated_to=heads[0])
                notify_after_commit(
                    [h.pk for h in heads], "monitoring.task_escalated", {"count": len(items)}, reverse("monitoring:overdue-list")
                )
            counts["escalated"] = len(rows)
    return counts


def monitoring_nightly(on: date | None = None) -> dict[str, int]:
    """The nightly job: parameters, missing plans, stopped plans, tasks rolled forward, reminders."""
    on = _today(on)
    parameters.ensure_parameters()
    counts = {"plans": plans_create_missing(on), "stopped": plans_deactivate(on), "tasks": tasks_generate(on)}
    counts.update(tasks_remind(on))
    return counts
