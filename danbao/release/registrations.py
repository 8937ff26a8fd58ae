"""What the release app registers with the platform: permission codes and default grants, menu,
attachment owners, audit names, to-dos, the archive readiness check and its demo step."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.core import demo, menu, workbench
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuItem
from danbao.org import permissions, roles
from danbao.projects import dossier
from danbao.release import selectors
from danbao.release.models import Release

VIEW, REGISTER = selectors.VIEW, selectors.REGISTER

if "release" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "release",
            pgettext_lazy("release app", "Release"),
            (
                (VIEW, _("View releases (解保) and their tasks of projects in the data scope")),
                (REGISTER, _("Register the bank's release notice of guarantees in the data scope")),
                (selectors.TASK_BUSINESS, _("Complete deregistration and guarantor release-letter tasks")),
                (selectors.TASK_CUSTODY, _("Complete the return of title documents out of custody")),
                (selectors.TASK_FINANCE, _("Complete margin-deposit refund tasks")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "finance", "archivist"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("business_manager", REGISTER, selectors.TASK_BUSINESS)
roles.register_default_grants("dept_head", REGISTER)
roles.register_default_grants("archivist", selectors.TASK_CUSTODY)
roles.register_default_grants("finance", selectors.TASK_FINANCE)


def _view(user: Any, release: Release) -> bool:
    return selectors.may_view(user, release.project)


def _change(user: Any, release: Release) -> bool:
    return selectors.may_register(user, release.guarantee)


register_owner(
    Release,
    can_view=_view,
    can_change=_change,
    kinds=[AttachmentKind("notice", _("Scan of the bank's release notice"), allowed=("pdf", "jpg", "png", "ofd"), required=True)],
    replace=True,
)

labels.register_group("release.", pgettext_lazy("audit area", "Release"))
labels.register_labels(
    {
        "release.registered": pgettext_lazy("audit event", "Release notice registered"),
        "release.task_completed": pgettext_lazy("audit event", "Release task completed"),
        "release.completed": pgettext_lazy("audit event", "Release completed"),
    }
)


# The archive (a floor above) asks `selectors.release_complete(project)` itself for its readiness line
# (danbao.archive.readiness fallback); the release app cannot import the archive.


# --- menu, to-dos, dossier, demo ------------------------------------------------------------------

for _item in (
    MenuItem("release.ready", "aftercare", _("Release (解保)"), "release:ready-list", VIEW, 40, "ti-lock-open"),
    MenuItem("release.tasks", "aftercare", _("My release tasks"), "release:task-list", VIEW, 42, "ti-checklist"),
):
    if _item.key not in menu.items:
        menu.register_item(_item)


def _todos(user: Any) -> list[workbench.Todo]:
    from django.urls import reverse

    return [
        workbench.Todo(
            pgettext_lazy("release app", "Release"),
            f"{task.get_kind_display()}：{task.release.project.number} {task.subject}",
            reverse("release:task-complete", args=[task.pk]),
        )
        for task in selectors.tasks_for(user)[:50]
    ]


if "release" not in workbench.providers:
    workbench.register(workbench.TodoProvider("release", pgettext_lazy("release app", "Release"), _todos, VIEW))


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "release" not in dossier.sections:
    dossier.register(dossier.DossierSection("release", "release/_dossier_section.html", _dossier_context, 80))


def _run_demo() -> str:
    from danbao.release.demo import seed

    return seed()


if "release" not in demo.steps:
    # After the ledger repayments (125) and before the archive (150).
    demo.register(demo.DemoStep("release", 145, _run_demo))
