"""Securities reads. Scope: a measure is visible when its project is (projects.selectors); a collateral
when any project it secures is in the user's scope or the user recorded it. Out of scope answers 404
exactly like a missing row.

Public for other apps (keep the names): `measures_of`, `coverage_of`, `readiness`, `measure_missing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.checklist import ChecklistItem
from danbao.core.money import format_amount
from danbao.projects.models import Project, ProjectState
from danbao.projects.selectors import project_get_for, project_in_scope, project_list_for
from danbao.securities import calculations, parameters
from danbao.securities.models import (
    MORTGAGE_TYPES,
    PLEDGE_TYPES,
    Allocation,
    Appraisal,
    AppraisalState,
    Collateral,
    CustodyDirection,
    CustodyEntry,
    Measure,
    MeasureKind,
    MeasureState,
    Registration,
)

VIEW = "securities.security.view"
EDIT = "securities.security.edit"
CONFIRM = "securities.revaluation.confirm"
CUSTODY = "securities.custody.manage"
EVIDENCE_KIND = "evidence"
OPEN_STATES = (MeasureState.PENDING, MeasureState.FULFILLED)


# --- access ---------------------------------------------------------------------------------------


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def may_view(user: Any, project: Project) -> bool:
    return _active(user) and user.can(VIEW) and project_in_scope(user, project)


def may_edit(user: Any, project: Project) -> bool:
    """Edit measures of this project: the edit permission and the project in the user's scope."""
    return _active(user) and user.can(EDIT) and project.state == ProjectState.APPROVED and project_in_scope(user, project)


def project_for(user: Any, pk: Any, request: Any = None) -> Project:
    return project_get_for(user, pk, request)


def approved_projects_for(user: Any) -> QuerySet[Project]:
    """Approved projects in the user's scope with their measure counts (the measures list)."""
    return (
        project_list_for(user)
        .filter(state=ProjectState.APPROVED)
        .annotate(
            measure_count=Count("measures", filter=~Q(measures__state=MeasureState.CANCELLED), distinct=True),
            pending_count=Count("measures", filter=Q(measures__state=MeasureState.PENDING), distinct=True),
        )
    )


def measure_get_for(user: Any, pk: Any, request: Any = None) -> Measure:
    try:
        measure = Measure.objects.select_related("project", "project__customer", "related_party", "created_by").get(pk=int(pk))
    except (Measure.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    project_get_for(user, measure.project_id, request)  # 404 when the project is out of scope
    return measure


def collateral_list_for(user: Any) -> QuerySet[Collateral]:
    """Collateral securing a project in the user's scope, or recorded by the user."""
    if not _active(user):
        return Collateral.objects.none()
    in_scope = Allocation.objects.filter(collateral=OuterRef("pk"), project__in=project_list_for(user).values("pk"))
    return Collateral.objects.filter(Q(Exists(in_scope)) | Q(created_by=user))


def collateral_get_for(user: Any, pk: Any, request: Any = None) -> Collateral:
    from danbao.org.scope import get_in_scope

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_in_scope(collateral_list_for(user).select_related("created_by"), user, request, pk=pk)


def may_view_collateral(user: Any, collateral: Collateral) -> bool:
    return _active(user) and user.can(VIEW) and collateral_list_for(user).filter(pk=collateral.pk).exists()


def may_edit_collateral(user: Any, collateral: Collateral) -> bool:
    return _active(user) and user.can(EDIT) and collateral_list_for(user).filter(pk=collateral.pk).exists()


# --- measures -------------------------------------------------------------------------------------


def measures_of(project: Project) -> list[Measure]:
    """Every measure of the project (cancelled and released included), oldest first."""
    return list(Measure.objects.filter(project=project).select_related("related_party").order_by("id"))


def effective_terms(project: Project) -> Any:
    return project.terms.filter(effective_at__isnull=False).order_by("-sequence").first()


def requirement_lines(project: Project) -> list[str]:
    """The effective terms' counter-guarantee requirements, one per line (numbering kept as written)."""
    terms = effective_terms(project)
    text = terms.counter_guarantees if terms is not None else ""
    return [line.strip() for line in text.replace("；", "\n").splitlines() if line.strip()]


def evidence_count(measure: Measure) -> int:
    from danbao.core.attachments.models import Attachment

    content_type = ContentType.objects.get_for_model(Measure)
    return Attachment.objects.filter(owner_type=content_type, owner_id=str(measure.pk), kind=EVIDENCE_KIND, voided_at__isnull=True).count()


def active_allocations(measure: Measure) -> list[Allocation]:
    return list(measure.allocations.filter(released_at__isnull=True).select_related("collateral").order_by("id"))


def active_registration(collateral: Collateral) -> Any:
    return collateral.registrations.filter(deregistered_on__isnull=True).order_by("-registered_on", "-id").first()


def _is_signed(contract: Any) -> bool:
    signed = getattr(contract, "is_signed", None)
    if signed is not None:
        return bool(signed() if callable(signed) else signed)
    return getattr(contract, "state", "") == "signed" or getattr(contract, "signed_at", None) is not None


def contract_of(measure: Measure) -> Any:
    """The contract generated for this measure (contracts app), or None."""
    try:
        from danbao.contracts.selectors import contract_for_subject
    except ImportError:
        return None
    return contract_for_subject(measure.project, measure.subject_key)


def contract_state(measure: Measure) -> tuple[bool, str]:
    """(signed?, what is missing) for a measure that needs a contract."""
    contract = contract_of(measure)
    if contract is None:
        return False, _("the counter-guarantee contract has not been generated")
    if not _is_signed(contract):
        number = getattr(contract, "number", "") or ""
        return False, _("contract %(number)s is not signed") % {"number": number}
    return True, ""


def measure_missing(measure: Measure) -> list[str]:
    """Exactly what is missing before the measure can be marked as in place (empty: nothing)."""
    missing: list[str] = []
    if measure.contract_kind:
        signed, detail = contract_state(measure)
        if not signed:
            missing.append(detail)
    if measure.is_secured:
        allocations = active_allocations(measure)
        if not allocations:
            missing.append(_("no collateral is linked"))
        for allocation in allocations:
            if active_registration(allocation.collateral) is None:
                missing.append(
                    _("collateral %(number)s %(name)s has no registration (certificate number) recorded")
                    % {"number": allocation.collateral.number, "name": allocation.collateral.name}
                )
    if evidence_count(measure) == 0:
        missing.append(_("no evidence is uploaded"))
    return missing


# --- coverage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    value: Decimal  # Σ allocated value × pledge rate
    ratio: Decimal | None  # value ÷ approved amount (None: no approved amount)
    required: Decimal  # securities_coverage_min in force
    below: bool
    amount: Decimal | None = None  # the approved guarantee amount covered

    @property
    def ratio_percent(self) -> str:
        return "—" if self.ratio is None else f"{(self.ratio * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"

    @property
    def required_percent(self) -> str:
        return f"{(self.required * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def guarantee_amount(project: Project) -> Decimal | None:
    terms = effective_terms(project)
    if terms is not None:
        return terms.amount
    return project.approved_amount


def project_allocations(project: Project) -> QuerySet[Allocation]:
    """Active allocations of the project's open (pending or in place) measures."""
    return Allocation.objects.filter(project=project, released_at__isnull=True, measure__state__in=OPEN_STATES).select_related(
        "collateral", "measure"
    )


def coverage_of(project: Project, on: date | None = None) -> Coverage:
    on = on or timezone.localdate()
    rates: dict[str, Decimal] = {}
    parts = []
    for allocation in project_allocations(project):
        kind = allocation.collateral.type
        if kind not in rates:
            rates[kind] = parameters.pledge_rate(kind, on)
        parts.append(calculations.SecuredPart(allocation.allocated_value, rates[kind]))
    value = calculations.compute_coverage_value(parts)
    amount = guarantee_amount(project)
    ratio = calculations.compute_coverage_ratio(value, amount)
    required = parameters.coverage_min(on)
    return Coverage(value, ratio, required, calculations.is_below(ratio, required), amount)


def has_secured_measures(project: Project) -> bool:
    return Measure.objects.filter(project=project, kind__in=(MeasureKind.MORTGAGE, MeasureKind.PLEDGE), state__in=OPEN_STATES).exists()


def readiness(project: Project) -> list[ChecklistItem]:
    """The counter-guarantee lines of the pre-issue checklist (letters app):

    * one line per open measure: in place, or exactly what is missing;
    * a line when the approval requires counter-guarantees but none is recorded;
    * a coverage line when the project has mortgage or pledge measures: red below
      `securities_coverage_min` (it blocks, like every red line; see docs/securities.md).
    """
    url = reverse("securities:project-measures", args=[project.pk])
    items: list[ChecklistItem] = []
    measures = [m for m in measures_of(project) if m.state in OPEN_STATES]
    if requirement_lines(project) and not measures:
        items.append(
            ChecklistItem(
                "securities.recorded",
                _("Counter-guarantees recorded"),
                False,
                _("The approval requires counter-guarantees but no measure is recorded."),
                url,
            )
        )
    for measure in measures:
        label = _("Counter-guarantee: %(measure)s") % {"measure": f"{measure.get_kind_display()} · {measure.provider_name}"}
        measure_url = reverse("securities:measure-detail", args=[measure.pk])
        if measure.state == MeasureState.FULFILLED:
            detail = (
                _("In place since %(date)s") % {"date": timezone.localdate(measure.fulfilled_at).isoformat()}
                if measure.fulfilled_at
                else ""
            )
            items.append(ChecklistItem(f"securities.measure:{measure.pk}", label, True, detail, measure_url))
        else:
            missing = measure_missing(measure)
            detail = _("Not in place: %(missing)s.") % {"missing": "；".join(missing)} if missing else _("Ready: mark it as in place.")
            items.append(ChecklistItem(f"securities.measure:{measure.pk}", label, False, detail, measure_url))
    if has_secured_measures(project):
        coverage = coverage_of(project)
        detail = _(
            "Collateral value after pledge rates %(value)s yuan covers %(ratio)s of the guarantee amount; at least %(required)s required."
        ) % {
            "value": format_amount(coverage.value),
            "ratio": coverage.ratio_percent,
            "required": coverage.required_percent,
        }
        items.append(ChecklistItem("securities.coverage", _("Collateral coverage"), not coverage.below, detail, url))
    return items


# --- collateral -----------------------------------------------------------------------------------


def allocated_total(collateral: Collateral, exclude: Allocation | None = None) -> Decimal:
    queryset = collateral.allocations.filter(released_at__isnull=True)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset.aggregate(total=Sum("allocated_value"))["total"] or Decimal("0")


def headroom(collateral: Collateral) -> Decimal:
    return calculations.compute_headroom(collateral.current_value, allocated_total(collateral))


def custody_open_out(collateral: Collateral) -> CustodyEntry | None:
    return collateral.custody.filter(direction=CustodyDirection.OUT, returned_at__isnull=True).order_by("-at", "-id").first()


def current_location(collateral: Collateral) -> str:
    """Where the title documents are now: out (to whom/where, why) or the last place they were kept."""
    out = custody_open_out(collateral)
    if out is not None:
        return _("Out: %(location)s (%(reason)s)") % {"location": out.location, "reason": out.reason}
    last_in = collateral.custody.filter(direction=CustodyDirection.IN).order_by("-at", "-id").first()
    return last_in.location if last_in is not None else ""


def pending_revaluation(collateral: Collateral) -> Appraisal | None:
    return collateral.appraisals.filter(state=AppraisalState.PROPOSED).select_related("proposed_by").first()


def revaluations_waiting_for(user: Any) -> QuerySet[Appraisal]:
    """Revaluations the user may confirm: proposed by someone else, on collateral in the user's scope."""
    if not _active(user) or not user.can(CONFIRM):
        return Appraisal.objects.none()
    return (
        Appraisal.objects.filter(state=AppraisalState.PROPOSED, collateral__in=collateral_list_for(user))
        .exclude(proposed_by=user)
        .select_related("collateral", "proposed_by")
        .order_by("proposed_at")
    )


def allowed_types(kind: str) -> tuple[str, ...]:
    if kind == MeasureKind.MORTGAGE:
        return tuple(MORTGAGE_TYPES)
    if kind == MeasureKind.PLEDGE:
        return tuple(PLEDGE_TYPES)
    return ()


def collateral_choices_for(user: Any, measure: Measure) -> list[Collateral]:
    """Valued collateral of a type this measure can take, in the user's reach, not yet linked to it."""
    linked = measure.allocations.filter(released_at__isnull=True).values("collateral")
    return list(
        collateral_list_for(user)
        .filter(type__in=allowed_types(measure.kind), current_value__isnull=False)
        .exclude(pk__in=linked)
        .order_by("-id")[:200]
    )


def coverage_by_project(collateral: Collateral) -> list[dict[str, Any]]:
    """For each project this collateral secures: the allocation and the project's coverage."""
    rows = []
    for allocation in collateral.allocations.filter(released_at__isnull=True).select_related("project", "project__customer", "measure"):
        rows.append({"allocation": allocation, "project": allocation.project, "coverage": coverage_of(allocation.project)})
    return rows


def collateral_rows_for_contract(measure: Measure) -> list[dict[str, str]]:
    """The collateral table printed in a mortgage / pledge contract. Row keys read by the contracts app
    (contracts.subjects): name, owner, certificate, location, value (the appraised value), note (顺位
    and, for a shared 最高额 collateral, the value allocated to this debt); extra keys kept for other
    readers: number, type, registration, pledge_rate, allocated_value."""
    rows = []
    for allocation in active_allocations(measure):
        collateral = allocation.collateral
        registration = active_registration(collateral)
        attrs = collateral.attributes if isinstance(collateral.attributes, dict) else {}
        certificate = attrs.get("certificate_no") or attrs.get("serial") or attrs.get("vin") or ""
        location = (
            attrs.get("address") or attrs.get("parcel") or attrs.get("warehouse") or attrs.get("company") or attrs.get("debtor") or ""
        )
        note = []
        if registration is not None:
            note.append(
                _("rank %(priority)s, certificate %(certificate)s")
                % {"priority": registration.priority, "certificate": registration.certificate_no}
            )
        if collateral.current_value is not None and allocation.allocated_value < collateral.current_value:
            note.append(_("value allocated to this debt %(value)s yuan") % {"value": format_amount(allocation.allocated_value)})
        rows.append(
            {
                "number": collateral.number,
                "name": collateral.name,
                "type": str(collateral.get_type_display()),
                "owner": "、".join(owner.name for owner in collateral.owners.all()),
                "certificate": str(certificate),
                "location": str(location),
                "value": str(collateral.current_value) if collateral.current_value is not None else "",
                "note": "；".join(note),
                "registration": registration.certificate_no if registration else "",
                "pledge_rate": f"{(parameters.pledge_rate(collateral.type) * 100).normalize()}%",
                "allocated_value": str(allocation.allocated_value),
            }
        )
    return rows


def dossier_section(user: Any, project: Project) -> dict[str, Any]:
    if not (_active(user) and user.can(VIEW)):
        return {"securities_hidden": True}
    measures = measures_of(project)
    return {
        "securities_hidden": False,
        "securities_measures": measures,
        "securities_coverage": coverage_of(project) if has_secured_measures(project) else None,
        "securities_requirements": requirement_lines(project),
    }


# --- the collateral register and page -------------------------------------------------------------


def _latest_custody() -> QuerySet[CustodyEntry]:
    return CustodyEntry.objects.filter(collateral=OuterRef("pk")).order_by("-at", "-id")


def collateral_register_for(user: Any) -> QuerySet[Collateral]:
    """The register rows in the user's reach with what the list shows and filters on: allocated value,
    registration flag, where the title documents are."""
    from django.db.models import Case, CharField, DecimalField, OuterRef, Subquery, Value, When
    from django.db.models.functions import Coalesce

    allocated = (
        Allocation.objects.filter(collateral=OuterRef("pk"), released_at__isnull=True)
        .values("collateral")
        .annotate(total=Sum("allocated_value"))
        .values("total")
    )
    registered = Registration.objects.filter(collateral=OuterRef("pk"), deregistered_on__isnull=True)
    open_out = CustodyEntry.objects.filter(collateral=OuterRef("pk"), direction=CustodyDirection.OUT, returned_at__isnull=True)
    return (
        collateral_list_for(user)
        .annotate(
            allocated=Coalesce(
                Subquery(allocated, output_field=DecimalField(max_digits=18, decimal_places=2)),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=18, decimal_places=2),
            ),
            is_registered=Exists(registered),
            registered_flag=Case(When(Exists(registered), then=Value("yes")), default=Value("no"), output_field=CharField()),
            custody_location=Subquery(_latest_custody().values("location")[:1]),
            custody_out=Exists(open_out),
        )
        .prefetch_related("owners")
    )


def owner_name_condition(text: str) -> Q | None:
    """Search the register by an owner's or co-owner's name."""
    from danbao.securities.models import CollateralOwner

    text = text.strip()
    if not text:
        return None
    return Q(Exists(CollateralOwner.objects.filter(collateral=OuterRef("pk"), name__icontains=text)))


def custody_locations_for(user: Any) -> list[tuple[str, str]]:
    """The places title documents of the user's collateral are kept or taken to (location filter)."""
    places = (
        CustodyEntry.objects.filter(collateral__in=collateral_list_for(user))
        .values_list("location", flat=True)
        .distinct()
        .order_by("location")
    )
    return [(p, p) for p in places[:100]]


def collateral_page(user: Any, collateral: Collateral) -> dict[str, Any]:
    from danbao.securities.forms import attributes_display

    allocated = allocated_total(collateral)
    registrations = list(collateral.registrations.select_related("recorded_by"))
    custody = list(collateral.custody.select_related("handled_by", "returned_by"))
    may_edit = may_edit_collateral(user, collateral)
    proposed = pending_revaluation(collateral)
    return {
        "collateral": collateral,
        "attributes": attributes_display(collateral),
        "owners": list(collateral.owners.all()),
        "appraisals": list(collateral.appraisals.select_related("proposed_by", "decided_by")),
        "proposed": proposed,
        "can_decide": proposed is not None and user.can(CONFIRM) and proposed.proposed_by_id != user.pk,
        "is_proposer": proposed is not None and proposed.proposed_by_id == user.pk,
        "registrations": registrations,
        "active_registration": next((r for r in registrations if r.is_active), None),
        "insurances": list(collateral.insurances.select_related("recorded_by")),
        "custody": custody,
        "custody_out": next((c for c in custody if c.direction == CustodyDirection.OUT and c.returned_at is None), None),
        "location": current_location(collateral),
        "allocated": allocated,
        "headroom": calculations.compute_headroom(collateral.current_value, allocated),
        "over_allocated": collateral.current_value is not None and allocated > collateral.current_value,
        "pledge_rate": parameters.pledge_rate(collateral.type),
        "projects": coverage_by_project(collateral),
        "released": list(collateral.allocations.filter(released_at__isnull=False).select_related("project", "measure")),
        "can_edit": may_edit,
        "can_custody": user.can(CUSTODY),
    }
