"""What the projects app registers with the platform: permission codes and default grants, menu
entries, the two workflow flow types, document kinds, audit event names, workbench to-dos, demo steps."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danbao.audit import labels
from danbao.core import demo, menu, workbench
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuItem
from danbao.org import permissions, roles
from danbao.projects.models import Project, ProjectState
from danbao.projects.services import common as c
from danbao.workflow import registry as flows

if "projects" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "projects",
            _("Projects"),
            (
                (c.VIEW, _("View projects in the data scope (library, dossier, approval letter)")),
                (c.INTAKE, _("Take applications, run due diligence, hand projects to risk review, withdraw")),
                (c.REVIEW, _("Write the risk review opinion and submit projects to approval")),
                (c.OVERRIDE, _("Decide intake exceptions of rules that allow an override")),
                (c.CHANGE, _("Request changes of approved projects")),
                (c.EXPORT, _("Export project lists")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman", "committee_member", "legal", "finance"):
    roles.register_default_grants(_role, c.VIEW)
roles.register_default_grants("business_manager", c.INTAKE, c.CHANGE, c.EXPORT)
roles.register_default_grants("risk_manager", c.REVIEW, c.EXPORT)
roles.register_default_grants("dept_head", c.OVERRIDE, c.EXPORT)
roles.register_default_grants("general_manager", c.OVERRIDE, c.EXPORT)

for _item in (
    MenuItem("projects.library", "projects", _("Project library"), "projects:project-list", c.VIEW, 10, "ti-folders"),
    MenuItem("projects.mine", "projects", _("My projects"), "projects:project-mine", c.INTAKE, 12, "ti-folder-star"),
    MenuItem("projects.intake", "projects", _("New application"), "projects:project-intake", c.INTAKE, 14, "ti-file-plus"),
    MenuItem("projects.review", "projects", _("Risk review queue"), "projects:review-queue", c.REVIEW, 16, "ti-shield-check"),
):
    if _item.key not in menu.items:
        menu.register_item(_item)


# --- workflow flow types ------------------------------------------------------------------------


def _approval_values(project: Project) -> dict[str, Any]:
    return {
        "amount": project.amount,
        "term_months": project.term_months,
        "product": project.product_version.product.code,
        "department": project.department_id,
        "manager_a": project.manager_a_id,
        "manager_b": project.manager_b_id,
    }


def _project_url(project: Project) -> str:
    return reverse("projects:project-detail", args=[project.pk])


def _approval_executor(name: str) -> Any:
    def run(obj: Any, *, instance: Any, actor: Any) -> None:
        from danbao.projects.services import approval

        getattr(approval, name)(obj, instance=instance, actor=actor)

    return run


def _change_executor(name: str) -> Any:
    def run(obj: Any, *, instance: Any, actor: Any) -> None:
        from danbao.projects.services import changes

        getattr(changes, name)(obj, instance=instance, actor=actor)

    return run


_FIELD_LABELS = {
    "amount": _("Amount (yuan)"),
    "term_months": _("Term (months)"),
    "product": _("Product code"),
    "department": _("Department id"),
    "manager_a": _("A-role manager"),
    "manager_b": _("B-role manager"),
}

flows.register(
    flows.FlowType(
        code=c.APPROVAL_FLOW_TYPE,
        label=_("Project approval"),
        model="projects.Project",
        fields={"amount": "decimal", "term_months": "int", "product": "str", "department": "int", "manager_a": "user", "manager_b": "user"},
        values=_approval_values,
        field_labels=_FIELD_LABELS,
        excluded_users=lambda p: {p.manager_a_id, p.manager_b_id},
        on_approved=_approval_executor("on_approved"),
        on_rejected=_approval_executor("on_rejected"),
        on_returned=_approval_executor("on_returned"),
        on_resubmitted=_approval_executor("on_resubmitted"),
        on_withdrawn=_approval_executor("on_withdrawn"),
        on_terminated=_approval_executor("on_terminated"),
        describe=lambda p: f"担保项目 {p.number} {p.customer.name} {p.amount:,.2f}元",
        department_of=lambda p: p.department,
        url_of=_project_url,
    ),
    replace=True,
)


def _change_values(change: Any) -> dict[str, Any]:
    project = change.project
    return {
        "amount": change.amount,
        "term_months": change.term_months,
        "product": project.product_version.product.code,
        "department": project.department_id,
        "manager_a": project.manager_a_id,
        "manager_b": project.manager_b_id,
    }


flows.register(
    flows.FlowType(
        code=c.CHANGE_FLOW_TYPE,
        label=_("Project change"),
        model="projects.ProjectChange",
        fields={"amount": "decimal", "term_months": "int", "product": "str", "department": "int", "manager_a": "user", "manager_b": "user"},
        values=_change_values,
        field_labels=_FIELD_LABELS,
        excluded_users=lambda ch: {ch.project.manager_a_id, ch.project.manager_b_id, ch.requested_by_id},
        on_approved=_change_executor("change_on_approved"),
        on_rejected=_change_executor("change_on_rejected"),
        on_withdrawn=_change_executor("change_on_ended"),
        on_terminated=_change_executor("change_on_ended"),
        describe=lambda ch: f"项目变更 {ch.project.number} 第{ch.number}次 {ch.amount:,.2f}元",
        department_of=lambda ch: ch.project.department,
        url_of=lambda ch: _project_url(ch.project),
    ),
    replace=True,
)


# --- documents ----------------------------------------------------------------------------------


def _visible(user: Any, project: Project) -> bool:
    from danbao.projects.selectors import project_in_scope

    if user is None or not getattr(user, "is_authenticated", False) or not user.can(c.VIEW):
        return False
    return project_in_scope(user, project)


def _changeable(user: Any, project: Project) -> bool:
    from danbao.projects.lifecycle import TERMINAL_STATES

    if project.state in TERMINAL_STATES and project.state != ProjectState.APPROVED:
        return False
    return _visible(user, project) and (user.can(c.INTAKE) or user.can(c.REVIEW))


register_owner(
    Project,
    can_view=_visible,
    can_change=_changeable,
    kinds=[
        AttachmentKind("application", _("Application form"), allowed=("pdf", "jpg", "png")),
        AttachmentKind("materials", _("Application materials")),
        AttachmentKind("diligence", _("Due-diligence documents")),
        AttachmentKind("site_photo", _("Site photos"), allowed=("jpg", "png")),
        AttachmentKind("review", _("Risk review documents")),
        AttachmentKind("approval", _("Approval documents"), allowed=("pdf", "jpg", "png")),
        AttachmentKind("other", _("Other documents")),
    ],
)


# --- audit names --------------------------------------------------------------------------------

labels.register_group("project.", _("Projects"))
labels.register_labels(
    {
        "project.accepted": _("Project accepted"),
        "project.override_requested": _("Intake exception requested"),
        "project.override_approved": _("Intake exception approved"),
        "project.override_rejected": _("Intake exception rejected"),
        "project.intake_refused": _("Application refused by the rules"),
        "project.withdrawn": _("Project withdrawn"),
        "project.diligence_started": _("Due diligence started"),
        "project.review_submitted": _("Project handed to risk review"),
        "project.review_returned": _("Project returned to due diligence"),
        "project.approval_submitted": _("Project submitted to approval"),
        "project.approval_resubmitted": _("Project resubmitted to approval"),
        "project.approval_refused": _("Submission to approval refused by the rules"),
        "project.assessed": _("Project risk assessment run"),
        "project.terms_written": _("Approved terms written"),
        "project.approved": _("Project approved"),
        "project.rejected": _("Project rejected"),
        "project.returned": _("Project returned for supplement"),
        "project.change_requested": _("Project change requested"),
        "project.change_approved": _("Project change approved"),
        "project.change_rejected": _("Project change rejected"),
        "project.change_withdrawn": _("Project change withdrawn"),
        "project.letter_printed": _("Approval letter printed"),
    }
)


# --- workbench to-dos ---------------------------------------------------------------------------


def _todos(user: Any) -> list[workbench.Todo]:
    from danbao.projects import selectors

    found: list[workbench.Todo] = []
    if user.can(c.REVIEW):
        for project in selectors.review_queue_for(user)[:20]:
            found.append(workbench.Todo(_("Risk review"), f"{project.number} {project.customer.name}", _project_url(project)))
    if user.can(c.OVERRIDE):
        for project in selectors.override_pending_for(user)[:20]:
            found.append(
                workbench.Todo(_("Intake exception"), f"{project.number} {project.customer.name}", _project_url(project), urgent=True)
            )
    return found


if "projects" not in workbench.providers:
    workbench.register(workbench.TodoProvider("projects", _("Projects"), _todos, c.VIEW))


# --- demo ---------------------------------------------------------------------------------------


def _run_flows_demo() -> str:
    from danbao.projects.demo import seed_flows

    return seed_flows()


def _run_demo() -> str:
    from danbao.projects.demo import seed

    return seed()


if "project_flows" not in demo.steps:
    # Before products (50): the demo products bind their approval bands to these flows.
    demo.register(demo.DemoStep("project_flows", 48, _run_flows_demo))
if "projects" not in demo.steps:
    demo.register(demo.DemoStep("projects", 90, _run_demo))
