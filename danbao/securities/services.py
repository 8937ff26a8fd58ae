"""Every write on counter-guarantees and collateral. Entry services check the actor's permission and
scope, run in one durable transaction and record one audit event; a measure's state moves only
through `lifecycle.move`; collateral rows are locked before their value or allocations change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.events import security_event
from danbao.projects.models import Project, ProjectState
from danbao.securities import errors, lifecycle, selectors
from danbao.securities.models import (
    Allocation,
    Appraisal,
    AppraisalState,
    Collateral,
    CollateralOwner,
    CollateralType,
    CustodyDirection,
    CustodyEntry,
    Insurance,
    Measure,
    MeasureKind,
    MeasureState,
    PartyType,
    ProviderSource,
    Registration,
)

VIEW, EDIT, CONFIRM, CUSTODY = selectors.VIEW, selectors.EDIT, selectors.CONFIRM, selectors.CUSTODY
COLLATERAL_NUMBERING = "collateral"
NUMBERING_RULES = (("collateral", "抵质押物编号", "DZY", "{YYYY}", "-", 5, "yearly"),)
MEASURE_FIELDS = (
    "kind",
    "requirement",
    "description",
    "amount",
    "provider_source",
    "related_party",
    "provider_type",
    "provider_name",
    "provider_id_code",
)


def numbering_ensure() -> int:
    """Create the collateral numbering rule when missing (idempotent)."""
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


def _audit(event: str, actor: Any, obj: Any, *, reason: str = "", **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        reason=reason[:255],
        data={k: (str(v) if v is not None else None) for k, v in data.items()},
    )


def _require(actor: Any, code: str) -> None:
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def _require_project(actor: Any, project: Project) -> None:
    _require(actor, EDIT)
    if not selectors.project_in_scope(actor, project):
        raise errors.PERMISSION_DENIED.error()
    if project.state != ProjectState.APPROVED:
        raise errors.PROJECT_NOT_APPROVED.error(number=project.number)


def _require_collateral(actor: Any, collateral: Collateral, code: str = EDIT) -> None:
    _require(actor, code)
    if not selectors.collateral_list_for(actor).filter(pk=collateral.pk).exists():
        raise errors.PERMISSION_DENIED.error()


def _money(value: Any, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise errors.AMOUNT_INVALID.error(field=label)
        return None
    try:
        amount = Decimal(str(value).replace(",", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise errors.AMOUNT_INVALID.error(field=label) from None
    if amount <= 0:
        raise errors.AMOUNT_INVALID.error(field=label)
    return amount


def _text(value: Any, label: str, *, required: bool = True, limit: int = 200) -> str:
    text = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))
    if required and not text:
        raise errors.FIELD_REQUIRED.error(field=label)
    return text[:limit]


def _date(value: Any, label: str, *, required: bool = True, not_future: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise errors.FIELD_REQUIRED.error(field=label)
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise errors.DATE_INVALID.error(field=label, problem=_("not a date")) from None
    if not_future and value > timezone.localdate():
        raise errors.DATE_INVALID.error(field=label, problem=_("cannot be in the future"))
    return value


def check_id_code(code: str, party_type: str, *, required: bool = False) -> str:
    """Validate an identity code with the customers' validators (resident ID for a person, unified social
    credit code for a company); returns the normalised code ('' when empty and not required)."""
    from danbao.customers.identity import check_ric, check_uscc

    code = (code or "").strip()
    if not code:
        if required:
            raise errors.ID_CODE_INVALID.error(problem=_("enter the identity code"))
        return ""
    result = check_ric(code) if party_type == PartyType.PERSON else check_uscc(code)
    if not result.valid:
        raise errors.ID_CODE_INVALID.error(problem="；".join(result.errors))
    return result.normalized


# --- measures -------------------------------------------------------------------------------------


def _provider(project: Project, data: dict[str, Any]) -> dict[str, Any]:
    """Resolve the provider fields from the source: the customer, a related party, or typed in."""
    from danbao.customers.models import RelatedParty
    from danbao.customers.models.customer import PERSON_KINDS

    source = data.get("provider_source") or ""
    if source == ProviderSource.CUSTOMER:
        customer = project.customer
        party_type = PartyType.PERSON if customer.kind in PERSON_KINDS else PartyType.COMPANY
        return {
            "provider_source": source,
            "related_party": None,
            "provider_type": party_type,
            "provider_name": customer.name,
            "provider_id_code": customer.identity_code or "",
        }
    if source == ProviderSource.RELATED:
        party = data.get("related_party")
        if party is not None and not isinstance(party, RelatedParty):
            party = RelatedParty.objects.filter(pk=party).first()
        if party is None or party.customer_id != project.customer_id:
            raise errors.PROVIDER_INVALID.error(problem=_("choose one of the customer's related parties"))
        party_type = PartyType.PERSON if party.party_type == RelatedParty.PartyType.PERSON else PartyType.COMPANY
        code = party.party_id_code or (party.party_customer.identity_code if party.party_customer_id else "")
        return {
            "provider_source": source,
            "related_party": party,
            "provider_type": party_type,
            "provider_name": party.display_name,
            "provider_id_code": code or "",
        }
    if source == ProviderSource.THIRD:
        party_type = data.get("provider_type") or PartyType.PERSON
        if party_type not in PartyType.values:
            raise errors.PROVIDER_INVALID.error(problem=_("unknown provider type"))
        name = _text(data.get("provider_name"), _("Provider name"))
        return {
            "provider_source": source,
            "related_party": None,
            "provider_type": party_type,
            "provider_name": name,
            "provider_id_code": check_id_code(data.get("provider_id_code", ""), party_type, required=True),
        }
    raise errors.PROVIDER_INVALID.error(problem=_("choose who provides the counter-guarantee"))


def _measure_values(project: Project, data: dict[str, Any]) -> dict[str, Any]:
    kind = data.get("kind") or ""
    if kind not in MeasureKind.values:
        raise errors.KIND_INVALID.error(kind=kind)
    values = _provider(project, data)
    values.update(
        {
            "kind": kind,
            "requirement": _text(data.get("requirement"), _("Requirement"), required=False, limit=500),
            "description": _text(data.get("description"), _("Description"), required=False, limit=500),
            "amount": _money(data.get("amount"), _("Amount"), required=kind == MeasureKind.MARGIN),
        }
    )
    return values


def measure_create(*, actor: Any, project: Project, **data: Any) -> Measure:
    """Record a counter-guarantee measure of an approved project (state 待落实)."""
    unknown = set(data) - set(MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"unknown measure fields: {sorted(unknown)}")
    with transaction.atomic(durable=True):
        project = Project.objects.select_for_update(of=("self",)).select_related("customer").get(pk=project.pk)
        _require_project(actor, project)
        values = _measure_values(project, data)
        measure = Measure(project=project, created_by=actor, **values)
        measure.full_clean()
        measure.save()
        _audit("securities.measure_created", actor, measure, project=project.number, kind=measure.kind, provider=measure.provider_name)
    return measure


def _lock_measure(measure: Measure) -> Measure:
    return Measure.objects.select_for_update(of=("self",)).select_related("project", "project__customer").get(pk=measure.pk)


def measure_update(*, actor: Any, measure: Measure, expected_version: int | None = None, **data: Any) -> Measure:
    """Change a measure still to be put in place (kind, provider, requirement, description, amount)."""
    unknown = set(data) - set(MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"unknown measure fields: {sorted(unknown)}")
    with transaction.atomic(durable=True):
        measure = _lock_measure(measure)
        _require_project(actor, measure.project)
        if expected_version is not None and measure.version != int(expected_version):
            raise errors.STALE.error()
        if measure.state != MeasureState.PENDING:
            raise errors.NOT_EDITABLE.error(state=MeasureState(measure.state).label)
        values = _measure_values(measure.project, data)
        if values["kind"] != measure.kind and measure.allocations.filter(released_at__isnull=True).exists():
            allowed = selectors.allowed_types(values["kind"])
            if measure.allocations.filter(released_at__isnull=True).exclude(collateral__type__in=allowed).exists():
                raise errors.TYPE_MISMATCH.error(type=_("linked collateral"), kind=MeasureKind(values["kind"]).label)
        changed = [name for name, value in values.items() if getattr(measure, name) != value]
        for name, value in values.items():
            setattr(measure, name, value)
        measure.version += 1
        measure.full_clean()
        measure.save()
        _audit("securities.measure_updated", actor, measure, project=measure.project.number, fields=",".join(changed))
    return measure


def measure_fulfil(*, actor: Any, measure: Measure) -> Measure:
    """Mark a measure as in place (已落实) once its contract is signed, its collateral registered and
    its evidence uploaded; otherwise refuse saying exactly what is missing. A second submit is refused
    by the lifecycle table (a fulfilled measure cannot be fulfilled again)."""
    with transaction.atomic(durable=True):
        measure = _lock_measure(measure)
        _require_project(actor, measure.project)
        if measure.state != MeasureState.PENDING:
            lifecycle.move(measure, MeasureState.FULFILLED, actor=actor)  # raises the clear refusal
        missing = selectors.measure_missing(measure)
        if missing:
            raise errors.NOT_FULFILLABLE.error(missing="；".join(missing))
        lifecycle.move(measure, MeasureState.FULFILLED, actor=actor)
        _audit("securities.measure_fulfilled", actor, measure, project=measure.project.number)
    return measure


def measure_cancel(*, actor: Any, measure: Measure, reason: str) -> Measure:
    """Cancel a measure still to be put in place (a change of plan); its collateral allocations are
    released; nothing is deleted."""
    with transaction.atomic(durable=True):
        measure = _lock_measure(measure)
        _require_project(actor, measure.project)
        lifecycle.move(measure, MeasureState.CANCELLED, actor=actor, reason=reason)
        released = _release_allocations(measure, reason)
        _audit("securities.measure_cancelled", actor, measure, reason=reason, project=measure.project.number, allocations=released)
    return measure


def measure_release(*, actor: Any, measure: Measure, reason: str) -> Measure:
    """Release a measure in place (已释放: the guarantee ended, post-guarantee release); its collateral
    allocations end too, so the value is free for other projects. Deregistration and the return of the
    title documents are recorded on the collateral (registration, custody register).

    Runs inside the caller's transaction when there is one (post-guarantee release), else its own."""
    _require(actor, EDIT)
    with transaction.atomic():
        measure = _lock_measure(measure)
        if not selectors.project_in_scope(actor, measure.project):
            raise errors.PERMISSION_DENIED.error()
        lifecycle.move(measure, MeasureState.RELEASED, actor=actor, reason=reason)
        released = _release_allocations(measure, reason)
        _audit("securities.measure_released", actor, measure, reason=reason, project=measure.project.number, allocations=released)
    return measure


def _release_allocations(measure: Measure, reason: str) -> int:
    return measure.allocations.filter(released_at__isnull=True).update(released_at=timezone.now(), release_reason=(reason or "")[:500])


# --- allocation -----------------------------------------------------------------------------------


def allocation_add(*, actor: Any, measure: Measure, collateral: Collateral, allocated_value: Any) -> Allocation:
    """Link a collateral to a mortgage / pledge measure with the part of its value that secures it.
    Σ active allocations of the collateral may not exceed its current value (最高额 sharing)."""
    value = _money(allocated_value, _("Allocated value"))
    with transaction.atomic(durable=True):
        measure = _lock_measure(measure)
        _require_project(actor, measure.project)
        if not measure.is_secured:
            raise errors.NOT_SECURED_KIND.error()
        if measure.state != MeasureState.PENDING:
            raise errors.NOT_EDITABLE.error(state=MeasureState(measure.state).label)
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=collateral.pk)
        _require_collateral(actor, collateral)
        if collateral.type not in selectors.allowed_types(measure.kind):
            raise errors.TYPE_MISMATCH.error(type=collateral.get_type_display(), kind=measure.get_kind_display())
        if collateral.current_value is None:
            raise errors.NO_VALUE.error(number=collateral.number)
        if measure.allocations.filter(collateral=collateral, released_at__isnull=True).exists():
            raise errors.ALREADY_ALLOCATED.error()
        allocated = selectors.allocated_total(collateral)
        headroom = collateral.current_value - allocated
        if value > headroom:
            from danbao.core.money import format_amount

            raise errors.OVER_ALLOCATED.error(
                number=collateral.number,
                value=format_amount(collateral.current_value),
                allocated=format_amount(allocated),
                headroom=format_amount(max(headroom, Decimal("0"))),
                requested=format_amount(value),
                field="allocated_value",
            )
        allocation = Allocation.objects.create(
            collateral=collateral, measure=measure, project=measure.project, allocated_value=value, created_by=actor
        )
        _audit(
            "securities.collateral_allocated", actor, allocation, project=measure.project.number, collateral=collateral.number, value=value
        )
    return allocation


def allocation_release(*, actor: Any, allocation: Allocation, reason: str) -> Allocation:
    """Unlink a collateral from a measure still to be put in place (its value is free again)."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    with transaction.atomic(durable=True):
        allocation = (
            Allocation.objects.select_for_update(of=("self",)).select_related("measure", "project", "collateral").get(pk=allocation.pk)
        )
        _require_project(actor, allocation.project)
        if allocation.released_at is not None:
            raise errors.ALLOCATION_RELEASED.error()
        if allocation.measure.state != MeasureState.PENDING:
            raise errors.NOT_EDITABLE.error(state=MeasureState(allocation.measure.state).label)
        allocation.released_at = timezone.now()
        allocation.release_reason = reason[:500]
        allocation.save(update_fields=["released_at", "release_reason"])
        _audit("securities.allocation_released", actor, allocation, reason=reason, collateral=allocation.collateral.number)
    return allocation


# --- collateral -----------------------------------------------------------------------------------


def clean_attributes(collateral_type: str, attributes: dict[str, Any] | None) -> dict[str, Any]:
    """The typed attributes of a collateral type, validated by its form (securities.forms)."""
    from danbao.securities.forms import attribute_form_for

    form = attribute_form_for(collateral_type, data=attributes or {})
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label if name in form.fields else ''}{'：' if name in form.fields else ''}{'；'.join(msgs)}"
            for name, msgs in form.errors.items()
        ]
        raise errors.ATTRIBUTES_INVALID.error(problem="；".join(problems))
    return form.stored()


def _owner_values(owner: dict[str, Any]) -> dict[str, Any]:
    party_type = owner.get("party_type") or PartyType.PERSON
    if party_type not in PartyType.values:
        raise errors.PROVIDER_INVALID.error(problem=_("unknown owner type"))
    share = owner.get("share_percent")
    if share in ("", None):
        share = None
    else:
        try:
            share = Decimal(str(share))
        except InvalidOperation:
            raise errors.SHARE_INVALID.error(total=share) from None
        if share <= 0 or share > 100:
            raise errors.SHARE_INVALID.error(total=share)
    return {
        "party_type": party_type,
        "name": _text(owner.get("name"), _("Owner name")),
        "id_code": check_id_code(owner.get("id_code", ""), party_type),
        "share_percent": share,
    }


def _check_shares(collateral: Collateral) -> None:
    total = sum((o.share_percent or Decimal("0") for o in collateral.owners.all()), Decimal("0"))
    if total > 100:
        raise errors.SHARE_INVALID.error(total=total.normalize())


def collateral_create(
    *,
    actor: Any,
    type: str,
    name: str,
    attributes: dict[str, Any] | None = None,
    note: str = "",
    owners: list[dict[str, Any]] | None = None,
    appraisal: dict[str, Any] | None = None,
) -> Collateral:
    """Register a collateral with its typed attributes, its owners and (optionally) its first appraisal,
    which sets the current value directly (later value changes go through the maker-checker)."""
    _require(actor, EDIT)
    if type not in CollateralType.values:
        raise errors.KIND_INVALID.error(kind=type)
    attrs = clean_attributes(type, attributes)
    owner_values = [_owner_values(o) for o in owners or []]
    if sum((o["share_percent"] or Decimal("0") for o in owner_values), Decimal("0")) > 100:
        raise errors.SHARE_INVALID.error(total=sum((o["share_percent"] or Decimal("0") for o in owner_values), Decimal("0")).normalize())
    from danbao.system.services.numbering import number_next

    with transaction.atomic(durable=True):
        numbering_ensure()
        collateral = Collateral(
            number=number_next(COLLATERAL_NUMBERING),
            type=type,
            name=_text(name, _("Name")),
            attributes=attrs,
            note=_text(note, _("Note"), required=False, limit=500),
            created_by=actor,
        )
        collateral.full_clean()
        collateral.save()
        for values in owner_values:
            CollateralOwner.objects.create(collateral=collateral, **values)
        if appraisal:
            _appraisal_first(actor, collateral, appraisal)
        _audit("securities.collateral_created", actor, collateral, number=collateral.number, type=type)
    return collateral


def collateral_update(
    *, actor: Any, collateral: Collateral, name: str, attributes: dict[str, Any] | None, note: str = "", expected_version: int | None = None
) -> Collateral:
    """Change a collateral's name, typed attributes and note (never its value: see appraisal_record)."""
    with transaction.atomic(durable=True):
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=collateral.pk)
        _require_collateral(actor, collateral)
        if expected_version is not None and collateral.version != int(expected_version):
            raise errors.STALE.error()
        collateral.name = _text(name, _("Name"))
        collateral.attributes = clean_attributes(collateral.type, attributes)
        collateral.note = _text(note, _("Note"), required=False, limit=500)
        collateral.version += 1
        collateral.full_clean()
        collateral.save()
        _audit("securities.collateral_updated", actor, collateral, number=collateral.number)
    return collateral


def owner_add(*, actor: Any, collateral: Collateral, **owner: Any) -> CollateralOwner:
    """Add an owner or co-owner; the shares may not exceed 100 % in total."""
    values = _owner_values(owner)
    with transaction.atomic(durable=True):
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=collateral.pk)
        _require_collateral(actor, collateral)
        row = CollateralOwner.objects.create(collateral=collateral, **values)
        _check_shares(collateral)
        _audit("securities.owner_added", actor, collateral, number=collateral.number, owner=row.name)
    return row


def _appraisal_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": _money(data.get("value"), _("Appraised value")),
        "appraiser": _text(data.get("appraiser"), _("Appraiser")),
        "appraised_on": _date(data.get("appraised_on"), _("Appraisal date"), not_future=True),
        "method": _text(data.get("method"), _("Method"), required=False, limit=100),
    }


def _appraisal_first(actor: Any, collateral: Collateral, data: dict[str, Any]) -> Appraisal:
    values = _appraisal_values(data)
    now = timezone.now()
    appraisal = Appraisal.objects.create(
        collateral=collateral,
        state=AppraisalState.CONFIRMED,
        proposed_by=actor,
        proposed_at=now,
        decided_by=actor,
        decided_at=now,
        **values,
    )
    collateral.current_value = appraisal.value
    collateral.value_date = appraisal.appraised_on
    collateral.save(update_fields=["current_value", "value_date", "updated_at"])
    return appraisal


def appraisal_record(*, actor: Any, collateral: Collateral, **data: Any) -> Appraisal:
    """Record an appraisal. The first one sets the value; later ones are revaluations proposed here and
    effective only when a second person confirms them (`revaluation_confirm`)."""
    with transaction.atomic(durable=True):
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=collateral.pk)
        _require_collateral(actor, collateral)
        if collateral.current_value is None:
            appraisal = _appraisal_first(actor, collateral, data)
            _audit("securities.appraisal_recorded", actor, collateral, number=collateral.number, value=appraisal.value)
            return appraisal
        if collateral.appraisals.filter(state=AppraisalState.PROPOSED).exists():
            raise errors.REVALUATION_PENDING.error()
        values = _appraisal_values(data)
        appraisal = Appraisal.objects.create(
            collateral=collateral,
            state=AppraisalState.PROPOSED,
            is_revaluation=True,
            previous_value=collateral.current_value,
            proposed_by=actor,
            proposed_at=timezone.now(),
            **values,
        )
        _audit(
            "securities.revaluation_proposed",
            actor,
            collateral,
            number=collateral.number,
            value=appraisal.value,
            before=collateral.current_value,
        )
    return appraisal


def _lock_proposed(actor: Any, appraisal: Appraisal) -> tuple[Appraisal, Collateral]:
    _require(actor, CONFIRM)
    collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=appraisal.collateral_id)
    appraisal = Appraisal.objects.select_for_update(of=("self",)).get(pk=appraisal.pk)
    if not selectors.collateral_list_for(actor).filter(pk=collateral.pk).exists():
        raise errors.PERMISSION_DENIED.error()
    if appraisal.state != AppraisalState.PROPOSED:
        raise errors.NOT_PROPOSED.error()
    if appraisal.proposed_by_id == actor.pk:
        raise errors.SAME_PERSON.error()
    return appraisal, collateral


def revaluation_confirm(*, actor: Any, appraisal: Appraisal) -> Appraisal:
    """A second person (never the proposer) confirms a revaluation: it becomes the current value.
    A value below what is already allocated is accepted (the asset is worth what it is worth); the
    collateral page then shows the over-allocation and the projects' coverage drops."""
    with transaction.atomic(durable=True):
        appraisal, collateral = _lock_proposed(actor, appraisal)
        appraisal.state = AppraisalState.CONFIRMED
        appraisal.decided_by = actor
        appraisal.decided_at = timezone.now()
        appraisal.save(update_fields=["state", "decided_by", "decided_at"])
        before = collateral.current_value
        collateral.current_value = appraisal.value
        collateral.value_date = appraisal.appraised_on
        collateral.version += 1
        collateral.save(update_fields=["current_value", "value_date", "version", "updated_at"])
        _audit("securities.revaluation_confirmed", actor, collateral, number=collateral.number, value=appraisal.value, before=before)
    return appraisal


def revaluation_reject(*, actor: Any, appraisal: Appraisal, reason: str) -> Appraisal:
    """A second person rejects a revaluation with a reason; the value does not change."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    with transaction.atomic(durable=True):
        appraisal, collateral = _lock_proposed(actor, appraisal)
        appraisal.state = AppraisalState.REJECTED
        appraisal.decided_by = actor
        appraisal.decided_at = timezone.now()
        appraisal.reject_reason = reason[:500]
        appraisal.save(update_fields=["state", "decided_by", "decided_at", "reject_reason"])
        _audit("securities.revaluation_rejected", actor, collateral, reason=reason, number=collateral.number, value=appraisal.value)
    return appraisal


def registration_record(
    *,
    actor: Any,
    collateral: Collateral,
    registry_office: str,
    certificate_no: str,
    registered_on: Any,
    priority: Any = 1,
    secured_amount: Any = None,
) -> Registration:
    """Record the mortgage / pledge registration (registry office, 他项权证号, date, 顺位, secured amount)."""
    try:
        rank = int(priority or 1)
    except (TypeError, ValueError):
        rank = 0
    if rank < 1:
        raise errors.FIELD_REQUIRED.error(field=_("Priority"))
    with transaction.atomic(durable=True):
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=collateral.pk)
        _require_collateral(actor, collateral)
        registration = Registration.objects.create(
            collateral=collateral,
            registry_office=_text(registry_office, _("Registry office")),
            certificate_no=_text(certificate_no, _("Registration certificate number"), limit=100),
            registered_on=_date(registered_on, _("Registration date"), not_future=True),
            priority=rank,
            secured_amount=_money(secured_amount, _("Secured amount"), required=False),
            recorded_by=actor,
        )
        _audit("securities.registration_recorded", actor, collateral, number=collateral.number, certificate=registration.certificate_no)
    return registration


def registration_cancel(*, actor: Any, registration: Registration, on: Any) -> Registration:
    """Record the deregistration (注销登记) of a mortgage or pledge, e.g. after release."""
    with transaction.atomic():  # not durable: the release app calls it inside its task transaction
        registration = Registration.objects.select_for_update(of=("self",)).select_related("collateral").get(pk=registration.pk)
        _require_collateral(actor, registration.collateral)
        if registration.deregistered_on is not None:
            return registration
        registration.deregistered_on = _date(on, _("Deregistration date"), not_future=True)
        registration.save(update_fields=["deregistered_on"])
        _audit("securities.registration_cancelled", actor, registration.collateral, certificate=registration.certificate_no)
    return registration


def insurance_record(
    *, actor: Any, collateral: Collateral, insurer: str, policy_no: str, amount: Any, starts_on: Any, ends_on: Any, first_beneficiary: str
) -> Insurance:
    start = _date(starts_on, _("Insured from"))
    end = _date(ends_on, _("Insured until"))
    if end < start:  # type: ignore[operator]
        raise errors.DATE_INVALID.error(field=_("Insured until"), problem=_("before the start of the period"))
    with transaction.atomic(durable=True):
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=collateral.pk)
        _require_collateral(actor, collateral)
        insurance = Insurance.objects.create(
            collateral=collateral,
            insurer=_text(insurer, _("Insurer")),
            policy_no=_text(policy_no, _("Policy number"), limit=100),
            amount=_money(amount, _("Insured amount")),
            starts_on=start,
            ends_on=end,
            first_beneficiary=_text(first_beneficiary, _("First beneficiary")),
            recorded_by=actor,
        )
        _audit("securities.insurance_recorded", actor, collateral, number=collateral.number, policy=insurance.policy_no)
    return insurance


# --- custody of title documents -------------------------------------------------------------------


def custody_in(*, actor: Any, collateral: Collateral, document: str, location: str, reason: str, at: Any = None) -> CustodyEntry:
    """Title documents taken into custody (入库): what, where kept, why."""
    with transaction.atomic(durable=True):
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=collateral.pk)
        _require_collateral(actor, collateral, CUSTODY)
        out = selectors.custody_open_out(collateral)
        if out is not None:
            raise errors.CUSTODY_OUT.error(reason=out.reason)
        entry = CustodyEntry.objects.create(
            collateral=collateral,
            direction=CustodyDirection.IN,
            document=_text(document, _("Title document")),
            location=_text(location, _("Kept at")),
            reason=_text(reason, _("Reason"), limit=500),
            handled_by=actor,
            at=at or timezone.now(),
        )
        _audit("securities.custody_in", actor, collateral, number=collateral.number, location=entry.location)
    return entry


def custody_out(
    *, actor: Any, collateral: Collateral, document: str, location: str, reason: str, expected_return: Any = None
) -> CustodyEntry:
    """Title documents taken out of custody (出库 / 借阅): to where or whom, why, expected back when."""
    with transaction.atomic():  # not durable: the release app calls it inside its task transaction
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=collateral.pk)
        _require_collateral(actor, collateral, CUSTODY)
        out = selectors.custody_open_out(collateral)
        if out is not None:
            raise errors.CUSTODY_OUT.error(reason=out.reason)
        entry = CustodyEntry.objects.create(
            collateral=collateral,
            direction=CustodyDirection.OUT,
            document=_text(document, _("Title document")),
            location=_text(location, _("Taken to")),
            reason=_text(reason, _("Reason"), limit=500),
            handled_by=actor,
            at=timezone.now(),
            expected_return=_date(expected_return, _("Expected back on"), required=False),
        )
        _audit("securities.custody_out", actor, collateral, reason=entry.reason, number=collateral.number, location=entry.location)
    return entry


def custody_return(*, actor: Any, entry: CustodyEntry, location: str) -> CustodyEntry:
    """The documents taken out came back: closes the 'out' line and records where they are kept now."""
    with transaction.atomic(durable=True):
        entry = CustodyEntry.objects.select_for_update(of=("self",)).select_related("collateral").get(pk=entry.pk)
        collateral = Collateral.objects.select_for_update(of=("self",)).get(pk=entry.collateral_id)
        _require_collateral(actor, collateral, CUSTODY)
        if entry.direction != CustodyDirection.OUT or entry.returned_at is not None:
            raise errors.CUSTODY_NOT_OUT.error()
        now = timezone.now()
        entry.returned_at = now
        entry.returned_by = actor
        entry.save(update_fields=["returned_at", "returned_by"])
        back = CustodyEntry.objects.create(
            collateral=collateral,
            direction=CustodyDirection.IN,
            document=entry.document,
            location=_text(location, _("Kept at")),
            reason=_("Returned (%(reason)s)") % {"reason": entry.reason},
            handled_by=actor,
            at=now,
        )
        _audit("securities.custody_returned", actor, collateral, number=collateral.number, location=back.location)
    return entry


def ensure_setup() -> None:
    """Parameters and the numbering rule (idempotent): demo step, production bootstrap, tests."""
    from danbao.securities.parameters import ensure_parameters

    ensure_parameters()
    numbering_ensure()
