"""Contract reads. A contract is visible exactly when its project is (projects' data scope); the
readiness lines and `contract_for_subject` are what the letters and securities apps read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from danbao.contracts.models import Contract, ContractKind, ContractState, ContractTemplate, TemplateVersion, VersionState
from danbao.contracts.subjects import ContractSubject, subjects_for
from danbao.core.checklist import ChecklistItem
from danbao.projects.models import Project, ProjectState

VIEW = "contracts.contract.view"
MANAGE = "contracts.contract.manage"
SCAN = "contracts.contract.scan"
TEMPLATE_EDIT = "contracts.template.edit"
TEMPLATE_PUBLISH = "contracts.template.publish"
SCAN_KIND = "signed_scan"

BASE_KINDS = (ContractKind.ENTRUSTED, ContractKind.GUARANTEE)
RELATED = ("project", "project__customer", "project__bank", "project__department", "template_version", "template_version__template")


@dataclass(frozen=True)
class Required:
    """One contract a project needs, with its current (latest non-void) contract or None."""

    kind: str
    subject_key: str
    title: str
    party_name: str
    subject: ContractSubject | None
    contract: Contract | None

    @property
    def kind_label(self) -> str:
        return str(ContractKind(self.kind).label)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.subject_key}" if self.subject_key else self.kind


# --- scope ----------------------------------------------------------------------------------------


def _projects_for(user: Any) -> QuerySet[Project]:
    from danbao.projects.selectors import project_list_for

    return project_list_for(user)


def may_view(user: Any, project: Project) -> bool:
    from danbao.projects.selectors import project_in_scope

    return bool(user is not None and getattr(user, "is_authenticated", False) and user.can(VIEW) and project_in_scope(user, project))


def is_manager(user: Any, project: Project) -> bool:
    return user is not None and user.pk in (project.manager_a_id, project.manager_b_id)


def may_manage(user: Any, project: Project) -> bool:
    """Generate, sign and void: a business manager on their own project (A- or B-role)."""
    return bool(
        user is not None
        and getattr(user, "is_active", False)
        and user.can(MANAGE)
        and is_manager(user, project)
        and may_view(user, project)
    )


def may_upload_scan(user: Any, contract: Contract) -> bool:
    """Upload a signed scan: whoever may manage the project's contracts, or an archivist (SCAN) in scope."""
    if contract.is_void:
        return False
    project = contract.project
    return may_manage(user, project) or bool(
        user is not None and getattr(user, "is_active", False) and user.can(SCAN) and may_view(user, project)
    )


def contract_list_for(user: Any) -> QuerySet[Contract]:
    """Contracts of the projects the user may see (the register)."""
    if user is None or not user.can(VIEW):
        return Contract.objects.none()
    return Contract.objects.filter(project__in=_projects_for(user).values("pk")).select_related(*RELATED).defer("body_html", "body_blocks")


def contract_get_for(user: Any, pk: Any) -> Contract:
    """One contract in the user's scope, or 404 (the same for missing and forbidden)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    contract = Contract.objects.select_related(*RELATED).filter(pk=pk).first()
    if contract is None or not may_view(user, contract.project):
        raise Http404
    return contract


def register_filter(
    queryset: QuerySet[Contract],
    *,
    kind: str = "",
    state: str = "",
    bank: Any = None,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str = "",
) -> QuerySet[Contract]:
    if kind in ContractKind.values:
        queryset = queryset.filter(kind=kind)
    if state in ContractState.values:
        queryset = queryset.filter(state=state)
    if bank:
        queryset = queryset.filter(project__bank_id=bank)
    if date_from:
        queryset = queryset.filter(generated_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(generated_at__date__lte=date_to)
    if q:
        from django.db.models import Q

        queryset = queryset.filter(Q(number__icontains=q) | Q(project__number__icontains=q) | Q(party_name__icontains=q))
    return queryset


# --- per project ----------------------------------------------------------------------------------


def effective_terms(project: Project) -> Any:
    """The project's effective approved terms (the latest effective version), or None."""
    return project.terms.filter(effective_at__isnull=False).select_related("bank", "branch").order_by("-sequence").first()


def contracts_of(project: Project) -> list[Contract]:
    """Every contract of the project, void ones included, newest first."""
    return list(
        Contract.objects.filter(project=project)
        .select_related("template_version", "template_version__template")
        .defer("body_html", "body_blocks")
    )


def contract_for_subject(project: Project, subject_key: str) -> Contract | None:
    """The latest non-void contract generated for `subject_key` (a ContractSubject key), or None
    (always None for an empty key: the entrusted and guarantee contracts have no subject)."""
    if not subject_key:
        return None
    return (
        Contract.objects.filter(project=project, subject_key=subject_key)
        .exclude(state=ContractState.VOID)
        .defer("body_html", "body_blocks")
        .order_by("-generated_at", "-id")
        .first()
    )


def subject_get(project: Project, kind: str, subject_key: str) -> ContractSubject | None:
    for subject in subjects_for(project):
        if subject.key == subject_key and subject.kind == kind:
            return subject
    return None


def required_contracts(project: Project) -> list[Required]:
    """The contracts the project needs: entrusted + guarantee + one per registered subject, each with
    its current contract (latest non-void) or None."""
    live = {
        (c.kind, c.subject_key): c
        for c in Contract.objects.filter(project=project)
        .exclude(state=ContractState.VOID)
        .defer("body_html", "body_blocks")
        .order_by("generated_at", "id")
    }
    customer = project.customer
    bank_name = project.bank.name
    rows = [
        Required(
            ContractKind.ENTRUSTED, "", str(ContractKind.ENTRUSTED.label), customer.name, None, live.get((ContractKind.ENTRUSTED, ""))
        ),
        Required(ContractKind.GUARANTEE, "", str(ContractKind.GUARANTEE.label), bank_name, None, live.get((ContractKind.GUARANTEE, ""))),
    ]
    for subject in subjects_for(project):
        rows.append(Required(subject.kind, subject.key, subject.title, subject.party_name, subject, live.get((subject.kind, subject.key))))
    return rows


def scans_of(contract: Contract) -> list[Any]:
    """The contract's current (not voided) signed scans, newest first."""
    from danbao.core.attachments.models import Attachment

    owner_type = ContentType.objects.get_for_model(Contract)
    return list(
        Attachment.objects.filter(owner_type=owner_type, owner_id=str(contract.pk), kind=SCAN_KIND, voided_at__isnull=True).order_by(
            "-version"
        )
    )


def has_scan(contract: Contract) -> bool:
    return bool(scans_of(contract))


def readiness(project: Project) -> list[ChecklistItem]:
    """One line per required contract: generated? signed with its scan? `detail` says what is missing."""
    url = reverse("contracts:project", args=[project.pk])
    items: list[ChecklistItem] = []
    for row in required_contracts(project):
        label = _("Contract signed: %(title)s") % {"title": row.title}
        key = f"contracts.signed:{row.key}"
        contract = row.contract
        if contract is None:
            items.append(ChecklistItem(key, label, False, _("Not generated yet."), url))
        elif contract.state != ContractState.SIGNED:
            if has_scan(contract):
                detail = _("Contract %(number)s is generated but not signed.")
            else:
                detail = _("Contract %(number)s is generated but not signed; the signed scan is not uploaded.")
            items.append(ChecklistItem(key, label, False, detail % {"number": contract.number}, url))
        elif not has_scan(contract):
            items.append(ChecklistItem(key, label, False, _("Contract %(number)s has no signed scan.") % {"number": contract.number}, url))
        else:
            detail = _("Contract %(number)s signed on %(date)s.") % {"number": contract.number, "date": contract.signed_on.isoformat()}
            items.append(ChecklistItem(key, label, True, detail, url))
    return items


def to_sign_for(user: Any) -> QuerySet[Contract]:
    """Generated, unsigned contracts of the projects where the user is the A- or B-role manager."""
    from django.db.models import Q

    return (
        Contract.objects.filter(state=ContractState.GENERATED)
        .filter(Q(project__manager_a=user) | Q(project__manager_b=user))
        .select_related("project")
        .defer("body_html", "body_blocks")
        .order_by("generated_at", "id")
    )


def history_of(contract: Contract) -> list[Any]:
    return list(contract.transitions.select_related("actor").order_by("at", "id"))


def approved(project: Project) -> bool:
    return project.state == ProjectState.APPROVED


# --- templates ------------------------------------------------------------------------------------


def templates_list() -> list[ContractTemplate]:
    return list(ContractTemplate.objects.prefetch_related("versions").order_by("id"))


def template_get(pk: Any) -> ContractTemplate:
    try:
        return ContractTemplate.objects.get(pk=int(pk))
    except (ContractTemplate.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def version_get(template: ContractTemplate, number: Any) -> TemplateVersion:
    try:
        return template.versions.select_related("created_by", "published_by", "updated_by").get(number=int(number))
    except (TemplateVersion.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def published_version(kind: str) -> TemplateVersion | None:
    """The newest published version of the kind's template: what generation uses."""
    return (
        TemplateVersion.objects.filter(template__kind=kind, state=VersionState.PUBLISHED)
        .select_related("template")
        .order_by("-number")
        .first()
    )


def dossier_section(user: Any, project: Project) -> dict[str, Any]:
    """What the project dossier shows: the required contracts with their state (approved projects
    and any project that already has contracts)."""
    if not (user is not None and user.can(VIEW)):
        return {"ct_visible": False}
    show = project.state == ProjectState.APPROVED or Contract.objects.filter(project=project).exists()
    return {
        "ct_visible": True,
        "ct_rows": required_contracts(project) if show else [],
        "ct_url": reverse("contracts:project", args=[project.pk]),
    }
