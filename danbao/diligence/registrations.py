"""What the diligence app registers with the platform: permission codes and default grants, the
menu entry, attachment owners (checklist items, site visits), audit event names, to-dos, the demo hooks
of the projects demo and the readiness check before risk review."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.core import menu, workbench
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuItem
from danbao.diligence import selectors
from danbao.diligence.models import DiligenceMaterial, SiteVisit
from danbao.org import permissions, roles
from danbao.projects import demo_hooks, dossier
from danbao.projects.services.approval import REVIEW_SUBMIT_CHECKS

VIEW, WRITE, WAIVE = selectors.VIEW, selectors.WRITE, selectors.WAIVE

if "diligence" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "diligence",
            pgettext_lazy("diligence app", "Due diligence"),
            (
                (VIEW, _("View due-diligence reports, materials and site visits of projects in the data scope")),
                (WRITE, _("Write (A-role) or confirm (B-role) the due diligence of own projects")),
                (WAIVE, _("Waive checklist materials of projects in the data scope (department head)")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman", "committee_member"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("business_manager", WRITE)
roles.register_default_grants("dept_head", WAIVE)

if "diligence.mine" not in menu.items:
    menu.register_item(
        MenuItem(
            "diligence.mine",
            "projects",
            pgettext_lazy("diligence app", "Due diligence"),
            "diligence:project-list",
            VIEW,
            13,
            "ti-clipboard-search",
        )
    )


# --- attachment owners ----------------------------------------------------------------------------


def _material_view(user: Any, material: DiligenceMaterial) -> bool:
    return selectors.may_view(user, material.project)


def _material_change(user: Any, material: DiligenceMaterial) -> bool:
    project = material.project
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.can(WRITE)
        and selectors.is_manager(user, project)
        and selectors.diligence_open(project, selectors.current_report(project))
    )


def _visit_view(user: Any, visit: SiteVisit) -> bool:
    return selectors.may_view(user, visit.project)


def _visit_change(user: Any, visit: SiteVisit) -> bool:
    project = visit.project
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and not visit.is_voided
        and user.can(WRITE)
        and selectors.is_manager(user, project)
        and selectors.diligence_open(project, selectors.current_report(project))
    )


register_owner(
    DiligenceMaterial,
    can_view=_material_view,
    can_change=_material_change,
    kinds=[AttachmentKind("file", _("Checklist material"), allowed=("pdf", "jpg", "png", "docx", "xlsx", "ofd"), versioned=False)],
    replace=True,
)
register_owner(
    SiteVisit,
    can_view=_visit_view,
    can_change=_visit_change,
    kinds=[AttachmentKind("photo", _("Site photo"), allowed=("jpg", "png", "webp"), max_size_mb=25, versioned=False)],
    replace=True,
)


# --- audit names ----------------------------------------------------------------------------------

labels.register_group("diligence.", pgettext_lazy("diligence app", "Due diligence"))
labels.register_labels(
    {
        "diligence.report_started": _("Due-diligence report started"),
        "diligence.report_saved": _("Due-diligence report saved"),
        "diligence.report_signed": _("Due-diligence report signed by the A-role"),
        "diligence.report_returned": _("Due-diligence report returned by the B-role"),
        "diligence.report_confirmed": _("Due-diligence report confirmed by the B-role"),
        "diligence.report_reopened": _("Due-diligence report reopened"),
        "diligence.report_printed": _("Due-diligence report printed"),
        "diligence.material_waived": _("Checklist material waived"),
        "diligence.visit_recorded": _("Site visit recorded"),
        "diligence.visit_voided": _("Site visit voided"),
        "diligence.photo_added": _("Site photo added"),
    }
)


# --- workbench to-dos -----------------------------------------------------------------------------


def _todos(user: Any) -> list[workbench.Todo]:
    found: list[workbench.Todo] = []
    for report in selectors.reports_to_confirm(user)[:20]:
        project = report.project
        url = reverse("diligence:project-detail", args=[project.pk])
        found.append(workbench.Todo(_("Confirm due-diligence report"), f"{project.number} {project.customer.name}", url))
    for report in selectors.reports_returned_to(user)[:20]:
        project = report.project
        url = reverse("diligence:project-detail", args=[project.pk])
        found.append(workbench.Todo(_("Due-diligence report returned"), f"{project.number} {project.customer.name}", url, urgent=True))
    return found


if "diligence" not in workbench.providers:
    workbench.register(workbench.TodoProvider("diligence", pgettext_lazy("diligence app", "Due diligence"), _todos, WRITE))


# --- demo: the projects demo calls these as each project reaches the step --------------------------


def _diligence_started(project: Any) -> None:
    from danbao.diligence.demo import diligence_started

    diligence_started(project)


def _before_review(project: Any) -> None:
    from danbao.diligence.demo import before_review

    before_review(project)


if "diligence" not in demo_hooks.hooks:
    demo_hooks.register(demo_hooks.DemoHook("diligence", diligence_started=_diligence_started, before_review=_before_review))


# --- readiness before risk review -----------------------------------------------------------------

if selectors.review_submit_check not in REVIEW_SUBMIT_CHECKS:
    # Report signed by A and confirmed by B, materials uploaded or waived, a site visit.
    REVIEW_SUBMIT_CHECKS.append(selectors.review_submit_check)


# --- the project dossier --------------------------------------------------------------------------


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "diligence" not in dossier.sections:
    dossier.register(dossier.DossierSection("diligence", "diligence/_dossier_section.html", _dossier_context, 20))
