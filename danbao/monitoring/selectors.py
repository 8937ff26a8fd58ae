"""Monitoring reads. Scope: everything hangs off a guarantee and is visible exactly when its project
is (`projects.selectors.project_list_for`); outside it answers 404 like a missing row.

Public for the early-warning and classification apps above: `open_risk_events(guarantee)` and
`missed_inspections(guarantee, on)`; `current_class(guarantee)` for pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from danbao.ledger.models import Guarantee
from danbao.monitoring import parameters
from danbao.monitoring.models import (
    RISK_CLASSES,
    InspectionReport,
    InspectionTask,
    MonitoringPlan,
    ReportPhoto,
    ReportState,
    RiskEvent,
    RiskEventEntry,
    RiskEventState,
    TaskStatus,
)
from danbao.projects.selectors import project_in_scope, project_list_for

VIEW = "monitoring.view"
INSPECT = "monitoring.task.inspect"
REVIEW = "monitoring.report.review"
RECORD = "monitoring.risk_event.record"
CLASS_LABELS = dict(RISK_CLASSES)
BATCH_WINDOW_DAYS = 31
TASK_RELATED = ("guarantee__project", "guarantee__customer", "guarantee__product_version__product", "assignee", "plan")


def class_label(code: str) -> str:
    return f"{code} {CLASS_LABELS.get(code, '')}".strip()


# --- access ---------------------------------------------------------------------------------------


def _in_scope(user: Any) -> Any:
    """Guarantee ids the user may see (own projects' A/B-role included)."""
    return Guarantee.objects.filter(
        Q(project__in=project_list_for(user).values("pk")) | Q(project__manager_a=user) | Q(project__manager_b=user)
    ).values("pk")


def guarantee_get_for(user: Any, pk: Any, request: Any = None) -> Guarantee:
    from danbao.org.scope import get_in_scope

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    queryset = Guarantee.objects.filter(pk__in=_in_scope(user)).select_related("project", "customer", "bank", "product_version__product")
    return get_in_scope(queryset, user, request, pk=pk)


def task_list_for(user: Any) -> QuerySet[InspectionTask]:
    return InspectionTask.objects.filter(guarantee__in=_in_scope(user)).select_related(*TASK_RELATED)


def task_get_for(user: Any, pk: Any, request: Any = None) -> InspectionTask:
    from danbao.org.scope import get_in_scope

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_in_scope(task_list_for(user), user, request, pk=pk)


def report_list_for(user: Any) -> QuerySet[InspectionReport]:
    return InspectionReport.objects.filter(guarantee__in=_in_scope(user)).select_related(
        "task", "guarantee__project", "guarantee__customer", "author", "reviewed_by", "batch"
    )


def report_get_for(user: Any, pk: Any, request: Any = None) -> InspectionReport:
    from danbao.org.scope import get_in_scope

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    queryset = report_list_for(user).prefetch_related(
        Prefetch("photos", queryset=ReportPhoto.objects.select_related("attachment", "uploaded_by"), to_attr="photo_list"),
        "transitions__actor",
    )
    return get_in_scope(queryset, user, request, pk=pk)


def event_list_for(user: Any) -> QuerySet[RiskEvent]:
    return RiskEvent.objects.filter(guarantee__in=_in_scope(user)).select_related(
        "guarantee__project", "guarantee__customer", "recorded_by", "closed_by"
    )


def event_get_for(user: Any, pk: Any, request: Any = None) -> RiskEvent:
    from danbao.org.scope import get_in_scope

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    queryset = event_list_for(user).prefetch_related(Prefetch("entries", queryset=RiskEventEntry.objects.select_related("actor")))
    return get_in_scope(queryset, user, request, pk=pk)


def may_review(user: Any, report: InspectionReport) -> bool:
    return (
        report.state == ReportState.SUBMITTED
        and user.can(REVIEW)
        and user.pk != report.author_id
        and project_in_scope(user, report.guarantee.project)
    )


def may_record_event(user: Any, guarantee: Guarantee) -> bool:
    if not user.can(RECORD):
        return False
    project = guarantee.project
    return user.pk in (project.manager_a_id, project.manager_b_id) or project_in_scope(user, project)


# --- task lists -----------------------------------------------------------------------------------


def my_tasks(user: Any, tab: str, on: date | None = None) -> QuerySet[InspectionTask]:
    """The user's own tasks: `soon` (open, due within the to-do window, not overdue), `overdue`,
    `open` (all open), `done`."""
    on = on or timezone.localdate()
    mine = InspectionTask.objects.filter(assignee=user).select_related(*TASK_RELATED)
    if tab == "overdue":
        return mine.filter(status=TaskStatus.OPEN, due_date__lt=on).order_by("due_date", "pk")
    if tab == "done":
        return mine.filter(status=TaskStatus.DONE).select_related("report").order_by("-done_at", "-pk")
    if tab == "open":
        return mine.filter(status=TaskStatus.OPEN).order_by("due_date", "pk")
    until = on + timedelta(days=parameters.value(parameters.TODO_DAYS, on))
    return mine.filter(status=TaskStatus.OPEN, due_date__gte=on, due_date__lte=until).order_by("due_date", "pk")


def tab_counts(user: Any, on: date | None = None) -> dict[str, int]:
    return {tab: my_tasks(user, tab, on).count() for tab in ("soon", "overdue", "done")}


def overdue_for(user: Any, on: date | None = None, escalated_only: bool = False) -> QuerySet[InspectionTask]:
    """Overdue open tasks in the user's scope (the department head's view)."""
    on = on or timezone.localdate()
    queryset = task_list_for(user).filter(status=TaskStatus.OPEN, due_date__lt=on).select_related("escalated_to")
    if escalated_only:
        queryset = queryset.filter(escalated_at__isnull=False)
    return queryset.order_by("due_date", "pk")


def reports_to_review(user: Any) -> QuerySet[InspectionReport]:
    if not user.can(REVIEW):
        return InspectionReport.objects.none()
    return report_list_for(user).filter(state=ReportState.SUBMITTED).exclude(author=user).order_by("submitted_at")


def batch_candidates(user: Any, on: date | None = None, product: str = "", place: str = "") -> QuerySet[InspectionTask]:
    """Open tasks of the user without a report yet, overdue or due within a month (a round of visits
    to one village covers the month's inspections)."""
    on = on or timezone.localdate()
    until = on + timedelta(days=BATCH_WINDOW_DAYS)
    queryset = (
        InspectionTask.objects.filter(assignee=user, status=TaskStatus.OPEN, due_date__lte=until, report__isnull=True)
        .select_related(*TASK_RELATED)
        .order_by("due_date", "pk")
    )
    if product:
        queryset = queryset.filter(guarantee__product_version__product_id=product)
    if place:
        queryset = queryset.filter(
            Q(guarantee__customer__name__icontains=place)
            | Q(guarantee__customer__household_address__icontains=place)
            | Q(guarantee__customer__operating_address__icontains=place)
            | Q(guarantee__customer__contact_address__icontains=place)
        )
    return queryset


# --- the guarantee's monitoring page --------------------------------------------------------------


def plan_of(guarantee: Guarantee) -> MonitoringPlan | None:
    return MonitoringPlan.objects.filter(guarantee=guarantee).prefetch_related("changes__actor").first()


def current_class(guarantee: Guarantee) -> str:
    plan = MonitoringPlan.objects.filter(guarantee=guarantee).values_list("risk_class", flat=True).first()
    return plan or "01"


def guarantee_page(guarantee: Guarantee, on: date | None = None) -> dict[str, Any]:
    on = on or timezone.localdate()
    tasks = list(InspectionTask.objects.filter(guarantee=guarantee).select_related("assignee", "report").order_by("planned_date", "pk"))
    reports = list(InspectionReport.objects.filter(guarantee=guarantee).select_related("author", "task").order_by("-inspection_date"))
    events = list(RiskEvent.objects.filter(guarantee=guarantee).select_related("recorded_by").prefetch_related("entries__actor"))
    timeline: list[dict[str, Any]] = []
    for r in reports:
        timeline.append({"date": r.inspection_date, "kind": "report", "obj": r})
    for e in events:
        timeline.append({"date": e.occurred_date, "kind": "event", "obj": e})
        for entry in e.entries.all():
            timeline.append({"date": entry.entry_date, "kind": "entry", "obj": entry, "event": e})
    plan = plan_of(guarantee)
    if plan:
        for change in plan.changes.all():
            timeline.append({"date": change.on_date, "kind": "replan", "obj": change})
    timeline.sort(key=lambda x: x["date"], reverse=True)
    return {
        "plan": plan,
        "tasks": tasks,
        "reports": reports,
        "events": events,
        "timeline": timeline,
        "today": on,
        "class_label": class_label(plan.risk_class if plan else "01"),
    }


# --- public selectors for the early-warning and classification apps -------------------------------


def open_risk_events(guarantee: Guarantee) -> QuerySet[RiskEvent]:
    """Risk events of the guarantee not yet closed (open or being handled), most severe first."""
    return RiskEvent.objects.filter(guarantee=guarantee).exclude(state=RiskEventState.CLOSED).order_by("severity", "-occurred_date")


def missed_inspections(guarantee: Guarantee, on: date) -> QuerySet[InspectionTask]:
    """Inspection tasks of the guarantee still open after their due date on `on`."""
    return InspectionTask.objects.filter(guarantee=guarantee, status=TaskStatus.OPEN, due_date__lt=on).order_by("due_date")


# --- the project dossier and to-dos ---------------------------------------------------------------


def dossier_section(user: Any, project: Any) -> dict[str, Any]:
    guarantee = Guarantee.objects.filter(project=project).first()
    if guarantee is None or not user.can(VIEW):
        return {"monitoring": None}
    today = timezone.localdate()
    tasks = InspectionTask.objects.filter(guarantee=guarantee).exclude(status=TaskStatus.SUPERSEDED)
    return {
        "monitoring": {
            "guarantee": guarantee,
            "class_label": class_label(current_class(guarantee)),
            "done": tasks.filter(status=TaskStatus.DONE).count(),
            "overdue": tasks.filter(status=TaskStatus.OPEN, due_date__lt=today).count(),
            "next": tasks.filter(status=TaskStatus.OPEN, due_date__gte=today).order_by("due_date").first(),
            "open_events": open_risk_events(guarantee).count(),
        }
    }
