"""What the finance app registers with the platform: permission codes and default grants, menu,
audit names, to-dos, the project dossier section and its demo step."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.core import demo, menu, workbench
from danbao.core.menu import MenuItem
from danbao.core.money import format_amount
from danbao.finance import selectors
from danbao.org import permissions, roles
from danbao.projects import dossier

VIEW, PLAN, RECORD, APPROVE = selectors.VIEW, selectors.PLAN, selectors.RECORD, selectors.APPROVE

if "finance" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "finance",
            pgettext_lazy("finance app", "Finance"),
            (
                (VIEW, _("View fee schedules, receivables, receipts and deferrals of projects in the data scope")),
                (PLAN, _("Create fee schedules and request deferrals")),
                (RECORD, _("Record and reverse receipts")),
                (APPROVE, _("Approve or refuse deferrals requested by others")),
            ),
        )
    )

for _role in ("finance", "business_manager", "risk_manager", "dept_head", "general_manager"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("finance", PLAN, RECORD)
roles.register_default_grants("business_manager", PLAN)
roles.register_default_grants("dept_head", APPROVE)
roles.register_default_grants("general_manager", APPROVE)

for _key, _label, _url, _code, _order, _icon in (
    ("finance.receivables", pgettext_lazy("finance menu", "Receivables"), "finance:receivable-list", VIEW, 10, "ti-receipt"),
    ("finance.receipts", pgettext_lazy("finance menu", "Receipts"), "finance:receipt-list", VIEW, 20, "ti-cash-banknote"),
    ("finance.deferrals", pgettext_lazy("finance menu", "Deferral approvals"), "finance:deferral-queue", APPROVE, 30, "ti-calendar-time"),
):
    if _key not in menu.items:
        menu.register_item(MenuItem(_key, "finance", _label, _url, _code, _order, _icon))


# --- audit names ----------------------------------------------------------------------------------

labels.register_group("finance.", pgettext_lazy("finance app", "Finance"))
labels.register_labels(
    {
        "finance.plan_created": pgettext_lazy("audit event", "Fee schedule created"),
        "finance.plan_replanned": pgettext_lazy("audit event", "Fee schedule re-planned after a change of terms"),
        "finance.receipt_recorded": pgettext_lazy("audit event", "Receipt recorded"),
        "finance.receipt_reversed": pgettext_lazy("audit event", "Receipt reversed"),
        "finance.deferral_requested": pgettext_lazy("audit event", "Fee deferral requested"),
        "finance.deferral_approved": pgettext_lazy("audit event", "Fee deferral approved"),
        "finance.deferral_rejected": pgettext_lazy("audit event", "Fee deferral refused"),
        "finance.notice_printed": pgettext_lazy("audit event", "Fee notice printed"),
    }
)


# --- workbench to-dos -----------------------------------------------------------------------------


def _deferral_todos(user: Any) -> list[workbench.Todo]:
    found = []
    for deferral in selectors.deferrals_to_decide(user)[:20]:
        project = deferral.receivable.project
        found.append(
            workbench.Todo(
                _("Decide a fee deferral"),
                f"{project.number} {project.customer.name} · {selectors.receivable_label(deferral.receivable)}",
                reverse("finance:deferral-queue"),
                due_date=deferral.receivable.due_date,
            )
        )
    return found


def _overdue_todos(user: Any) -> list[workbench.Todo]:
    found = []
    for row in selectors.overdue_for(user)[:20]:
        project = row.project
        found.append(
            workbench.Todo(
                _("Overdue receivable"),
                f"{project.number} {project.customer.name} · {selectors.receivable_label(row)} {format_amount(row.outstanding)}",
                selectors.fee_url(project),
                due_date=row.effective_due,
                urgent=True,
            )
        )
    return found


if "finance.deferrals" not in workbench.providers:
    workbench.register(workbench.TodoProvider("finance.deferrals", pgettext_lazy("finance app", "Finance"), _deferral_todos, APPROVE))
if "finance.overdue" not in workbench.providers:
    workbench.register(workbench.TodoProvider("finance.overdue", pgettext_lazy("finance app", "Finance"), _overdue_todos, RECORD))


# --- demo -----------------------------------------------------------------------------------------


def _run_demo() -> str:
    from danbao.finance.demo import seed

    return seed()


if "finance" not in demo.steps:
    # After the projects (90) and their diligence (95): fee schedules and receipts of approved projects.
    demo.register(demo.DemoStep("finance", 104, _run_demo))


# --- the project dossier --------------------------------------------------------------------------


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "finance" not in dossier.sections:
    dossier.register(dossier.DossierSection("finance", "finance/_dossier_section.html", _dossier_context, 60))

from danbao.finance import parameters as _parameters  # noqa: E402
from danbao.system.seeds import register_parameter_seeder  # noqa: E402

register_parameter_seeder("finance", _parameters.ensure_parameters)
