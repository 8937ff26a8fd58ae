"""What the letters app registers with the platform: permission codes and default grants, menu,
attachment owners (evidence of a condition precedent), audit names, to-dos, the dossier section and
its demo step."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.core import demo, menu, workbench
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuItem
from danbao.letters import selectors
from danbao.letters.models import ConditionItem, ConditionState
from danbao.org import permissions, roles
from danbao.projects import dossier
from danbao.projects.selectors import project_in_scope

VIEW, ISSUE, VOID, RELEASE, EXPORT = selectors.VIEW, selectors.ISSUE, selectors.VOID, selectors.RELEASE, selectors.EXPORT
MARK, CONFIRM = selectors.MARK, selectors.CONFIRM

if "letters" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "letters",
            pgettext_lazy("letters app", "Guarantee letters"),
            (
                (VIEW, _("View the pre-issue checklist and the letters of projects in the data scope")),
                (MARK, _("Mark the conditions precedent of own projects as met or not applicable")),
                (CONFIRM, _("Confirm or send back the conditions precedent marked by a business manager")),
                (ISSUE, _("Issue guarantee letters and intent letters of projects in the data scope (not own projects)")),
                (VOID, _("Void letters of projects in the data scope")),
                (RELEASE, _("Release guarantee letters when the guaranteed loan is repaid")),
                (EXPORT, _("Export the letters register")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "archivist", "legal", "finance"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("business_manager", MARK)
roles.register_default_grants("risk_manager", CONFIRM)
# The business department issues the letter once risk has confirmed the conditions: its head (or the
# general manager), never the project's own A/B-role manager (the service refuses that).
roles.register_default_grants("dept_head", ISSUE, VOID, RELEASE, EXPORT)
roles.register_default_grants("general_manager", ISSUE, VOID, RELEASE, EXPORT)
roles.register_default_grants("archivist", EXPORT)

for _item in (
    MenuItem("letters.checklist", "projects", _("Pre-issue checklist"), "letters:project-list", VIEW, 45, "ti-list-check"),
    MenuItem("letters.register", "projects", _("Letters register"), "letters:register", VIEW, 46, "ti-certificate"),
):
    if _item.key not in menu.items:
        menu.register_item(_item)


# --- attachment owner -----------------------------------------------------------------------------


def _item_view(user: Any, item: ConditionItem) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.can(VIEW) and project_in_scope(user, item.project))


def _item_change(user: Any, item: ConditionItem) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.can(MARK)
        and selectors.is_manager(user, item.project)
        and item.is_current
        and item.state == ConditionState.OPEN
    )


register_owner(
    ConditionItem,
    can_view=_item_view,
    can_change=_item_change,
    kinds=[AttachmentKind("evidence", _("Evidence"), allowed=("pdf", "jpg", "png", "docx", "xlsx", "ofd"), versioned=False)],
    replace=True,
)


# --- audit names ----------------------------------------------------------------------------------

labels.register_group("letters.", pgettext_lazy("audit area", "Guarantee letters"))
labels.register_labels(
    {
        "letters.conditions_synced": pgettext_lazy("audit event", "Conditions precedent taken from the terms"),
        "letters.condition_marked_met": pgettext_lazy("audit event", "Condition precedent marked met"),
        "letters.condition_marked_na": pgettext_lazy("audit event", "Condition precedent marked not applicable"),
        "letters.condition_confirmed": pgettext_lazy("audit event", "Condition precedent confirmed"),
        "letters.condition_returned": pgettext_lazy("audit event", "Condition precedent sent back"),
        "letters.checklist_rechecked": pgettext_lazy("audit event", "Pre-issue checklist re-checked"),
        "letters.letter_issued": pgettext_lazy("audit event", "Letter issued"),
        "letters.letter_superseded": pgettext_lazy("audit event", "Intent letter superseded"),
        "letters.letter_voided": pgettext_lazy("audit event", "Letter voided"),
        "letters.letter_released": pgettext_lazy("audit event", "Guarantee letter released"),
        "letters.letter_printed": pgettext_lazy("audit event", "Letter printed"),
        "letters.register_exported": pgettext_lazy("audit event", "Letters register exported"),
    }
)


# --- workbench to-dos -----------------------------------------------------------------------------


def _todos(user: Any) -> list[workbench.Todo]:
    found: list[workbench.Todo] = []
    for item in selectors.conditions_to_confirm(user)[:20]:
        project = item.project
        url = reverse("letters:checklist", args=[project.pk]) + "#conditions"
        found.append(workbench.Todo(_("Confirm condition precedent"), f"{project.number} {item.text[:40]}", url))
    return found


if "letters" not in workbench.providers:
    workbench.register(workbench.TodoProvider("letters", pgettext_lazy("letters app", "Guarantee letters"), _todos, CONFIRM))


# --- demo -----------------------------------------------------------------------------------------


def _run_demo() -> str:
    from danbao.letters.demo import seed

    return seed()


if "letters" not in demo.steps:
    # After contracts (100), fees (104) and counter-guarantees (105); before the ledger's loans (120).
    demo.register(demo.DemoStep("letters", 110, _run_demo))


# --- the project dossier --------------------------------------------------------------------------


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "letters" not in dossier.sections:
    dossier.register(dossier.DossierSection("letters", "letters/_dossier_section.html", _dossier_context, 70))

from danbao.letters import parameters as _parameters  # noqa: E402
from danbao.system.seeds import register_parameter_seeder  # noqa: E402

register_parameter_seeder("letters", _parameters.ensure_parameters)
