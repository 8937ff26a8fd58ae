"""Project pages: library and my projects (filters, export), intake, the dossier, the hand-off
actions, the risk review form, the approver's terms, change requests and the approval letter PDF.
Views parse, fetch through the selectors (scope → 404), call one service, respond."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Case, CharField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list
from danbao.org.models import Department, User
from danbao.partners.models import Bank
from danbao.products.models import Product
from danbao.projects import forms, lifecycle, selectors, services
from danbao.projects.models import Project, ProjectState
from danbao.projects.services.common import CHANGE, EXPORT, INTAKE, OVERRIDE, REVIEW, VIEW
from danbao.projects.services.scoring import SCORING_RUN, may_assess

HUNDRED = Decimal(100)
AMOUNT_BANDS = [
    ("a1", gettext_lazy("Up to 1 million")),
    ("a2", gettext_lazy("1 to 5 million")),
    ("a3", gettext_lazy("5 to 10 million")),
    ("a4", gettext_lazy("Above 10 million")),
]


def _link(project: Project) -> str:
    return reverse("projects:project-detail", args=[project.pk])


def _products(user: Any) -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in Product.objects.order_by("code")]


def _banks(user: Any) -> list[tuple[int, str]]:
    return [(b.pk, b.name) for b in Bank.objects.filter(parent__isnull=True).order_by("code")]


def _managers(user: Any) -> list[tuple[int, str]]:
    ids = selectors.project_list_for(user).values("manager_a_id")
    return [(u.pk, u.real_name or u.username) for u in User.objects.filter(pk__in=ids).order_by("real_name")]


def _departments(user: Any) -> list[tuple[int, str]]:
    ids = selectors.project_list_for(user).values("department_id")
    return [(d.pk, "\u3000" * d.depth + d.name) for d in Department.objects.filter(pk__in=ids).order_by("path")]


def _spec(name: str, export_name: Any) -> ListSpec:
    return ListSpec(
        name=name,
        columns=[
            Column("number", gettext_lazy("Project number"), sort_field="number", link=_link),
            Column("customer__name", gettext_lazy("Customer"), sort_field="customer__name"),
            Column(
                "product", gettext_lazy("Product"), sort_field="product_version__product__code", display=lambda p: str(p.product_version)
            ),
            Column("amount", gettext_lazy("Amount (yuan)"), sort_field="amount", kind="amount"),
            Column("term_months", gettext_lazy("Term (months)"), sort_field="term_months"),
            Column("bank__name", gettext_lazy("Lending bank"), sort_field="bank__code"),
            Column("manager_a__real_name", gettext_lazy("A-role manager"), sort_field="manager_a__real_name"),
            Column("manager_b__real_name", gettext_lazy("B-role manager"), default=False),
            Column("department__name", gettext_lazy("Department"), sort_field="department__path"),
            Column("state", gettext_lazy("State"), sort_field="state", kind="badge", display=lambda p: p.get_state_display()),
            Column("intake_date", gettext_lazy("Intake date"), sort_field="intake_date", kind="date"),
            Column("approved_amount", gettext_lazy("Approved amount (yuan)"), sort_field="approved_amount", kind="amount", default=False),
            Column("approval_number", gettext_lazy("Approval letter number"), default=False),
            Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime", default=False),
        ],
        filters=[
            Filter("state", gettext_lazy("State"), "state", ProjectState.choices),
            Filter("product", gettext_lazy("Product"), "product_version__product", _products),
            Filter("bank", gettext_lazy("Lending bank"), "bank", _banks),
            Filter("manager", gettext_lazy("A-role manager"), "manager_a", _managers),
            Filter("department", gettext_lazy("Department"), "department", _departments),
            Filter("amount_band", gettext_lazy("Amount range"), "amount_band", AMOUNT_BANDS),
        ],
        date_ranges=[
            DateRange("intake", gettext_lazy("Intake date"), "intake_date", is_datetime=False),
            DateRange("approved", gettext_lazy("Approval date"), "approved_at"),
        ],
        search_fields=["number", "customer__name", "customer__name_initials"],
        search_placeholder=gettext_lazy("Project number or customer name"),
        default_sort="-intake_date",
        select_related=list(selectors.RELATED),
        export_name=export_name,
        export_permission=EXPORT,
    )


LIBRARY = _spec("projects", gettext_lazy("Projects"))
MINE = _spec("my_projects", gettext_lazy("My projects"))


def _listed(request: HttpRequest, queryset: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate the amount band and apply exact ?amount_min= / ?amount_max= bounds when given."""
    queryset = queryset.annotate(
        amount_band=Case(
            When(amount__lte=1_000_000, then=Value("a1")),
            When(amount__lte=5_000_000, then=Value("a2")),
            When(amount__lte=10_000_000, then=Value("a3")),
            default=Value("a4"),
            output_field=CharField(),
        )
    )
    for key, lookup in (("amount_min", "amount__gte"), ("amount_max", "amount__lte")):
        raw = (request.GET.get(key) or "").replace(",", "").strip()
        try:
            queryset = queryset.filter(**{lookup: Decimal(raw)}) if raw else queryset
        except ArithmeticError:
            continue
    return queryset


@require_permission(VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    queryset = _listed(request, selectors.project_list_for(request.user))
    return render_list(request, LIBRARY, queryset, "projects/project_list.html", {"mine": False})


@require_permission(VIEW)
def project_mine(request: HttpRequest) -> HttpResponse:
    queryset = _listed(request, selectors.my_projects_for(request.user))
    return render_list(request, MINE, queryset, "projects/project_list.html", {"mine": True})


@require_permission(REVIEW)
def review_queue(request: HttpRequest) -> HttpResponse:
    projects = list(selectors.review_queue_for(request.user).order_by("state_changed_at", "id")[:200])
    returned = list(
        selectors.project_list_for(request.user).filter(state=ProjectState.RETURNED, risk_opinions__reviewer=request.user).distinct()[:200]
    )
    return render(request, "projects/review_queue.html", {"projects": projects, "returned": returned})


def _apply_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@require_permission(INTAKE)
def project_intake(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"manager_a": user.pk, "department": user.department_id}  # type: ignore[union-attr]
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    form = forms.IntakeForm(request.POST or None, user=user, initial=initial)
    needs_reason = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_intake(actor=user, **data)
        except DomainError as exc:
            needs_reason = exc.code == "projects.override_reason"
            _apply_error(form, exc)
        else:
            if project.state == ProjectState.OVERRIDE_PENDING:
                messages.warning(request, _("Project %(number)s waits for an exception approval.") % {"number": project.number})
            else:
                messages.success(request, _("Project %(number)s accepted.") % {"number": project.number})
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/project_intake.html", {"form": form, "needs_reason": needs_reason})


def _timeline(instance: Any) -> list[Any]:
    from danbao.workflow import selectors as wf_selectors
    from danbao.workflow.views import ACTION_LABELS, STEP_ACTIONS

    timeline = wf_selectors.timeline(instance)
    names = {n.get("id"): n.get("name") or n.get("id") for n in instance.version.graph.get("nodes", [])}
    for action in timeline:
        action.label = ACTION_LABELS.get(action.action, action.action)
        action.step_name = names.get(action.from_node, "") if action.action in STEP_ACTIONS else ""
    return timeline


def _actions(user: Any, project: Project) -> dict[str, bool]:
    """Which buttons to show: the same permission codes and roles the services check."""
    state = project.state
    is_a = user.pk == project.manager_a_id
    own = user.pk in (project.manager_a_id, project.manager_b_id, project.created_by_id)
    return {
        "start_diligence": state == ProjectState.ACCEPTED and is_a and user.can(INTAKE),
        "submit_review": state == ProjectState.DUE_DILIGENCE and is_a and user.can(INTAKE),
        "withdraw": state in (ProjectState.OVERRIDE_PENDING, ProjectState.ACCEPTED, ProjectState.DUE_DILIGENCE, ProjectState.RISK_REVIEW)
        and user.can(INTAKE),
        "review": state == ProjectState.RISK_REVIEW and user.can(REVIEW) and not own,
        "override": state == ProjectState.OVERRIDE_PENDING and user.can(OVERRIDE) and not own,
        "change": state == ProjectState.APPROVED and user.can(CHANGE) and not project.changes.filter(status="pending").exists(),
        "resubmit": state == ProjectState.RETURNED and user.can(REVIEW),
        "score": may_assess(user, project),
    }


def _dossier(request: HttpRequest, project: Project, **extra: Any) -> HttpResponse:
    user = request.user
    instances = selectors.flow_instances_of(project)
    flows = [{"instance": i, "timeline": _timeline(i)} for i in instances]
    for change in selectors.changes_of(project):
        for instance in selectors.flow_instances_of(change):
            flows.append({"instance": instance, "timeline": _timeline(instance), "change": change})
    task = selectors.pending_task_for(user, project)
    draft = selectors.terms_draft(project)
    terms_form = extra.pop("terms_form", None)
    if task is not None and terms_form is None:
        source = draft or project
        initial = {
            "amount": source.amount,
            "term_months": source.term_months,
            "fee_rate": (source.fee_rate * HUNDRED).normalize(),
            "counter_guarantees": draft.counter_guarantees if draft else "",
            "conditions": draft.conditions
            if draft
            else (selectors.opinions_of(project)[0].suggested_conditions if selectors.opinions_of(project) else ""),
        }
        terms_form = forms.TermsForm(initial=initial)
    evaluations = selectors.evaluations_of(project)
    from danbao.projects import dossier
    from danbao.scoring.selectors import latest_assessment_of

    context = {
        "sections": dossier.rendered(request, project),
        "assessment": latest_assessment_of(user, project),
        "project": project,
        "actions": _actions(user, project),
        "transitions": selectors.transitions_of(project),
        "opinions": selectors.opinions_of(project),
        "evaluations": evaluations,
        "terms": selectors.terms_history(project),
        "terms_draft": draft,
        "changes": selectors.changes_of(project),
        "flows": flows,
        "my_task": task,
        "terms_form": terms_form,
        "reason_form": forms.ReasonForm(),
        "override_form": forms.OverrideForm(),
        "next_states": [ProjectState(s).label for s in lifecycle.allowed_targets(project.state)],
        **extra,
    }
    return render(request, "projects/project_detail.html", context)


@require_permission(VIEW)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _dossier(request, selectors.project_get_for(request.user, pk, request))


def _act(request: HttpRequest, pk: int, call: Any, success: str) -> HttpResponse:
    project = selectors.project_get_for(request.user, pk, request)
    try:
        call(project)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("projects:project-detail", pk=project.pk)


@require_POST
@require_permission(INTAKE)
def project_diligence_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda p: services.project_diligence_start(actor=request.user, project=p), _("Due diligence started."))


@require_POST
@require_permission(INTAKE)
def project_review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = (request.POST.get("comment") or "")[:500]
    return _act(
        request, pk, lambda p: services.project_review_submit(actor=request.user, project=p, comment=comment), _("Handed to risk review.")
    )


@require_POST
@require_permission(INTAKE)
def project_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    reason = (request.POST.get("reason") or "").strip()
    return _act(request, pk, lambda p: services.project_withdraw(actor=request.user, project=p, reason=reason), _("Project withdrawn."))


@require_POST
@require_permission(OVERRIDE)
def project_override(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give a reason."))
        return redirect("projects:project-detail", pk=pk)
    approve = form.cleaned_data["decision"] == "approve"
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        pk,
        lambda p: services.project_override_decide(actor=request.user, project=p, approve=approve, reason=reason),
        _("Exception decided."),
    )


@require_POST
@require_permission(REVIEW)
def project_review_return(request: HttpRequest, pk: int) -> HttpResponse:
    reason = (request.POST.get("reason") or "").strip()
    return _act(
        request, pk, lambda p: services.project_review_return(actor=request.user, project=p, reason=reason), _("Returned to due diligence.")
    )


@require_POST
@require_permission(REVIEW)
def project_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = (request.POST.get("comment") or "")[:500]
    return _act(
        request, pk, lambda p: services.project_approval_resubmit(actor=request.user, project=p, comment=comment), _("Submitted again.")
    )


@require_permission(SCORING_RUN)
def project_score(request: HttpRequest, pk: int) -> HttpResponse:
    """风险评分: run the customer's scorecard for this project (answers, counter-guarantee coverage)."""
    from danbao.scoring import selectors as scoring
    from danbao.scoring.forms import RunForm

    project = selectors.project_get_for(request.user, pk, request)
    if not may_assess(request.user, project):
        messages.error(request, _("This project cannot be assessed now, or not by you."))
        return redirect("projects:project-detail", pk=project.pk)
    versions = scoring.versions_for_kind(project.customer.kind)
    wanted = request.GET.get("version") or request.POST.get("version")
    version = next((v for v in versions if str(v.pk) == wanted), versions[0] if versions else None)
    definition = scoring.definition_of(version) if version else None
    form = RunForm(request.POST or None, factors=definition.factors if definition else ())
    if request.method == "POST" and version is not None and form.is_valid():
        try:
            assessment = services.project_assess(
                actor=request.user,
                project=project,
                template_version=version,
                answers=form.answers(),
                coverage=form.coverage_ratio() if "coverage" in form.fields else None,
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            done = {"score": assessment.total_score, "grade": assessment.grade or "—"}
            messages.success(request, _("Assessment done: %(score)s points, grade %(grade)s.") % done)
            return redirect("projects:project-detail", pk=project.pk)
    context = {
        "project": project,
        "versions": versions,
        "version": version,
        "definition": definition,
        "form": form,
        "previous": scoring.assessments_of_subject(request.user, project)[:5],
    }
    return render(request, "projects/project_score.html", context)


@require_permission(REVIEW)
def project_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The risk manager's opinion form beside the pre-approval rules and the regulatory what-if."""
    project = selectors.project_get_for(request.user, pk, request)
    form = forms.OpinionForm(request.POST or None, initial={"version": project.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.project_approval_submit(
                actor=request.user,
                project=project,
                recommendation=data["recommendation"],
                opinion=data["opinion"],
                risk_points=data["risk_points"],
                suggested_conditions=data["suggested_conditions"],
                expected_version=data.get("version"),
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Risk opinion recorded; the approval flow has started."))
            return redirect("projects:project-detail", pk=project.pk)
    if project.state != ProjectState.RISK_REVIEW:
        messages.error(request, _("This project is not waiting for a risk review."))
        return redirect("projects:project-detail", pk=project.pk)
    trial = selectors.pre_approval_trial(project)
    what_if = selectors.what_if_for(project)
    from danbao.products.selectors import approval_flow_for

    context = {
        "project": project,
        "form": form,
        "trial": trial,
        "what_if": what_if,
        "flow": approval_flow_for(project.product_version, project.amount),
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "projects/project_review.html", context)


@require_POST
@require_permission(VIEW)
def project_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """The approver with a pending task saves the terms the final approval will make effective."""
    project = selectors.project_get_for(request.user, pk, request)
    form = forms.TermsForm(request.POST)
    if form.is_valid():
        try:
            services.project_terms_save(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Approved terms saved; approve the task to make them effective."))
            return redirect("projects:project-detail", pk=project.pk)
    return _dossier(request, project, terms_form=form)


@require_permission(CHANGE)
def project_change(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for(request.user, pk, request)
    current = selectors.terms_history(project)
    latest = current[-1] if current else None
    initial = (
        {"amount": latest.amount, "term_months": latest.term_months, "bank": latest.bank_id, "branch": latest.branch_id} if latest else {}
    )
    form = forms.ChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_change_request(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Change request submitted for approval."))
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/project_change.html", {"project": project, "form": form, "latest": latest})


@require_permission(VIEW)
def project_letter(request: HttpRequest, pk: int, sequence: int = 1) -> HttpResponse:
    """The numbered approval letter (批复书) as PDF, from the stored approved terms."""
    from danbao.projects.pdf import letter_pdf

    project = selectors.project_get_for(request.user, pk, request)
    # 404 until the project has effective terms (approved), like any missing record.
    terms = selectors.terms_get(project, sequence)
    data = letter_pdf(project, terms, actor=request.user)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{terms.letter_number or project.number}-{terms.sequence}.pdf"'
    return response
