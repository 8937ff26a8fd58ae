"""What the monitoring app registers with the platform: permission codes and default grants, menu,
attachment owners, message kinds, audit names, to-dos, the nightly job, the dossier section and its
demo step."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.core import demo, menu, workbench
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuItem
from danbao.monitoring import selectors
from danbao.monitoring.models import InspectionReport, RiskEventEntry
from danbao.notifications import registry as message_kinds
from danbao.notifications.registry import MessageKind
from danbao.org import permissions, roles
from danbao.projects import dossier
from danbao.system.services import jobs as system_jobs

VIEW, INSPECT, REVIEW, RECORD = selectors.VIEW, selectors.INSPECT, selectors.REVIEW, selectors.RECORD

if "monitoring" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "monitoring",
            pgettext_lazy("monitoring app", "Post-guarantee monitoring"),
            (
                (VIEW, _("View monitoring plans, inspection tasks, reports and risk events of guarantees in the data scope")),
                (INSPECT, _("Carry out own inspection tasks and write their reports (A-role manager)")),
                (REVIEW, _("Accept or return inspection reports and re-plan monitoring (department head, risk manager)")),
                (RECORD, _("Record and handle risk events of guarantees in the data scope")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("business_manager", INSPECT, RECORD)
roles.register_default_grants("dept_head", REVIEW)
roles.register_default_grants("risk_manager", REVIEW, RECORD)

for _item in (
    MenuItem("monitoring.tasks", "aftercare", _("My inspections"), "monitoring:task-list", INSPECT, 20, "ti-clipboard-check"),
    MenuItem("monitoring.overdue", "aftercare", _("Overdue inspections"), "monitoring:overdue-list", REVIEW, 22, "ti-alarm"),
    MenuItem("monitoring.reports", "aftercare", _("Inspection reports"), "monitoring:report-list", VIEW, 24, "ti-file-check"),
    MenuItem("monitoring.events", "aftercare", _("Risk events"), "monitoring:event-list", VIEW, 26, "ti-alert-triangle"),
):
    if _item.key not in menu.items:
        menu.register_item(_item)


# --- attachment owners ----------------------------------------------------------------------------


def _report_view(user: Any, report: InspectionReport) -> bool:
    return (
        bool(user and getattr(user, "is_authenticated", False) and user.can(VIEW))
        and selectors.report_list_for(user).filter(pk=report.pk).exists()
    )


def _report_change(user: Any, report: InspectionReport) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_active", False)
        and user.can(INSPECT)
        and report.editable
        and report.task.assignee_id == user.pk
    )


def _entry_view(user: Any, entry: RiskEventEntry) -> bool:
    return (
        bool(user and getattr(user, "is_authenticated", False) and user.can(VIEW))
        and selectors.event_list_for(user).filter(pk=entry.event_id).exists()
    )


def _entry_change(user: Any, entry: RiskEventEntry) -> bool:
    return bool(user is not None and getattr(user, "is_active", False)) and entry.actor_id == user.pk and entry.event.state != "closed"


register_owner(
    InspectionReport,
    can_view=_report_view,
    can_change=_report_change,
    kinds=[AttachmentKind("photo", _("Inspection photo"), allowed=("jpg", "png", "webp"), max_size_mb=25, versioned=False)],
    replace=True,
)
register_owner(
    RiskEventEntry,
    can_view=_entry_view,
    can_change=_entry_change,
    kinds=[AttachmentKind("file", _("Handling document"), allowed=("pdf", "jpg", "png", "docx", "xlsx", "ofd"), versioned=False)],
    replace=True,
)


# --- message kinds --------------------------------------------------------------------------------

for _kind in (
    MessageKind(
        "monitoring.task_due_soon",
        _("Inspections due soon"),
        _("{count} inspections due soon"),
        _("{count} post-guarantee inspections are due soon, the first on {due}."),
        {"count": "3", "due": "2026-06-30"},
    ),
    MessageKind(
        "monitoring.task_overdue",
        _("Inspections overdue"),
        _("{count} inspections overdue"),
        _("{count} post-guarantee inspections are overdue, the oldest due on {due}."),
        {"count": "2", "due": "2026-06-30"},
    ),
    MessageKind(
        "monitoring.task_escalated",
        _("Overdue inspections escalated"),
        _("{count} overdue inspections escalated to you"),
        _("{count} post-guarantee inspections of your department are overdue beyond the escalation limit."),
        {"count": "2"},
    ),
    MessageKind(
        "monitoring.report_returned",
        _("Inspection report returned"),
        _("Inspection report returned: {project}"),
        _("The inspection report of {project} was returned for rework: {reason}"),
        {"project": "DB-2026-0001", "reason": _("Please add photos of the collateral.")},
    ),
):
    if _kind.code not in message_kinds.kinds:
        message_kinds.register_kind(_kind)


# --- audit names ----------------------------------------------------------------------------------

labels.register_group("monitoring.", pgettext_lazy("audit area", "Post-guarantee monitoring"))
labels.register_labels(
    {
        "monitoring.plan_created": pgettext_lazy("audit event", "Monitoring plan created"),
        "monitoring.plan_replanned": pgettext_lazy("audit event", "Monitoring plan re-made for a new risk class"),
        "monitoring.report_started": pgettext_lazy("audit event", "Inspection report started"),
        "monitoring.report_saved": pgettext_lazy("audit event", "Inspection report saved"),
        "monitoring.report_submitted": pgettext_lazy("audit event", "Inspection report submitted"),
        "monitoring.report_accepted": pgettext_lazy("audit event", "Inspection report accepted"),
        "monitoring.report_returned": pgettext_lazy("audit event", "Inspection report returned"),
        "monitoring.photo_added": pgettext_lazy("audit event", "Inspection photo added"),
        "monitoring.batch_submitted": pgettext_lazy("audit event", "Batch inspection submitted"),
        "monitoring.risk_event_recorded": pgettext_lazy("audit event", "Risk event recorded"),
        "monitoring.risk_event_handled": pgettext_lazy("audit event", "Risk event handling recorded"),
        "monitoring.risk_event_closed": pgettext_lazy("audit event", "Risk event closed"),
    }
)


# --- workbench to-dos -----------------------------------------------------------------------------


def _todos(user: Any) -> list[workbench.Todo]:
    today = timezone.localdate()
    found: list[workbench.Todo] = []
    for task in selectors.my_tasks(user, "overdue", today)[:20]:
        found.append(
            workbench.Todo(
                _("Inspection overdue"),
                f"{task.guarantee.project.number} {task.guarantee.customer.name} · {task.get_kind_display()}",
                reverse("monitoring:task-detail", args=[task.pk]),
                due_date=task.due_date,
                urgent=True,
            )
        )
    for task in selectors.my_tasks(user, "soon", today)[:20]:
        found.append(
            workbench.Todo(
                _("Inspection due"),
                f"{task.guarantee.project.number} {task.guarantee.customer.name} · {task.get_kind_display()}",
                reverse("monitoring:task-detail", args=[task.pk]),
                due_date=task.due_date,
            )
        )
    for report in selectors.reports_to_review(user)[:20]:
        found.append(
            workbench.Todo(
                _("Review inspection report"),
                f"{report.guarantee.project.number} {report.guarantee.customer.name}",
                reverse("monitoring:report-detail", args=[report.pk]),
            )
        )
    return found


if "monitoring" not in workbench.providers:
    workbench.register(workbench.TodoProvider("monitoring", pgettext_lazy("monitoring app", "Post-guarantee monitoring"), _todos, VIEW))


# --- the nightly job ------------------------------------------------------------------------------

_JOB = system_jobs.DefaultJob(
    "保后检查计划与提醒",
    "danbao.monitoring.tasks.nightly",
    "15",
    "1",
    "每天 01:15 为新在保业务生成保后检查计划、向前滚动检查任务，发送到期前/逾期提醒并升级超期任务",
)
if not any(job.task == _JOB.task for job in system_jobs.DEFAULT_JOBS):
    system_jobs.DEFAULT_JOBS.append(_JOB)


# --- the project dossier --------------------------------------------------------------------------


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "monitoring" not in dossier.sections:
    dossier.register(dossier.DossierSection("monitoring", "monitoring/_dossier_section.html", _dossier_context, 70))


# --- demo -----------------------------------------------------------------------------------------


def _run_demo() -> str:
    from danbao.monitoring.demo import seed

    return seed()


if "monitoring" not in demo.steps:
    # After the ledger (120) has disbursed the demo guarantees.
    demo.register(demo.DemoStep("monitoring", 130, _run_demo))

from danbao.monitoring import parameters as _parameters  # noqa: E402
from danbao.system.seeds import register_parameter_seeder  # noqa: E402

register_parameter_seeder("monitoring", _parameters.ensure_parameters)
