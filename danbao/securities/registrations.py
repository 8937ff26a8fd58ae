"""What the securities app registers with the platform: permission codes and default grants, menu,
attachment owners (measure evidence, appraisal reports, collateral documents), audit names, to-dos
(revaluations waiting for confirmation), the demo step, the project dossier section and the
contract-subject provider (one counter-guarantee contract per measure that needs one)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.contracts import subjects
from danbao.core import demo, menu, workbench
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuItem
from danbao.org import permissions, roles
from danbao.projects import dossier
from danbao.securities import selectors
from danbao.securities.models import Appraisal, Collateral, Measure, MeasureState

VIEW, EDIT, CONFIRM, CUSTODY = selectors.VIEW, selectors.EDIT, selectors.CONFIRM, selectors.CUSTODY

if "securities" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "securities",
            pgettext_lazy("securities app", "Counter-guarantees and collateral"),
            (
                (VIEW, _("View counter-guarantee measures and collateral of projects in the data scope")),
                (EDIT, _("Record and put in place counter-guarantees and collateral of projects in the data scope")),
                (CONFIRM, _("Confirm or reject collateral revaluations proposed by someone else")),
                (CUSTODY, _("Keep the custody register of title documents")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman", "archivist", "legal", "finance"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("business_manager", EDIT)
roles.register_default_grants("risk_manager", CONFIRM)
roles.register_default_grants("dept_head", CONFIRM)
roles.register_default_grants("archivist", CUSTODY)

for _item in (
    MenuItem("securities.measures", "projects", _("Counter-guarantees"), "securities:project-list", VIEW, 40, "ti-shield-lock"),
    MenuItem(
        "securities.collateral", "projects", _("Collateral register"), "securities:collateral-list", VIEW, 41, "ti-building-warehouse"
    ),
):
    if _item.key not in menu.items:
        menu.register_item(_item)


# --- attachment owners ----------------------------------------------------------------------------


def _measure_view(user: Any, measure: Measure) -> bool:
    return selectors.may_view(user, measure.project)


def _measure_change(user: Any, measure: Measure) -> bool:
    return measure.state == MeasureState.PENDING and selectors.may_edit(user, measure.project)


def _appraisal_view(user: Any, appraisal: Appraisal) -> bool:
    return selectors.may_view_collateral(user, appraisal.collateral)


def _appraisal_change(user: Any, appraisal: Appraisal) -> bool:
    return selectors.may_edit_collateral(user, appraisal.collateral)


def _collateral_view(user: Any, collateral: Collateral) -> bool:
    return selectors.may_view_collateral(user, collateral)


def _collateral_change(user: Any, collateral: Collateral) -> bool:
    return selectors.may_edit_collateral(user, collateral) or (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.can(CUSTODY)
        and selectors.may_view_collateral(user, collateral)
    )


DOCS = ("pdf", "jpg", "png", "ofd", "docx")
register_owner(
    Measure,
    can_view=_measure_view,
    can_change=_measure_change,
    kinds=[AttachmentKind(selectors.EVIDENCE_KIND, _("Evidence that the measure is in place"), allowed=DOCS, versioned=False)],
    replace=True,
)
register_owner(
    Appraisal,
    can_view=_appraisal_view,
    can_change=_appraisal_change,
    kinds=[AttachmentKind("report", _("Appraisal report"), allowed=("pdf", "jpg", "png", "ofd"))],
    replace=True,
)
register_owner(
    Collateral,
    can_view=_collateral_view,
    can_change=_collateral_change,
    kinds=[
        AttachmentKind("title", _("Title certificate scan"), allowed=DOCS, versioned=False),
        AttachmentKind("registration", _("Registration certificate scan"), allowed=DOCS, versioned=False),
        AttachmentKind("photo", _("Photo"), allowed=("jpg", "png", "webp"), max_size_mb=25, versioned=False),
        AttachmentKind("insurance", _("Insurance policy"), allowed=DOCS, versioned=False),
    ],
    replace=True,
)


# --- audit names ----------------------------------------------------------------------------------

labels.register_group("securities.", pgettext_lazy("audit area", "Counter-guarantees and collateral"))
labels.register_labels(
    {
        "securities.measure_created": pgettext_lazy("audit event", "Counter-guarantee measure recorded"),
        "securities.measure_updated": pgettext_lazy("audit event", "Counter-guarantee measure changed"),
        "securities.measure_fulfilled": pgettext_lazy("audit event", "Counter-guarantee measure put in place"),
        "securities.measure_cancelled": pgettext_lazy("audit event", "Counter-guarantee measure cancelled"),
        "securities.measure_released": pgettext_lazy("audit event", "Counter-guarantee measure released"),
        "securities.collateral_created": pgettext_lazy("audit event", "Collateral registered"),
        "securities.collateral_updated": pgettext_lazy("audit event", "Collateral details changed"),
        "securities.owner_added": pgettext_lazy("audit event", "Collateral owner added"),
        "securities.appraisal_recorded": pgettext_lazy("audit event", "Collateral appraisal recorded"),
        "securities.revaluation_proposed": pgettext_lazy("audit event", "Collateral revaluation proposed"),
        "securities.revaluation_confirmed": pgettext_lazy("audit event", "Collateral revaluation confirmed"),
        "securities.revaluation_rejected": pgettext_lazy("audit event", "Collateral revaluation rejected"),
        "securities.registration_recorded": pgettext_lazy("audit event", "Mortgage or pledge registration recorded"),
        "securities.registration_cancelled": pgettext_lazy("audit event", "Mortgage or pledge deregistered"),
        "securities.insurance_recorded": pgettext_lazy("audit event", "Collateral insurance recorded"),
        "securities.custody_in": pgettext_lazy("audit event", "Title documents taken into custody"),
        "securities.custody_out": pgettext_lazy("audit event", "Title documents taken out of custody"),
        "securities.custody_returned": pgettext_lazy("audit event", "Title documents returned to custody"),
        "securities.collateral_allocated": pgettext_lazy("audit event", "Collateral allocated to a measure"),
        "securities.allocation_released": pgettext_lazy("audit event", "Collateral allocation released"),
    }
)


# --- workbench to-dos -----------------------------------------------------------------------------


def _todos(user: Any) -> list[workbench.Todo]:
    found: list[workbench.Todo] = []
    for appraisal in selectors.revaluations_waiting_for(user)[:20]:
        collateral = appraisal.collateral
        url = reverse("securities:collateral-detail", args=[collateral.pk]) + "#appraisals"
        found.append(workbench.Todo(_("Confirm collateral revaluation"), f"{collateral.number} {collateral.name}", url))
    return found


if "securities" not in workbench.providers:
    workbench.register(
        workbench.TodoProvider("securities", pgettext_lazy("securities app", "Counter-guarantees and collateral"), _todos, CONFIRM)
    )


# --- demo -----------------------------------------------------------------------------------------


def _run_demo() -> str:
    from danbao.securities.demo import seed

    return seed()


if "securities" not in demo.steps:
    # After the contracts step (100), which seeds the templates and the two main contracts.
    demo.register(demo.DemoStep("securities", 105, _run_demo))


# --- the project dossier --------------------------------------------------------------------------


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "securities" not in dossier.sections:
    dossier.register(dossier.DossierSection("securities", "securities/_dossier_section.html", _dossier_context, 40))


# --- contract subjects ----------------------------------------------------------------------------


def _contract_subjects(project: Any) -> list[subjects.ContractSubject]:
    from danbao.securities.contract_subjects import subjects_of

    return subjects_of(project)


if "securities" not in subjects.providers:
    subjects.register_provider("securities", _contract_subjects)

from danbao.securities import parameters as _parameters  # noqa: E402
from danbao.system.seeds import register_parameter_seeder  # noqa: E402

register_parameter_seeder("securities", _parameters.ensure_parameters)
