"""Diligence pages: the list, the project's diligence workspace, report edit and sign-offs, the
materials checklist (upload, waiver), site visits with phone photos, the report PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.diligence import forms, selectors, services
from danbao.diligence.models import ReportState
from danbao.org.models import User
from danbao.projects.models import ProjectState

VIEW, WRITE, WAIVE = selectors.VIEW, selectors.WRITE, selectors.WAIVE


def _detail_url(project: Any) -> str:
    return reverse("diligence:project-detail", args=[project.pk])


def _dd_state(project: Any) -> str:
    if not project.dd_state:
        return str(_("Not started"))
    return f"{ReportState(project.dd_state).label} (v{project.dd_number})"


DILIGENCE_LIST = ListSpec(
    name="diligence",
    columns=[
        Column("number", gettext_lazy("Project number"), sort_field="number", link=_detail_url),
        Column("customer__name", gettext_lazy("Customer"), sort_field="customer__name"),
        Column("amount", gettext_lazy("Amount (yuan)"), sort_field="amount", kind="amount"),
        Column("state", gettext_lazy("Project state"), sort_field="state", display=lambda p: p.get_state_display()),
        Column("dd_state", gettext_lazy("Report"), sort_field="dd_state", display=_dd_state),
        Column("manager_a__real_name", gettext_lazy("A-role manager"), sort_field="manager_a__real_name"),
        Column("manager_b__real_name", gettext_lazy("B-role manager"), sort_field="manager_b__real_name"),
        Column("department__name", gettext_lazy("Department"), sort_field="department__path", default=False),
        Column("intake_date", gettext_lazy("Intake date"), sort_field="intake_date", kind="date"),
    ],
    filters=[
        Filter(
            "state",
            gettext_lazy("Project state"),
            "state",
            [(s, lbl) for s, lbl in ProjectState.choices if s not in ("override_pending", "declined")],
        ),
        Filter("report", gettext_lazy("Report"), "dd_state", ReportState.choices),
    ],
    search_fields=["number", "customer__name"],
    search_placeholder=gettext_lazy("Project number or customer"),
    default_sort="-intake_date",
)


@require_permission(VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.project_list_for(request.user)
    if request.GET.get("mine") == "1":
        queryset = queryset.filter(Q(manager_a=request.user) | Q(manager_b=request.user))
    return render_list(request, DILIGENCE_LIST, queryset, "diligence/project_list.html", {"mine": request.GET.get("mine") == "1"})


@require_permission(VIEW)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    context = selectors.workspace(request.user, project)
    context.update({"confirm_form": forms.ConfirmForm(), "reason_form": forms.ReasonForm(), "upload_form": forms.UploadForm()})
    return render(request, "diligence/project_detail.html", context)


def _done(request: HttpRequest, project: Any, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("diligence:project-detail", pk=project.pk)


def _refused(request: HttpRequest, project: Any, exc: DomainError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("diligence:project-detail", pk=project.pk)


@require_POST
@require_permission(WRITE)
def report_start(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    try:
        services.report_start(actor=request.user, project=project)
    except DomainError as exc:
        return _refused(request, project, exc)
    messages.success(request, _("The due-diligence report is started; the materials checklist comes from the product."))
    return redirect("diligence:report-edit", pk=project.pk)


@require_permission(WRITE)
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    report = selectors.current_report(project)
    if report is None or not report.is_editable or request.user.pk != project.manager_a_id:
        messages.error(request, _("Only the A-role manager can edit a draft report."))
        return redirect("diligence:project-detail", pk=project.pk)
    form = forms.ReportForm(request.POST or None, initial=forms.report_initial(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(actor=request.user, report=report, expected_version=form.cleaned_data.get("version"), **form.changes())
        except DomainError as exc:
            field = exc.data.get("field")
            field = "proposed_fee_rate_percent" if field == "proposed_fee_rate" else field
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            if request.POST.get("then") == "sign":
                return redirect(f"{reverse('diligence:project-detail', args=[project.pk])}#signoff")
            return _done(request, project, _("Report saved."))
    context = {"project": project, "report": report, "form": form, "facts": selectors.facts_for(report, project)}
    return render(request, "diligence/report_form.html", context)


@require_POST
@require_permission(WRITE)
def report_sign(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    report = selectors.current_report(project)
    try:
        if report is None:
            raise DomainError(services.errors.NOT_EDITABLE, state=ReportState.DRAFT.label)
        services.report_sign(actor=request.user, report=report, expected_version=request.POST.get("version") or None)
    except DomainError as exc:
        return _refused(request, project, exc)
    return _done(request, project, _("You signed the report as the A-role; it now waits for the B-role's confirmation."))


@require_POST
@require_permission(WRITE)
def report_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    report = selectors.current_report(project)
    form = forms.ConfirmForm(request.POST)
    form.is_valid()
    try:
        if report is None:
            raise DomainError(services.errors.NOT_B_ROLE)
        services.report_confirm(actor=request.user, report=report, opinion=form.cleaned_data.get("opinion", ""))
    except DomainError as exc:
        return _refused(request, project, exc)
    return _done(request, project, _("You confirmed the report as the B-role; it is now locked."))


@require_POST
@require_permission(WRITE)
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    report = selectors.current_report(project)
    try:
        if report is None:
            raise DomainError(services.errors.NOT_B_ROLE)
        services.report_return(actor=request.user, report=report, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _refused(request, project, exc)
    return _done(request, project, _("The report was returned to the A-role."))


@require_POST
@require_permission(WRITE)
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    report = selectors.current_report(project)
    try:
        if report is None:
            raise DomainError(services.errors.NOT_REOPENABLE)
        new = services.report_reopen(actor=request.user, report=report, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _refused(request, project, exc)
    return _done(
        request, project, _("Version %(number)s of the report is open for editing; the confirmed version is kept.") % {"number": new.number}
    )


@require_permission(VIEW)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    number = request.GET.get("v")
    report = selectors.report_get_for(request.user, project, number) if number else selectors.current_report(project)
    if report is None:
        messages.error(request, _("The due-diligence report has not been started."))
        return redirect("diligence:project-detail", pk=project.pk)
    data = services.report_print(actor=request.user, report=report)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'{project.number}-尽职调查报告-v{report.number}.pdf')}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@require_POST
@require_permission(WRITE)
def material_upload(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    material = selectors.material_get_for(project, material_pk)
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("diligence:project-detail", pk=project.pk)
    try:
        services.material_upload(actor=request.user, material=material, upload=form.cleaned_data["file"], note=form.cleaned_data["note"])
    except DomainError as exc:
        return _refused(request, project, exc)
    return _done(request, project, _("%(name)s uploaded.") % {"name": material.name})


@require_POST
@require_permission(WRITE, WAIVE)
def material_waive(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    material = selectors.material_get_for(project, material_pk)
    try:
        services.material_waive(actor=request.user, material=material, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _refused(request, project, exc)
    return _done(request, project, _("%(name)s waived.") % {"name": material.name})


def _staff(project: Any) -> Any:
    return User.objects.filter(
        Q(is_active=True, department=project.department) | Q(pk__in=[project.manager_a_id, project.manager_b_id])
    ).order_by("real_name", "username")


@require_permission(WRITE)
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    form = forms.VisitForm(request.POST or None, users=_staff(project))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                actor=request.user,
                project=project,
                visit_date=data["visit_date"],
                place=data["place"],
                notes=data["notes"],
                participants=list(data["participants"]),
                other_participants=data["other_participants"],
            )
        except DomainError as exc:
            field = exc.data.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Site visit recorded; add the photos now."))
            return redirect("diligence:visit-detail", pk=project.pk, visit_pk=visit.pk)
    return render(request, "diligence/visit_form.html", {"project": project, "form": form})


@require_permission(VIEW)
def visit_detail(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    visit = selectors.visit_get_for(project, visit_pk)
    form = forms.PhotoForm()
    if request.method == "POST":
        if not request.user.can(WRITE):  # type: ignore[union-attr]
            raise PermissionDenied
        form = forms.PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.photo_add(
                    actor=request.user,
                    visit=visit,
                    upload=data["photo"],
                    caption=data["caption"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    accuracy=data["accuracy"],
                )
            except DomainError as exc:
                form.add_error("photo", exc.message)
            else:
                messages.success(request, _("Photo added."))
                return redirect("diligence:visit-detail", pk=project.pk, visit_pk=visit.pk)
    visits = [v for v in selectors.visits_of(project) if v.pk == visit.pk]
    report = selectors.current_report(project)
    can_record = (
        request.user.can(WRITE)  # type: ignore[union-attr]
        and selectors.is_manager(request.user, project)
        and selectors.diligence_open(project, report)
        and not visit.is_voided
    )
    context = {"project": project, "visit": visits[0], "form": form, "can_record": can_record, "reason_form": forms.ReasonForm()}
    response = render(request, "diligence/visit_detail.html", context)
    # The platform default denies geolocation to every page; this page may ask (the browser still asks the user).
    response["Permissions-Policy"] = "camera=(self), geolocation=(self), microphone=()"
    return response


@require_POST
@require_permission(WRITE)
def visit_void(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    visit = selectors.visit_get_for(project, visit_pk)
    try:
        services.visit_void(actor=request.user, visit=visit, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _refused(request, project, exc)
    return _done(request, project, _("Site visit voided."))
