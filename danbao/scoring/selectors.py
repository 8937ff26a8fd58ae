"""Scoring reads: templates (configuration, not scoped), assessments (visible to whoever may see the
customer), the definition of a version for the calculation, and the customer data an assessment uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from danbao.customers.calculations import HouseholdFigures, StatementFigures, compute_ratios, household_ratios
from danbao.customers.models import CreditEntry, CreditReport, Customer, FinancialStatement, HouseholdStatement
from danbao.customers.selectors import customer_list_for
from danbao.org.scope import get_in_scope
from danbao.scoring.calculate import BinDef, Definition, FactorDef, GradeDef, OptionDef
from danbao.scoring.measures import CREDIT, CreditLine, compute_credit_figures, compute_growth, compute_years, format_value, measure_for
from danbao.scoring.models import Assessment, Bin, Factor, GradeBand, ScorecardTemplate, TemplateVersion, VersionStatus

# --- templates ---------------------------------------------------------------------------------


def template_list() -> QuerySet[ScorecardTemplate]:
    """All templates (configuration data, the same for everyone who may see it)."""
    return ScorecardTemplate.objects.all()


def template_get(pk: Any) -> ScorecardTemplate:
    try:
        return ScorecardTemplate.objects.get(pk=int(pk))
    except (TypeError, ValueError, ScorecardTemplate.DoesNotExist) as exc:
        raise Http404 from exc


def version_get(template: ScorecardTemplate, number: Any) -> TemplateVersion:
    try:
        return template.versions.get(number=int(number))
    except (TypeError, ValueError, TemplateVersion.DoesNotExist) as exc:
        raise Http404 from exc


def versions_of(template: ScorecardTemplate) -> list[TemplateVersion]:
    return list(template.versions.select_related("published_by", "created_by").order_by("-number"))


def published_version_of(template: ScorecardTemplate) -> TemplateVersion | None:
    return template.versions.filter(status=VersionStatus.PUBLISHED).first()


def _factors(version: TemplateVersion) -> list[Factor]:
    return list(version.factors.prefetch_related(Prefetch("bins", queryset=Bin.objects.order_by("sort_order", "id"))))


def factor_def(factor: Factor) -> FactorDef:
    return FactorDef(
        code=factor.code,
        name=factor.name,
        kind=factor.kind,
        weight=factor.weight,
        source=factor.source,
        question=factor.question,
        bins=tuple(BinDef(b.lower, b.upper, b.points, b.lower_inclusive, b.upper_inclusive) for b in factor.bins.all()),
        options=tuple(OptionDef(o["code"], o["label"], Decimal(o["points"])) for o in factor.options or []),
    )


def grade_def(band: GradeBand) -> GradeDef:
    return GradeDef(band.grade, band.min_score, band.max_score, band.max_amount, band.fee_rate_min, band.fee_rate_max)


def definition_of(version: TemplateVersion) -> Definition:
    """The version's content as the pure calculation takes it."""
    return Definition(
        factors=tuple(factor_def(f) for f in _factors(version)),
        grades=tuple(grade_def(g) for g in version.grades.order_by("min_score")),
    )


def version_rows(version: TemplateVersion) -> list[dict[str, Any]]:
    """Factors of a version for the detail and editor pages."""
    rows = []
    for factor in _factors(version):
        fd = factor_def(factor)
        measure = measure_for(factor.kind, factor.source)
        rows.append(
            {
                "factor": factor,
                "def": fd,
                "measure": measure,
                "bins": [{"label": b.label, "points": b.points} for b in fd.bins],
                "options": fd.options,
            }
        )
    return rows


def applies_to(template: ScorecardTemplate, product_code: str | None, customer_kind: str) -> bool:
    kinds_ok = customer_kind in (template.customer_kinds or [])
    products_ok = not template.product_codes or (product_code is not None and product_code in template.product_codes)
    return kinds_ok and products_ok


def template_for(product_version: Any, customer_kind: str) -> TemplateVersion | None:
    """The published scorecard version for a product version and a customer kind: a template naming
    the product wins over a template for every product; the lower code breaks ties."""
    product_code = product_version.product.code if product_version is not None else None
    candidates = []
    for version in TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("template").order_by("template__code"):
        template = version.template
        if applies_to(template, product_code, customer_kind):
            candidates.append((0 if template.product_codes else 1, template.code, version))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def versions_for_kind(customer_kind: str) -> list[TemplateVersion]:
    """Published versions usable for a customer of this kind (any product), for the run page."""
    versions = TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("template").order_by("template__code")
    return [v for v in versions if customer_kind in (v.template.customer_kinds or [])]


# --- customer data used by an assessment --------------------------------------------------------


def _statement_pair(customer: Customer, on: date) -> tuple[FinancialStatement | None, FinancialStatement | None]:
    """The latest non-draft statement up to `on` (annual first) and the one before it of the same type."""
    statements = list(FinancialStatement.objects.filter(customer=customer, is_draft=False, period_end__lte=on).order_by("period_end"))
    annual = [s for s in statements if s.period_type == FinancialStatement.PeriodType.ANNUAL]
    series = annual or [s for s in statements if statements and s.period_type == statements[-1].period_type]
    if not series:
        return None, None
    return series[-1], (series[-2] if len(series) > 1 else None)


def customer_figures(customer: Customer, on: date) -> dict[str, Any]:
    """Every financial and credit measure of the customer on `on` (None when not available), with
    where each came from: {"values": {key: Decimal|None}, "sources": {key: text}}."""
    values: dict[str, Decimal | None] = {}
    sources: dict[str, str] = {}
    current, previous = _statement_pair(customer, on)
    if current is not None:
        figures = StatementFigures.from_object(current)
        prev_figures = StatementFigures.from_object(previous) if previous is not None else None
        label = f"{current.get_period_type_display()} {current.period_end:%Y-%m-%d}"
        for key, value in compute_ratios(figures, prev_figures).items():
            values[key], sources[key] = value, label
        growth = compute_growth(figures.revenue_amount, prev_figures.revenue_amount if prev_figures else None)
        values["revenue_growth"] = growth
        sources["revenue_growth"] = f"{label} / {previous.period_end:%Y-%m-%d}" if previous is not None else label
    household = HouseholdStatement.objects.filter(customer=customer, year__lte=on.year).order_by("-year").first()
    if household is not None:
        hf = HouseholdFigures(
            household.annual_income_amount,
            household.annual_expenses_amount,
            household.total_assets_amount,
            household.total_liabilities_amount,
        )
        label = str(household.year)
        values["household_net_worth"] = hf.net_worth_amount
        values["household_income"] = hf.annual_income_amount
        values["household_net_income"] = hf.net_income_amount
        for key, value in household_ratios(hf).items():
            values[f"household_{key}"] = value
        for key in (
            "household_net_worth",
            "household_income",
            "household_net_income",
            "household_debt_to_asset",
            "household_expense_ratio",
        ):
            sources[key] = label
        sources["household_net_income_to_liabilities"] = label
    values["years_in_business"] = compute_years(customer.established_on, on)
    if customer.established_on:
        sources["years_in_business"] = f"{customer.established_on:%Y-%m-%d}"
    reports = list(CreditReport.objects.filter(customer=customer, query_date__lte=on).order_by("-query_date", "-id"))
    entries = list(CreditEntry.objects.filter(report__in=reports).select_related("report"))

    def line(e: CreditEntry) -> CreditLine:
        return CreditLine(e.as_of or e.report.query_date, e.overdue_days, e.overdue_months, e.overdue_amount, e.kind == "overdue")

    latest = [line(e) for e in entries if reports and e.report_id == reports[0].pk] if reports else None
    credit = compute_credit_figures([line(e) for e in entries], latest, on)
    values.update(credit)
    if reports:
        for key in CREDIT:
            sources[key] = f"{reports[0].query_date:%Y-%m-%d}"
    return {"values": values, "sources": sources}


# --- assessments ---------------------------------------------------------------------------------


def assessment_list_for(user: Any) -> QuerySet[Assessment]:
    """Assessments of customers the user may see (customers' data scope)."""
    return Assessment.objects.filter(customer__in=customer_list_for(user).values("pk"))


def assessment_get_for(user: Any, pk: Any, request: Any = None) -> Assessment:
    """One assessment in the user's scope; 404 (logged) when missing or out of scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    queryset = assessment_list_for(user).select_related("customer", "version__template", "created_by", "subject_type")
    return get_in_scope(queryset, user, request, pk=pk)


def assessments_of_subject(user: Any, subject: Any) -> list[Assessment]:
    """The assessments of a subject (a project, a customer) the user may see, newest first."""
    content_type = ContentType.objects.get_for_model(subject)
    return list(
        assessment_list_for(user)
        .filter(subject_type=content_type, subject_id=str(subject.pk))
        .select_related("customer", "version__template", "created_by")
        .order_by("-created_at", "-id")
    )


def latest_assessment_of(user: Any, subject: Any) -> Assessment | None:
    found = assessments_of_subject(user, subject)
    return found[0] if found else None


def subject_label(assessment: Assessment) -> str:
    """What was assessed, as text (the customer itself, or e.g. a project's str())."""
    try:
        return str(assessment.subject_type.get_object_for_this_type(pk=assessment.subject_id))
    except (ObjectDoesNotExist, ValueError):
        return ""


def breakdown_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """The stored breakdown with the raw values formatted in their units."""
    rows = []
    for item in assessment.breakdown:
        unit = item.get("unit", "")
        raw = item.get("raw")
        shown = item.get("bin") if item.get("kind") == "qualitative" else format_value(raw, unit)
        rows.append({**item, "raw_display": shown if raw is not None else "—"})
    return rows


def chart_data(assessment: Assessment) -> dict[str, Any]:
    """ECharts data: points (0–100) per factor and their weighted scores."""
    return {
        "factors": [item["name"] for item in assessment.breakdown],
        "points": [float(item["points"]) for item in assessment.breakdown],
        "weighted": [float(item["weighted"]) for item in assessment.breakdown],
        "weights": [float(item["weight"]) for item in assessment.breakdown],
    }


def adjustments_of(assessment: Assessment) -> list[dict[str, Any]]:
    """The adjustments with the factor's name and the answers' texts (codes when an answer is gone)."""
    factors = {f.code: f for f in definition_of(assessment.version).factors}
    rows = []
    for adj in assessment.adjustments.select_related("actor").order_by("created_at", "id"):
        factor = factors.get(adj.factor_code)

        def label(code: str, factor: Any = factor) -> str:
            option = factor.option(code) if factor is not None and code else None
            return option.label if option else code

        rows.append(
            {
                "row": adj,
                "factor": factor.name if factor else adj.factor_code,
                "old": label(adj.old_answer),
                "new": label(adj.new_answer),
            }
        )
    return rows
