"""What the ledger app registers with the platform: permission codes and default grants, the menu
entry, audit event names, the exposure source of the regulatory figures, the dossier section and the
demo step."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.core import demo, menu
from danbao.core.menu import MenuItem
from danbao.ledger import book, selectors
from danbao.org import permissions, roles
from danbao.projects import dossier
from danbao.regulatory import exposures

VIEW, RECORD_OWN, RECORD_ANY = selectors.VIEW, selectors.RECORD_OWN, selectors.RECORD_ANY

if "ledger" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "ledger",
            pgettext_lazy("ledger app", "In-force guarantees"),
            (
                (VIEW, _("View in-force guarantees, loans and schedules of projects in the data scope, and export the ledger")),
                (RECORD_OWN, _("Record bank disbursements of own projects (A/B-role manager)")),
                (RECORD_ANY, _("Record bank disbursements of any project in the data scope")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "finance", "archivist", "legal", "chairman"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("business_manager", RECORD_OWN)
roles.register_default_grants("finance", RECORD_ANY)

if "ledger.guarantees" not in menu.items:
    menu.register_item(
        MenuItem(
            "ledger.guarantees", "aftercare", pgettext_lazy("ledger app", "In-force ledger"), "ledger:guarantee-list", VIEW, 10, "ti-books"
        )
    )
if "ledger.pending" not in menu.items:
    menu.register_item(
        MenuItem("ledger.pending", "aftercare", _("Awaiting disbursement"), "ledger:pending-list", VIEW, 12, "ti-cash-banknote")
    )


# --- audit names ----------------------------------------------------------------------------------

labels.register_group("ledger.", pgettext_lazy("audit area", "In-force guarantees"))
labels.register_labels(
    {
        "ledger.guarantee_in_force": pgettext_lazy("audit event", "Guarantee in force"),
        "ledger.loan_recorded": pgettext_lazy("audit event", "Bank disbursement recorded"),
    }
)


# --- the in-force book for the regulatory figures, credit lines and the what-if ------------------

if "ledger" not in exposures.sources:
    exposures.register_source("ledger", book.exposures_on)


# --- the project dossier --------------------------------------------------------------------------


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "ledger" not in dossier.sections:
    dossier.register(dossier.DossierSection("ledger", "ledger/_dossier_section.html", _dossier_context, 60))


# --- demo -----------------------------------------------------------------------------------------


def _run_demo() -> str:
    from danbao.ledger.demo import seed

    return seed()


if "ledger" not in demo.steps:
    # After the letters (110): disburse the demo projects that have a valid guarantee letter.
    demo.register(demo.DemoStep("ledger", 120, _run_demo))

from danbao.ledger import maturity as _maturity  # noqa: E402
from danbao.ledger import parameters as _parameters  # noqa: E402
from danbao.ledger import registrations_repayments  # noqa: E402, F401  (repayments, release, maturity)
from danbao.system.seeds import register_parameter_seeder  # noqa: E402

register_parameter_seeder("ledger", _parameters.ensure_parameters)
register_parameter_seeder("ledger.maturity", _maturity.ensure_parameters)
