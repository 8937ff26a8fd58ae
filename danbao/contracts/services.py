"""Every write on contracts and contract templates. Each service checks the actor's permission and
the business preconditions before writing, runs in one transaction and records one audit event.

The contract services (`contract_generate`, `contract_sign`, `contract_void`) are called by other
apps too (the securities app generates counter-guarantee contracts inside its own transaction, the
demo inside seed_demo's), so they open a plain (not durable) atomic block.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from danbao.contracts import errors, lifecycle, parameters, placeholders, selectors, wording
from danbao.contracts.context import values_for
from danbao.contracts.models import Contract, ContractKind, ContractState, ContractTemplate, TemplateVersion, VersionState
from danbao.contracts.subjects import ContractSubject
from danbao.core.events import security_event
from danbao.projects.models import Project, ProjectState

MANAGE, SCAN = selectors.MANAGE, selectors.SCAN
TEMPLATE_EDIT, TEMPLATE_PUBLISH = selectors.TEMPLATE_EDIT, selectors.TEMPLATE_PUBLISH
SCAN_KIND = selectors.SCAN_KIND

NUMBERING_RULES = (
    # kind/code, name, prefix, date pattern, separator, width, reset
    ("contract_entrusted", "委托保证合同编号", "WTBZ", "{YYYY}", "-", 4, "yearly"),
    ("contract_guarantee", "保证合同编号", "BZHT", "{YYYY}", "-", 4, "yearly"),
    ("contract_counter_guarantee", "保证反担保合同编号", "FDBZ", "{YYYY}", "-", 4, "yearly"),
    ("contract_counter_mortgage", "抵押反担保合同编号", "FDDY", "{YYYY}", "-", 4, "yearly"),
    ("contract_counter_pledge", "质押反担保合同编号", "FDZY", "{YYYY}", "-", 4, "yearly"),
)


def numbering_rule_code(kind: str) -> str:
    return f"contract_{kind}"


def _audit(event: str, actor: Any, obj: Any, *, reason: str = "", **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        reason=reason[:255],
        data={k: (str(v) if v is not None else None) for k, v in data.items()},
    )


def _require(actor: Any, code: str, error: Any = errors.PERMISSION_DENIED) -> None:
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(code):
        raise error.error()


# --- set-up ---------------------------------------------------------------------------------------


def numbering_ensure() -> int:
    """Create the contract numbering rules when missing (idempotent)."""
    from danbao.system.models import NumberingRule
    from danbao.system.services.numbering import numbering_rule_create

    created = 0
    for code, name, prefix, pattern, separator, width, reset in NUMBERING_RULES:
        if NumberingRule.objects.filter(code=code).exists():
            continue
        numbering_rule_create(
            actor=None, code=code, name=name, prefix=prefix, date_pattern=pattern, separator=separator, sequence_width=width, reset=reset
        )
        created += 1
    return created


def ensure_contract_templates() -> int:
    """Create the built-in templates (version 1, published), the numbering rules and the contract
    parameters when missing (idempotent); returns how many templates were created."""
    parameters.ensure_parameters()
    numbering_ensure()
    created = 0
    now = timezone.now()
    for kind, (name, title, body) in wording.BUILT_IN.items():
        template, made = ContractTemplate.objects.get_or_create(kind=kind, defaults={"name": name})
        if made or not template.versions.exists():
            placeholders.validate(body)
            TemplateVersion.objects.create(
                template=template,
                number=1,
                state=VersionState.PUBLISHED,
                title=title,
                body=body,
                note="系统内置文本",
                published_at=now,
            )
            created += 1
    return created


# --- templates ------------------------------------------------------------------------------------


def _lock_version(version: TemplateVersion) -> TemplateVersion:
    return TemplateVersion.objects.select_for_update(of=("self",)).select_related("template").get(pk=version.pk)


def template_version_save(
    *, actor: Any, version: TemplateVersion, title: str, body: str, note: str = "", expected_version: int | None = None
) -> TemplateVersion:
    """Save the wording of a draft version; unknown placeholders are refused, naming them."""
    _require(actor, TEMPLATE_EDIT, errors.TEMPLATE_PERMISSION_DENIED)
    title = (title or "").strip()
    body = (body or "").replace("\r\n", "\n").strip() + "\n"
    note = (note or "").strip()[:500]
    if not title:
        raise errors.TITLE_REQUIRED.error(field="title")
    if not body.strip():
        raise errors.BODY_REQUIRED.error(field="body")
    placeholders.validate(body)
    with transaction.atomic(durable=True):
        version = _lock_version(version)
        if not version.is_draft:
            raise errors.VERSION_PUBLISHED.error(number=version.number)
        if expected_version is not None and version.edit_version != int(expected_version):
            raise errors.STALE.error()
        if (version.title, version.body, version.note) == (title, body, note):
            return version
        version.title, version.body, version.note = title, body, note
        version.updated_by = actor
        version.edit_version += 1
        version.save()
        _audit("contracts.template_saved", actor, version, template=version.template.kind, version=version.number)
    return version


def template_version_create(*, actor: Any, template: ContractTemplate) -> TemplateVersion:
    """A new draft version, copied from the newest version; only one draft at a time."""
    _require(actor, TEMPLATE_EDIT, errors.TEMPLATE_PERMISSION_DENIED)
    with transaction.atomic(durable=True):
        template = ContractTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
        draft = template.versions.filter(state=VersionState.DRAFT).first()
        if draft is not None:
            raise errors.DRAFT_EXISTS.error(number=draft.number)
        latest = template.versions.order_by("-number").first()
        version = TemplateVersion.objects.create(
            template=template,
            number=(latest.number if latest else 0) + 1,
            title=latest.title if latest else template.name,
            body=latest.body if latest else "",
            based_on=latest,
            created_by=actor,
            updated_by=actor,
        )
        _audit("contracts.template_version_created", actor, version, template=template.kind, version=version.number)
    return version


def template_version_publish(*, actor: Any, version: TemplateVersion, expected_version: int | None = None) -> TemplateVersion:
    """Publish a draft: from now on new contracts use it; it can never change again."""
    _require(actor, TEMPLATE_PUBLISH, errors.TEMPLATE_PERMISSION_DENIED)
    with transaction.atomic(durable=True):
        version = _lock_version(version)
        if not version.is_draft:
            raise errors.NOT_A_DRAFT.error()
        if expected_version is not None and version.edit_version != int(expected_version):
            raise errors.STALE.error()
        if not version.body.strip():
            raise errors.BODY_REQUIRED.error(field="body")
        placeholders.validate(version.body)
        version.state = VersionState.PUBLISHED
        version.published_by = actor
        version.published_at = timezone.now()
        version.save()
        _audit("contracts.template_published", actor, version, template=version.template.kind, version=version.number)
    return version


def template_preview(body: str) -> str:
    """HTML of `body` with the catalogue's sample data (nothing saved); raises on bad placeholders."""
    placeholders.validate(body)
    html, _blocks = placeholders.render(body, placeholders.sample_values())
    return html


# --- contracts ------------------------------------------------------------------------------------


def _require_manager(actor: Any, project: Project) -> None:
    if actor is None:  # system (demo data, migrations)
        return
    if not selectors.may_manage(actor, project):
        raise errors.PERMISSION_DENIED.error()


def _lock_contract(contract: Contract) -> Contract:
    return Contract.objects.select_for_update(of=("self",)).select_related("project").get(pk=contract.pk)


def _title(kind: str, subject: ContractSubject | None, project: Project) -> str:
    if subject is not None:
        return subject.title[:200]
    return f"{ContractKind(kind).label} — {project.customer.name}"[:200]


def contract_generate(*, actor: Any, project: Project, kind: str, subject_key: str = "") -> Contract:
    """Generate the project's contract of `kind` (for `subject_key` when a counter-guarantee subject)
    from the newest published template version and the effective approved terms; numbered, rendered
    and stored as a snapshot. Refused while a live contract exists for the same kind and subject."""
    if kind not in ContractKind.values:
        raise errors.NOT_REQUIRED.error()
    _require_manager(actor, project)
    with transaction.atomic():
        project = Project.objects.select_for_update(of=("self",)).select_related("customer", "product_version", "bank").get(pk=project.pk)
        if project.state != ProjectState.APPROVED:
            raise errors.PROJECT_NOT_APPROVED.error(number=project.number, state=ProjectState(project.state).label)
        subject: ContractSubject | None = None
        if subject_key:
            subject = selectors.subject_get(project, kind, subject_key)
            if subject is None:
                raise errors.NOT_REQUIRED.error()
        elif kind not in selectors.BASE_KINDS:
            raise errors.NOT_REQUIRED.error()
        existing = (
            selectors.contract_for_subject(project, subject_key)
            if subject_key
            else (Contract.objects.filter(project=project, kind=kind, subject_key="").exclude(state=ContractState.VOID).first())
        )
        if existing is not None:
            raise errors.ALREADY_GENERATED.error(number=existing.number)
        terms = selectors.effective_terms(project)
        if terms is None:
            raise errors.NO_TERMS.error(number=project.number)
        version = selectors.published_version(kind)
        if version is None:
            raise errors.NO_PUBLISHED_TEMPLATE.error(kind=ContractKind(kind).label)
        from danbao.system.services.numbering import number_next

        today = timezone.localdate()
        number = number_next(numbering_rule_code(kind), today)
        values = values_for(project, terms, number=number, on=today, subject=subject)
        html, blocks = placeholders.render(version.body, values)
        party = (
            subject.party_name if subject is not None else (project.customer.name if kind == ContractKind.ENTRUSTED else values["贷款银行"])
        )
        try:
            with transaction.atomic():
                contract = Contract.objects.create(
                    project=project,
                    kind=kind,
                    subject_key=subject_key,
                    number=number,
                    title=_title(kind, subject, project),
                    template_version=version,
                    party_name=party[:200],
                    amount=terms.amount,
                    terms_sequence=terms.sequence,
                    body_html=html,
                    body_blocks=blocks,
                    generated_by=actor,
                    generated_at=timezone.now(),
                )
        except IntegrityError:
            raise errors.ALREADY_GENERATED.error(number="") from None
        _audit(
            "contracts.contract_generated",
            actor,
            contract,
            project=project.number,
            number=number,
            kind=kind,
            subject=subject_key or None,
            template_version=f"{version.template.kind} v{version.number}",
        )
    return contract


def contract_sign(
    *, actor: Any, contract: Contract, signed_on: dt.date | None, signatories: str = "", scan: UploadedFile | None = None
) -> Contract:
    """Record the signing: date, who signed for each party and the signed scan (uploaded now, or
    already on the contract). Without a scan nothing changes."""
    signatories = (signatories or "").strip()[:500]
    with transaction.atomic():
        contract = _lock_contract(contract)
        _require_manager(actor, contract.project)
        if lifecycle.transition_for(contract.state, ContractState.SIGNED) is None:
            raise errors.TRANSITION_NOT_ALLOWED.error(source=ContractState(contract.state).label, target=ContractState.SIGNED.label)
        if signed_on is None:
            raise errors.SIGNED_ON_REQUIRED.error(field="signed_on")
        generated_on = timezone.localtime(contract.generated_at).date()
        if signed_on < generated_on or signed_on > timezone.localdate():
            raise errors.SIGNED_ON_INVALID.error(field="signed_on", generated=generated_on.isoformat())
        if not signatories:
            raise errors.SIGNATORIES_REQUIRED.error(field="signatories")
        if scan is not None:
            from danbao.core.attachments.services import attachment_add

            attachment_add(actor=actor, owner=contract, kind=SCAN_KIND, upload=scan, note="签署扫描件")
        elif not selectors.has_scan(contract):
            raise errors.SCAN_REQUIRED.error(field="scan")
        contract.signed_on = signed_on
        contract.signatories = signatories
        contract.signed_recorded_by = actor
        contract.signed_recorded_at = timezone.now()
        contract.save(update_fields=["signed_on", "signatories", "signed_recorded_by", "signed_recorded_at"])
        lifecycle.move(contract, ContractState.SIGNED, actor=actor)
        _audit("contracts.contract_signed", actor, contract, project=contract.project.number, number=contract.number, signed_on=signed_on)
    return contract


def contract_void(*, actor: Any, contract: Contract, reason: str) -> Contract:
    """Void a generated or signed contract with a reason; the project may then get a new one."""
    reason = (reason or "").strip()
    with transaction.atomic():
        contract = _lock_contract(contract)
        _require_manager(actor, contract.project)
        if lifecycle.transition_for(contract.state, ContractState.VOID) is None:
            raise errors.TRANSITION_NOT_ALLOWED.error(source=ContractState(contract.state).label, target=ContractState.VOID.label)
        if not reason:
            raise errors.REASON_REQUIRED.error(field="reason")
        contract.void_reason = reason[:500]
        contract.voided_by = actor
        contract.voided_at = timezone.now()
        contract.save(update_fields=["void_reason", "voided_by", "voided_at"])
        lifecycle.move(contract, ContractState.VOID, actor=actor, reason=reason)
        _audit("contracts.contract_voided", actor, contract, reason=reason, project=contract.project.number, number=contract.number)
    return contract


def contract_downloaded(*, actor: Any, contract: Contract, fmt: str) -> None:
    """Audit a download (PDF / DOCX) of a contract."""
    _audit("contracts.contract_downloaded", actor, contract, project=contract.project.number, number=contract.number, format=fmt)
