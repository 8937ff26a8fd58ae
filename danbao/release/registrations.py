"""What the release app registers with the platform: permission codes and default grants, menu,
attachment owners, audit names, to-dos, the archive readiness check and its demo step."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.archive import readiness
from danbao.audit import labels
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.checklist import ChecklistItem
from danbao.org import permissions, roles
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


def _readiness(project: Any) -> list[ChecklistItem]:
    ok = selectors.release_complete(project)
    detail = (
        gettext_now("The guarantee and every security are released.")
        if ok
        else gettext_now("The guarantee or a security is not released yet.")
    )
    return [ChecklistItem("release.done", gettext_now("Guarantee and securities released (解保)"), ok, detail)]


readiness.register("release", _readiness, replace=True)
