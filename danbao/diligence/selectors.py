"""Diligence reads. Scope: the project's (projects.selectors.project_get_for: department scope plus
the project's own managers); a project outside it answers 404 exactly like a missing one.

Also the customer facts the report pulls in (ratios with their 3-year trend, related parties,
external guarantees, credit records), `readiness` for the project's submit to risk review, and the
dossier section's context."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.attachments.models import Attachment
from danbao.diligence.models import SECTIONS, DiligenceMaterial, DiligenceReport, ReportState, SitePhoto, SiteVisit
from danbao.projects.models import Project, ProjectState
from danbao.projects.selectors import project_get_for, project_in_scope

VIEW = "diligence.report.view"
WRITE = "diligence.report.write"
WAIVE = "diligence.material.waive"
EDITABLE_PROJECT_STATES = (ProjectState.ACCEPTED, ProjectState.DUE_DILIGENCE)
TREND_YEARS = 3
# Ratios shown as percentages; the others are multiples (times).
PERCENT_RATIOS = {"debt_to_asset", "gross_margin", "net_margin", "roe", "ocf_to_liabilities", "expense_ratio", "net_income_to_liabilities"}


# --- access ---------------------------------------------------------------------------------------


def project_for(user: Any, pk: Any, request: Any = None) -> Project:
    """The project in the user's scope (404 otherwise) for a diligence page."""
    return project_get_for(user, pk, request)


def may_view(user: Any, project: Project) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.can(VIEW):
        return False
    return is_manager(user, project) or project_in_scope(user, project)


def is_manager(user: Any, project: Project) -> bool:
    return user is not None and user.pk in (project.manager_a_id, project.manager_b_id)


def current_report(project: Project) -> DiligenceReport | None:
    return (
        DiligenceReport.objects.filter(project=project, is_current=True)
        .select_related("a_signed_by", "b_confirmed_by", "created_by")
        .first()
    )


def report_versions(project: Project) -> list[DiligenceReport]:
    """Every version of the project's report, newest first."""
    return list(DiligenceReport.objects.filter(project=project).select_related("a_signed_by", "b_confirmed_by").order_by("-number"))


def report_get_for(user: Any, project: Project, number: Any) -> DiligenceReport:
    """One version of the project's report (the project is already in the user's scope), or 404."""
    try:
        return DiligenceReport.objects.select_related("a_signed_by", "b_confirmed_by").get(project=project, number=int(number))
    except (DiligenceReport.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def diligence_open(project: Project, report: DiligenceReport | None) -> bool:
    """May the managers change materials, visits and sections now? (draft, project in diligence)"""
    return project.state in EDITABLE_PROJECT_STATES and (report is None or report.is_editable)


def transitions_of(report: DiligenceReport) -> list[Any]:
    return list(report.transitions.select_related("actor").order_by("at", "id"))


# --- customer facts pulled into the report -------------------------------------------------------


def _fmt(key: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if key in PERCENT_RATIOS:
        return f"{(value * 100).quantize(Decimal('0.01'))}%"
    return f"{value.quantize(Decimal('0.01'))}"


def _trend(values: list[Decimal | None]) -> str:
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    if known[-1] > known[0]:
        return "up"
    if known[-1] < known[0]:
        return "down"
    return "flat"


def _financials(customer: Any) -> dict[str, Any]:
    from danbao.customers.calculations import HOUSEHOLD_RATIO_LABELS, HouseholdFigures, household_ratios
    from danbao.customers.models import HouseholdStatement
    from danbao.customers.selectors_extras import ratio_trend

    trend = ratio_trend(customer)
    periods = trend["periods"][-TREND_YEARS:]
    if periods:
        start = len(trend["periods"]) - len(periods)
        rows = []
        for row in trend["rows"]:
            values = row["values"][start:]
            rows.append(
                {
                    "label": row["label"],
                    "definition": row["definition"],
                    "values": [_fmt(row["key"], v) for v in values],
                    "trend": _trend(values),
                }
            )
        headers = [f"{p['statement'].period_end:%Y-%m-%d}" for p in periods]
        return {"kind": "statements", "periods": headers, "rows": rows}
    households = list(HouseholdStatement.objects.filter(customer=customer).order_by("year"))[-TREND_YEARS:]
    if households:
        computed = [
            household_ratios(HouseholdFigures(**{n: getattr(h, n) for n in HouseholdFigures.__dataclass_fields__})) for h in households
        ]
        rows = []
        for key, label in HOUSEHOLD_RATIO_LABELS.items():
            values = [c[key] for c in computed]
            rows.append(
                {
                    "label": str(label),
                    "definition": str(label.definition),
                    "values": [_fmt(key, v) for v in values],
                    "trend": _trend(values),
                }
            )
        return {"kind": "household", "periods": [str(h.year) for h in households], "rows": rows}
    return {"kind": "none", "periods": [], "rows": []}


def _credit(customer: Any) -> dict[str, Any]:
    from danbao.customers.selectors_extras import credit_reports_of

    reports = credit_reports_of(customer)
    if not reports:
        return {"report_date": "", "entries": [], "guarantees": [], "summary": ""}
    latest = reports[0]
    entries = list(latest.entries.all().order_by("kind", "id"))
    rows = [
        {
            "kind": e.get_kind_display(),
            "institution": e.institution,
            "amount": f"{e.amount:,.2f}",
            "balance": f"{e.balance:,.2f}",
            "status": e.status,
            "overdue": f"{e.overdue_amount:,.2f} / {e.overdue_days}" if e.overdue_amount or e.overdue_days else "",
        }
        for e in entries
        if e.kind != e.Kind.GUARANTEE
    ]
    guarantees = [
        {"institution": e.institution, "amount": f"{e.amount:,.2f}", "balance": f"{e.balance:,.2f}", "status": e.status}
        for e in entries
        if e.kind == e.Kind.GUARANTEE
    ]
    loans = [e for e in entries if e.kind == e.Kind.LOAN]
    overdue = [e for e in entries if e.kind == e.Kind.OVERDUE or e.overdue_days]
    balance = sum((e.balance for e in loans), Decimal(0))
    summary = _("%(loans)s loans, balance %(balance)s yuan; %(overdue)s overdue records") % {
        "loans": len(loans),
        "balance": f"{balance:,.2f}",
        "overdue": len(overdue),
    }
    return {"report_date": f"{latest.query_date:%Y-%m-%d}", "entries": rows, "guarantees": guarantees, "summary": summary}


def _related(customer: Any) -> list[dict[str, str]]:
    from danbao.customers.selectors_extras import relations_of

    return [
        {
            "kind": r.get_kind_display(),
            "name": r.display_name,
            "share": f"{r.share_percent.normalize():f}%" if r.share_percent is not None else "",
            "since": f"{r.started_on:%Y-%m-%d}" if r.started_on else "",
        }
        for r in relations_of(customer)
    ]


def customer_facts(customer: Any) -> dict[str, Any]:
    """What the report pulls in from the customer now, as display strings (also the signing snapshot)."""
    return {
        "taken_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "financial": _financials(customer),
        "credit": _credit(customer),
        "related": _related(customer),
    }


def facts_for(report: DiligenceReport | None, project: Project) -> dict[str, Any]:
    """The snapshot of a signed report, the live facts of a draft."""
    if report is not None and report.state != ReportState.DRAFT and report.snapshot:
        return {**report.snapshot, "frozen": True}
    return {**customer_facts(project.customer), "frozen": False}


# --- materials and visits ------------------------------------------------------------------------


def _uploaded_ids(materials: list[DiligenceMaterial]) -> dict[int, list[Attachment]]:
    if not materials:
        return {}
    owner_type = ContentType.objects.get_for_model(DiligenceMaterial)
    files: dict[int, list[Attachment]] = {}
    rows = Attachment.objects.filter(owner_type=owner_type, owner_id__in=[str(m.pk) for m in materials], voided_at__isnull=True).order_by(
        "uploaded_at", "id"
    )
    for row in rows:
        files.setdefault(int(row.owner_id), []).append(row)
    return files


def materials_of(project: Project) -> list[dict[str, Any]]:
    """The checklist rows with their status: uploaded (files), waived (reason), missing or optional."""
    materials = list(DiligenceMaterial.objects.filter(project=project).select_related("waived_by").order_by("sort_order", "id"))
    files = _uploaded_ids(materials)
    out = []
    for material in materials:
        current = files.get(material.pk, [])
        if current:
            status = "uploaded"
        elif material.waived:
            status = "waived"
        else:
            status = "missing" if material.required else "optional"
        out.append({"material": material, "files": current, "status": status})
    return out


def visits_of(project: Project, *, include_voided: bool = True) -> list[SiteVisit]:
    queryset = SiteVisit.objects.filter(project=project).select_related("created_by", "voided_by").prefetch_related("participants")
    if not include_voided:
        queryset = queryset.filter(voided_at__isnull=True)
    visits = list(queryset.order_by("-visit_date", "-id"))
    photos: dict[int, list[SitePhoto]] = {}
    for photo in SitePhoto.objects.filter(visit__in=visits).select_related("attachment", "uploaded_by").order_by("captured_at", "id"):
        photos.setdefault(photo.visit_id, []).append(photo)
    for visit in visits:
        visit.photo_list = photos.get(visit.pk, [])  # type: ignore[attr-defined]
    return visits


def visit_get_for(project: Project, pk: Any) -> SiteVisit:
    try:
        return SiteVisit.objects.get(project=project, pk=int(pk))
    except (SiteVisit.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def material_get_for(project: Project, pk: Any) -> DiligenceMaterial:
    try:
        return DiligenceMaterial.objects.get(project=project, pk=int(pk))
    except (DiligenceMaterial.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def photo_get_for(project: Project, pk: Any) -> SitePhoto:
    try:
        return SitePhoto.objects.select_related("attachment", "visit").get(visit__project=project, pk=int(pk))
    except (SitePhoto.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def may_waive(user: Any, project: Project) -> bool:
    """The project's B-role manager, or a holder of the waiver permission (department head) whose
    scope covers the project; never the A-role (who asks for the material)."""
    if user is None or not getattr(user, "is_active", False) or user.pk == project.manager_a_id:
        return False
    if user.pk == project.manager_b_id and user.can(WRITE):
        return True
    return bool(user.can(WAIVE)) and project_in_scope(user, project)


# --- readiness for risk review -------------------------------------------------------------------


def returned_after_confirmation(project: Project, report: DiligenceReport) -> bool:
    """Was the project sent back to due diligence after this report was confirmed?"""
    if report.b_confirmed_at is None:
        return False
    return project.transitions.filter(action="return_diligence", at__gt=report.b_confirmed_at).exists()


def readiness(project: Project) -> list[str]:
    """What still stops the project going to risk review (empty list: ready): the report signed by
    the A-role and confirmed by the B-role, every required material uploaded or waived, at least one
    site visit. The projects app calls this before "submit to risk review"."""
    problems: list[str] = []
    report = current_report(project)
    if report is None:
        problems.append(_("The due-diligence report has not been started."))
    elif report.state == ReportState.DRAFT:
        problems.append(_("The due-diligence report has not been signed by the A-role manager."))
    elif report.state == ReportState.A_SIGNED:
        problems.append(_("The due-diligence report has not been confirmed by the B-role manager."))
    elif returned_after_confirmation(project, report):
        problems.append(
            _("The project was returned for more due diligence after the report was confirmed: reopen the report and sign it again.")
        )
    for row in materials_of(project):
        if row["status"] == "missing":
            problems.append(_("Material neither uploaded nor waived: %(name)s") % {"name": row["material"].name})
    if not SiteVisit.objects.filter(project=project, voided_at__isnull=True).exists():
        problems.append(_("At least one site visit must be recorded."))
    return problems


def review_submit_check(project: Project, actor: Any) -> None:
    """`readiness` as a refusal, in the shape of projects' REVIEW_SUBMIT_CHECKS (raises DomainError)."""
    from danbao.diligence import errors

    problems = readiness(project)
    if problems:
        raise errors.NOT_READY.error(problems="；".join(p.rstrip("。.") for p in problems))


# --- page contexts -------------------------------------------------------------------------------


def sections_of(report: DiligenceReport | None) -> list[dict[str, str]]:
    if report is None:
        return []
    return [{"field": field, "label": str(label), "text": getattr(report, field)} for field, label in SECTIONS]


def fee_rate_percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return f"{(rate * 100).quantize(Decimal('0.01'))}%"


def workspace(user: Any, project: Project) -> dict[str, Any]:
    """Everything the project's diligence page shows, plus what the user may do there."""
    report = current_report(project)
    materials = materials_of(project)
    open_ = diligence_open(project, report)
    is_a = user.pk == project.manager_a_id and user.can(WRITE)
    is_b = user.pk == project.manager_b_id and user.can(WRITE)
    return {
        "project": project,
        "report": report,
        "versions": report_versions(project),
        "sections": sections_of(report),
        "facts": facts_for(report, project),
        "materials": materials,
        "materials_done": sum(1 for m in materials if m["status"] in ("uploaded", "waived")),
        "materials_required": sum(1 for m in materials if m["material"].required),
        "visits": visits_of(project),
        "problems": readiness(project),
        "transitions": transitions_of(report) if report else [],
        "fee_rate_percent": fee_rate_percent(report.proposed_fee_rate if report else None),
        "is_a": is_a,
        "is_b": is_b,
        "can_start": report is None and is_a and project.state in EDITABLE_PROJECT_STATES,
        "can_edit": open_ and report is not None and is_a,
        "can_record": open_ and report is not None and (is_a or is_b),
        "can_waive": open_ and report is not None and may_waive(user, project),
        "can_sign": report is not None and report.state == ReportState.DRAFT and is_a and project.state in EDITABLE_PROJECT_STATES,
        "can_confirm": report is not None and report.state == ReportState.A_SIGNED and is_b,
        "can_reopen": report is not None and report.state == ReportState.CONFIRMED and is_a and project.state in EDITABLE_PROJECT_STATES,
    }


def dossier_section(user: Any, project: Project) -> dict[str, Any]:
    """Context of `diligence/_dossier_section.html` for the project dossier page (read only)."""
    report = current_report(project)
    materials = materials_of(project)
    return {
        "dd_project": project,
        "dd_visible": may_view(user, project),
        "dd_report": report,
        "dd_sections": sections_of(report),
        "dd_facts": facts_for(report, project) if report else None,
        "dd_fee_rate_percent": fee_rate_percent(report.proposed_fee_rate if report else None),
        "dd_materials": materials,
        "dd_visits": visits_of(project, include_voided=False),
        "dd_problems": readiness(project),
    }


# --- lists ----------------------------------------------------------------------------------------


def reports_to_confirm(user: Any) -> Any:
    """Current reports signed by the A-role waiting for this user as the B-role."""
    return (
        DiligenceReport.objects.filter(is_current=True, state=ReportState.A_SIGNED, project__manager_b=user)
        .select_related("project", "project__customer")
        .order_by("a_signed_at", "id")
    )


def reports_returned_to(user: Any) -> Any:
    """Current draft reports the B-role returned to this user as the A-role."""
    return (
        DiligenceReport.objects.filter(is_current=True, state=ReportState.DRAFT, project__manager_a=user)
        .exclude(return_reason="")
        .select_related("project", "project__customer")
        .order_by("updated_at", "id")
    )


def project_list_for(user: Any) -> Any:
    """Projects in the user's scope that are in or past due diligence, with their report's state and version."""
    from django.db.models import OuterRef, Subquery

    from danbao.projects.selectors import project_list_for as projects_in_scope

    current = DiligenceReport.objects.filter(project=OuterRef("pk"), is_current=True)
    return (
        projects_in_scope(user)
        .exclude(state__in=(ProjectState.OVERRIDE_PENDING, ProjectState.DECLINED))
        .annotate(dd_state=Subquery(current.values("state")[:1]), dd_number=Subquery(current.values("number")[:1]))
    )
