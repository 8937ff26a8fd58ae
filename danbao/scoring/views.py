"""Scoring pages: template list / detail / editor (factors, bins, grades, publish, retire), the
assessment list and page (breakdown table and chart, adjustments), and running an assessment for a customer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list
from danbao.customers.models.customer import CustomerKind
from danbao.customers.selectors import customer_get_for, customer_list_for
from danbao.scoring import selectors, services
from danbao.scoring.calculate import GRADES, definition_problems
from danbao.scoring.forms import (
    AdjustForm,
    ChangeNoteForm,
    FactorForm,
    GradesForm,
    ReasonForm,
    RunForm,
    TemplateForm,
    factor_initial,
    grades_initial,
)
from danbao.scoring.models import Assessment, ScorecardTemplate, TemplateVersion, VersionStatus

MANAGE = "scoring.template.manage"
VIEW = "scoring.assessment.view"
RUN = "scoring.assessment.run"
ADJUST = "scoring.assessment.adjust"


def _apply_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


def _kinds_label(codes: list[str]) -> str:
    return "、".join(str(CustomerKind(c).label) for c in codes if c in CustomerKind.values)


# --- templates ---------------------------------------------------------------------------------


def _template_link(t: ScorecardTemplate) -> str:
    return reverse("scoring:template-detail", args=[t.pk])


def _published_number(t: ScorecardTemplate) -> str:
    version = next((v for v in t.versions.all() if v.status == VersionStatus.PUBLISHED), None)
    return f"v{version.number}" if version else "—"


TEMPLATE_LIST = ListSpec(
    name="scoring_templates",
    columns=[
        Column("code", gettext_lazy("Template code"), sort_field="code", link=_template_link),
        Column("name", gettext_lazy("Template name"), sort_field="name", link=_template_link),
        Column("customer_kinds", gettext_lazy("Customer kinds"), display=lambda t: _kinds_label(t.customer_kinds)),
        Column("product_codes", gettext_lazy("Products"), display=lambda t: "、".join(t.product_codes) or _("All products")),
        Column("published", gettext_lazy("Published version"), display=_published_number),
    ],
    search_fields=["code", "name"],
    search_placeholder=gettext_lazy("Code or name"),
    default_sort="code",
    prefetch_related=["versions"],
)


@require_permission(MANAGE, VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, TEMPLATE_LIST, selectors.template_list(), "scoring/template_list.html")


@require_permission(MANAGE)
def template_create(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Scorecard template %(name)s created: add its factors and grades.") % {"name": template.name})
            return redirect("scoring:template-detail", pk=template.pk)
    return render(request, "scoring/template_form.html", {"form": form, "template": None})


@require_permission(MANAGE)
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(pk)
    initial = {
        "name": template.name,
        "customer_kinds": template.customer_kinds,
        "product_codes": template.product_codes,
        "description": template.description,
    }
    form = TemplateForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_update(actor=request.user, template=template, **form.cleaned_data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Scorecard template saved."))
            return redirect("scoring:template-detail", pk=template.pk)
    return render(request, "scoring/template_form.html", {"form": form, "template": template})


@require_permission(MANAGE, VIEW)
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(pk)
    versions = selectors.versions_of(template)
    wanted = request.GET.get("v")
    shown = next((v for v in versions if str(v.number) == wanted), None) if wanted else None
    if shown is None:
        shown = next((v for v in versions if v.status == VersionStatus.DRAFT), None) if request.user.can(MANAGE) else None  # type: ignore[union-attr]
        shown = shown or next((v for v in versions if v.status == VersionStatus.PUBLISHED), None) or (versions[0] if versions else None)
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    context = {
        "template": template,
        "kinds": _kinds_label(template.customer_kinds),
        "versions": versions,
        "shown": shown,
        "draft": draft,
        "rows": selectors.version_rows(shown) if shown else [],
        "grades": list(shown.grades.order_by("-min_score")) if shown else [],
        "problems": definition_problems(selectors.definition_of(shown)) if shown and shown.is_draft else [],
        "can_manage": request.user.can(MANAGE),  # type: ignore[union-attr]
        "note_form": ChangeNoteForm(),
        "retire_form": ReasonForm(),
        "assessment_count": shown.assessments.count() if shown else 0,
    }
    return render(request, "scoring/template_detail.html", context)


@require_POST
@require_permission(MANAGE)
def draft_open(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(pk)
    form = ChangeNoteForm(request.POST)
    note = form.cleaned_data.get("change_note", "") if form.is_valid() else ""
    try:
        draft = services.version_draft_open(actor=request.user, template=template, change_note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("scoring:template-detail", pk=template.pk)
    return redirect(f"{reverse('scoring:template-detail', args=[template.pk])}?v={draft.number}")


def _draft(template: ScorecardTemplate, number: int, request: HttpRequest) -> TemplateVersion | None:
    version = selectors.version_get(template, number)
    if not version.is_draft:
        messages.error(
            request,
            _("Version %(number)s is %(status)s and can no longer be changed.")
            % {"number": version.number, "status": version.get_status_display()},
        )
        return None
    return version


def _to_version(template: ScorecardTemplate, number: int) -> HttpResponse:
    return redirect(f"{reverse('scoring:template-detail', args=[template.pk])}?v={number}")


@require_permission(MANAGE)
def factor_edit(request: HttpRequest, pk: int, number: int, code: str | None = None) -> HttpResponse:
    template = selectors.template_get(pk)
    version = _draft(template, number, request)
    if version is None:
        return _to_version(template, number)
    factor = None
    initial: dict[str, Any] = {}
    if code is not None:
        factor = version.factors.filter(code=code).first()
        if factor is None:
            return _to_version(template, number)
        initial = factor_initial(factor, selectors.factor_def(factor))
    form = FactorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_save(actor=request.user, version=version, factor=form.factor(), original_code=code)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Factor %(name)s saved.") % {"name": form.cleaned_data["name"]})
            return _to_version(template, number)
    context = {"form": form, "template": template, "version": version, "factor": factor}
    return render(request, "scoring/factor_form.html", context)


@require_POST
@require_permission(MANAGE)
def factor_remove(request: HttpRequest, pk: int, number: int, code: str) -> HttpResponse:
    template = selectors.template_get(pk)
    version = selectors.version_get(template, number)
    try:
        services.factor_remove(actor=request.user, version=version, code=code)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Factor removed."))
    return _to_version(template, number)


@require_permission(MANAGE)
def grades_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    template = selectors.template_get(pk)
    version = _draft(template, number, request)
    if version is None:
        return _to_version(template, number)
    form = GradesForm(request.POST or None, initial=grades_initial(list(version.grades.all())))
    if request.method == "POST" and form.is_valid():
        try:
            services.grades_save(actor=request.user, version=version, grades=form.bands())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Grade bands saved."))
            return _to_version(template, number)
    return render(request, "scoring/grades_form.html", {"form": form, "template": template, "version": version})


@require_POST
@require_permission(MANAGE)
def version_publish(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    template = selectors.template_get(pk)
    version = selectors.version_get(template, number)
    try:
        services.version_publish(actor=request.user, version=version)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(number)s published.") % {"number": version.number})
    return _to_version(template, number)


@require_POST
@require_permission(MANAGE)
def version_retire(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    template = selectors.template_get(pk)
    version = selectors.version_get(template, number)
    form = ReasonForm(request.POST)
    try:
        services.version_retire(actor=request.user, version=version, reason=form.data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(number)s retired.") % {"number": version.number})
    return _to_version(template, number)


# --- assessments ---------------------------------------------------------------------------------


def _assessment_link(a: Assessment) -> str:
    return reverse("scoring:assessment-detail", args=[a.pk])


def _template_filters(user: Any) -> list[tuple[int, str]]:
    return [(t.pk, t.name) for t in selectors.template_list().order_by("code")]


ASSESSMENT_LIST = ListSpec(
    name="scoring_assessments",
    columns=[
        Column("customer__name", gettext_lazy("Customer"), sort_field="customer__name", link=_assessment_link),
        Column("version", gettext_lazy("Scorecard"), display=lambda a: f"{a.version.template.name} v{a.version.number}"),
        Column("total_score", gettext_lazy("Total score"), sort_field="total_score"),
        Column("grade", gettext_lazy("Grade"), sort_field="grade"),
        Column("max_amount", gettext_lazy("Suggested maximum amount (yuan)"), sort_field="max_amount", kind="amount"),
        Column("missing_count", gettext_lazy("Factors without input"), sort_field="missing_count"),
        Column("adjustment_count", gettext_lazy("Adjustments"), sort_field="adjustment_count", default=False),
        Column("assessed_on", gettext_lazy("Assessed on"), sort_field="assessed_on", kind="date"),
        Column("created_by__real_name", gettext_lazy("Assessed by"), sort_field="created_by__real_name"),
    ],
    filters=[
        Filter("grade", gettext_lazy("Grade"), "grade", [(g, g) for g in GRADES]),
        Filter("template", gettext_lazy("Scorecard"), "version__template", _template_filters),
    ],
    date_ranges=[DateRange("assessed", gettext_lazy("Assessed on"), "assessed_on", is_datetime=False)],
    search_fields=["customer__name", "customer__name_initials"],
    search_placeholder=gettext_lazy("Customer name or pinyin initials"),
    default_sort="-assessed_on",
    select_related=["customer", "version__template", "created_by"],
)


@require_permission(VIEW)
def assessment_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, ASSESSMENT_LIST, selectors.assessment_list_for(request.user), "scoring/assessment_list.html")


@require_permission(VIEW)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for(request.user, pk, request)
    context = {
        "assessment": assessment,
        "subject": selectors.subject_label(assessment),
        "subject_is_customer": assessment.subject_type.model == "customer",
        "can_adjust": request.user.can(ADJUST),  # type: ignore[union-attr]
        "adjustments": selectors.adjustments_of(assessment),
    }
    return render(request, "scoring/assessment_detail.html", context)


@require_permission(ADJUST)
def assessment_adjust(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = selectors.assessment_get_for(request.user, pk, request)
    factor = next((f for f in selectors.definition_of(assessment.version).factors if f.code == code), None)
    if factor is None or factor.kind != "qualitative":
        messages.error(request, _("Only qualitative factors may be adjusted."))
        return redirect("scoring:assessment-detail", pk=assessment.pk)
    current = (assessment.inputs.get("answers") or {}).get(code) or None
    form = AdjustForm(request.POST or None, factor=factor, initial={"new_answer": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_adjust(
                actor=request.user,
                assessment=assessment,
                factor_code=code,
                new_answer=form.cleaned_data["new_answer"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Factor %(name)s adjusted; the score was recomputed.") % {"name": factor.name})
            return redirect("scoring:assessment-detail", pk=assessment.pk)
    current_option = factor.option(current) if current else None
    context = {"form": form, "assessment": assessment, "factor": factor, "current": current_option}
    return render(request, "scoring/assessment_adjust.html", context)


@require_permission(RUN)
def run_start(request: HttpRequest) -> HttpResponse:
    """Pick a customer to assess (a project page runs its own assessment)."""
    wanted = request.GET.get("customer")
    if wanted:
        customer = customer_get_for(request.user, wanted, request)
        return redirect("scoring:run-customer", pk=customer.pk)
    customers = customer_list_for(request.user).filter(status="active").order_by("name").only("pk", "name", "kind")
    return render(request, "scoring/run_start.html", {"customers": customers})


@require_permission(RUN)
def run_customer(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a scorecard with the customer as the subject (before a project exists)."""
    customer = customer_get_for(request.user, pk, request)
    versions = selectors.versions_for_kind(customer.kind)
    wanted = request.GET.get("version") or request.POST.get("version")
    version = next((v for v in versions if str(v.pk) == wanted), versions[0] if versions else None)
    definition = selectors.definition_of(version) if version else None
    form = RunForm(request.POST or None, factors=definition.factors if definition else ())
    if request.method == "POST" and version is not None and form.is_valid():
        try:
            assessment = services.assessment_run(
                actor=request.user,
                subject=customer,
                customer=customer,
                template_version=version,
                answers=form.answers(),
                coverage=form.coverage_ratio() if "coverage" in form.fields else None,
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Assessment done: %(score)s points, grade %(grade)s.")
                % {"score": assessment.total_score, "grade": assessment.grade or "—"},
            )
            return redirect("scoring:assessment-detail", pk=assessment.pk)
    context = {
        "customer": customer,
        "versions": versions,
        "version": version,
        "definition": definition,
        "form": form,
        "previous": selectors.assessments_of_subject(request.user, customer)[:5],
    }
    return render(request, "scoring/run_customer.html", context)
