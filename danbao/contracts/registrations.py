"""What the contracts app registers with the platform: permission codes and default grants, menu,
attachment owners (the signed scan of a contract), audit names, the dossier section and its demo step."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.contracts import selectors
from danbao.contracts.models import Contract
from danbao.core import demo, menu, workbench
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuItem
from danbao.org import permissions, roles
from danbao.projects import dossier

VIEW, MANAGE, SCAN = selectors.VIEW, selectors.MANAGE, selectors.SCAN
TEMPLATE_EDIT, TEMPLATE_PUBLISH = selectors.TEMPLATE_EDIT, selectors.TEMPLATE_PUBLISH

if "contracts" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "contracts",
            pgettext_lazy("contracts app", "Contracts"),
            (
                (VIEW, _("View the contracts of projects in the data scope and the contract templates")),
                (MANAGE, _("Generate, sign and void the contracts of own projects")),
                (SCAN, _("Upload signed contract scans of projects in the data scope (archivist)")),
                (TEMPLATE_EDIT, _("Write new versions of contract templates")),
                (TEMPLATE_PUBLISH, _("Publish contract template versions")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "archivist", "legal"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("business_manager", MANAGE)
roles.register_default_grants("archivist", SCAN)
roles.register_default_grants("legal", TEMPLATE_EDIT, TEMPLATE_PUBLISH)
roles.register_default_grants("risk_manager", TEMPLATE_EDIT)


# --- attachment owner -----------------------------------------------------------------------------


def _contract_view(user: Any, contract: Contract) -> bool:
    return selectors.may_view(user, contract.project)


def _contract_change(user: Any, contract: Contract) -> bool:
    return selectors.may_upload_scan(user, contract)


register_owner(
    Contract,
    can_view=_contract_view,
    can_change=_contract_change,
    kinds=[AttachmentKind(selectors.SCAN_KIND, _("Signed scan"), allowed=("pdf", "jpg", "png", "ofd"), versioned=True)],
    replace=True,
)


# --- audit names ----------------------------------------------------------------------------------

labels.register_group("contracts.", pgettext_lazy("contracts app", "Contracts"))
labels.register_labels(
    {
        "contracts.template_saved": _("Contract template draft saved"),
        "contracts.template_version_created": _("Contract template version created"),
        "contracts.template_published": _("Contract template version published"),
        "contracts.contract_generated": _("Contract generated"),
        "contracts.contract_signed": _("Contract signed"),
        "contracts.contract_voided": _("Contract voided"),
        "contracts.contract_downloaded": _("Contract downloaded"),
    }
)


# --- menu, dossier, demo --------------------------------------------------------------------------

if "contracts.register" not in menu.items:
    menu.register_item(
        MenuItem(
            "contracts.register",
            "projects",
            pgettext_lazy("contracts app", "Contracts"),
            "contracts:register",
            VIEW,
            16,
            "ti-file-certificate",
        )
    )
if "contracts.templates" not in menu.items:
    menu.register_item(
        MenuItem("contracts.templates", "projects", _("Contract templates"), "contracts:templates", TEMPLATE_EDIT, 17, "ti-template")
    )


def _todos(user: Any) -> list[workbench.Todo]:
    from django.urls import reverse

    return [
        workbench.Todo(_("Contract to sign"), f"{c.number} {c.title}", reverse("contracts:project", args=[c.project_id]))
        for c in selectors.to_sign_for(user)[:20]
    ]


if "contracts" not in workbench.providers:
    workbench.register(workbench.TodoProvider("contracts", pgettext_lazy("contracts app", "Contracts"), _todos, MANAGE))


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "contracts" not in dossier.sections:
    dossier.register(dossier.DossierSection("contracts", "contracts/_dossier_section.html", _dossier_context, 30))


def _run_demo() -> str:
    from danbao.contracts.demo import seed

    return seed()


if "contracts" not in demo.steps:
    # After the projects (90) and due diligence (95); before finance (104), securities (105), letters (110).
    demo.register(demo.DemoStep("contracts", 100, _run_demo))

from danbao.contracts import parameters as _parameters  # noqa: E402
from danbao.system.seeds import register_parameter_seeder  # noqa: E402

register_parameter_seeder("contracts", _parameters.ensure_parameters)
