"""Securities pages: approved projects and their counter-guarantee measures (add, edit, link collateral,
put in place, cancel), the collateral register (filters, Excel export) and the collateral page
(attributes, owners, appraisals with the revaluation maker-checker, registration, insurance, custody,
allocations and coverage per project). Views parse, fetch through the selectors, call one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.securities import forms, selectors, services
from danbao.securities.models import Allocation, Appraisal, CollateralType, CustodyEntry, MeasureState

VIEW, EDIT, CONFIRM, CUSTODY = selectors.VIEW, selectors.EDIT, selectors.CONFIRM, selectors.CUSTODY


def _measures_url(project: Any) -> str:
    return reverse("securities:project-measures", args=[project.pk])


def _collateral_url(collateral: Any) -> str:
    return reverse("securities:collateral-detail", args=[collateral.pk])


PROJECT_LIST = ListSpec(
    name="securities-projects",
    columns=[
        Column("number", gettext_lazy("Project number"), sort_field="number", link=_measures_url),
        Column("customer__name", gettext_lazy("Customer"), sort_field="customer__name"),
        Column("approved_amount", gettext_lazy("Approved amount (yuan)"), sort_field="approved_amount", kind="amount"),
        Column("approval_number", gettext_lazy("Approval number"), sort_field="approval_number"),
        Column("measure_count", gettext_lazy("Measures"), sort_field="measure_count"),
        Column("pending_count", gettext_lazy("To be put in place"), sort_field="pending_count"),
        Column("manager_a__real_name", gettext_lazy("A-role manager"), sort_field="manager_a__real_name"),
    ],
    search_fields=["number", "customer__name", "approval_number"],
    search_placeholder=gettext_lazy("Project number or customer"),
    default_sort="-id",
)


@require_permission(VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.approved_projects_for(request.user)
    if request.GET.get("pending") == "1":
        queryset = queryset.filter(pending_count__gt=0)
    return render_list(request, PROJECT_LIST, queryset, "securities/project_list.html", {"pending": request.GET.get("pending") == "1"})


@require_permission(VIEW)
def project_measures(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    measures = selectors.measures_of(project)
    rows = [
        {
            "measure": m,
            "missing": selectors.measure_missing(m) if m.state == MeasureState.PENDING else [],
            "allocations": selectors.active_allocations(m),
        }
        for m in measures
    ]
    context = {
        "project": project,
        "terms": selectors.effective_terms(project),
        "requirements": selectors.requirement_lines(project),
        "rows": rows,
        "coverage": selectors.coverage_of(project),
        "has_secured": selectors.has_secured_measures(project),
        "readiness": selectors.readiness(project),
        "can_edit": selectors.may_edit(request.user, project),
    }
    return render(request, "securities/project_measures.html", context)


def _measure_form(request: HttpRequest, project: Any, measure: Any = None) -> forms.MeasureForm:
    initial: dict[str, Any] = {"provider_source": "related", "provider_type": "person"}
    if measure is not None:
        initial = {
            "version": measure.version,
            "kind": measure.kind,
            "requirement": measure.requirement,
            "provider_source": measure.provider_source,
            "related_party": measure.related_party_id,
            "provider_type": measure.provider_type,
            "provider_name": measure.provider_name if measure.provider_source == "third" else "",
            "amount": measure.amount,
            "description": measure.description,
        }
    elif request.GET.get("requirement"):
        initial["requirement"] = request.GET["requirement"]
    requirements = selectors.requirement_lines(project)
    if measure is not None and measure.requirement and measure.requirement not in requirements:
        requirements.append(measure.requirement)
    parties = list(project.customer.related_parties.filter(ended_on__isnull=True).select_related("party_customer"))
    return forms.MeasureForm(request.POST or None, initial=initial, requirements=requirements, related_parties=parties)


def _apply_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@require_permission(EDIT)
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    if not selectors.may_edit(request.user, project):
        messages.error(request, _("You may not add counter-guarantees to this project."))
        return redirect(_measures_url(project))
    form = _measure_form(request, project)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(actor=request.user, project=project, **form.values())
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The measure is recorded; it is to be put in place."))
            return redirect("securities:measure-detail", pk=measure.pk)
    return render(request, "securities/measure_form.html", {"project": project, "form": form, "measure": None})


@require_permission(EDIT)
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get_for(request.user, pk, request)
    project = measure.project
    if measure.state != MeasureState.PENDING or not selectors.may_edit(request.user, project):
        messages.error(request, _("Only a measure still to be put in place can be changed."))
        return redirect("securities:measure-detail", pk=measure.pk)
    form = _measure_form(request, project, measure)
    if request.method == "POST" and form.is_valid():
        data = form.values()
        if data.get("provider_source") == "third" and not data.get("provider_id_code"):
            data["provider_id_code"] = measure.provider_id_code  # blank keeps the stored code
        try:
            services.measure_update(actor=request.user, measure=measure, expected_version=form.cleaned_data.get("version"), **data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Measure saved."))
            return redirect("securities:measure-detail", pk=measure.pk)
    return render(request, "securities/measure_form.html", {"project": project, "form": form, "measure": measure})


@require_permission(VIEW)
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get_for(request.user, pk, request)
    project = measure.project
    can_edit = selectors.may_edit(request.user, project)
    pending = measure.state == MeasureState.PENDING
    context = {
        "project": project,
        "measure": measure,
        "missing": selectors.measure_missing(measure) if pending else [],
        "allocations": selectors.active_allocations(measure),
        "released_allocations": list(measure.allocations.filter(released_at__isnull=False).select_related("collateral")),
        "contract": selectors.contract_of(measure) if measure.contract_kind else None,
        "transitions": list(measure.transitions.select_related("actor")),
        "can_edit": can_edit and pending,
        "can_release": can_edit and measure.state == MeasureState.FULFILLED,
        "allocation_form": forms.AllocationForm(collateral=selectors.collateral_choices_for(request.user, measure))
        if can_edit and pending and measure.is_secured
        else None,
    }
    return render(request, "securities/measure_detail.html", context)


def _measure_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    measure = selectors.measure_get_for(request.user, pk, request)
    try:
        action(measure)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("securities:measure-detail", pk=measure.pk)


@require_POST
@require_permission(EDIT)
def measure_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure_action(
        request, pk, lambda m: services.measure_fulfil(actor=request.user, measure=m), _("The measure is marked as in place.")
    )


@require_POST
@require_permission(EDIT)
def measure_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _measure_action(
        request, pk, lambda m: services.measure_cancel(actor=request.user, measure=m, reason=reason), _("The measure is cancelled.")
    )


@require_POST
@require_permission(EDIT)
def measure_release(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _measure_action(
        request, pk, lambda m: services.measure_release(actor=request.user, measure=m, reason=reason), _("The measure is released.")
    )


@require_POST
@require_permission(EDIT)
def allocation_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get_for(request.user, pk, request)
    choices = selectors.collateral_choices_for(request.user, measure)
    form = forms.AllocationForm(request.POST, collateral=choices)
    if not form.is_valid():
        messages.error(request, _("Choose a collateral and enter the value allocated to this measure."))
        return redirect("securities:measure-detail", pk=measure.pk)
    collateral = next(c for c in choices if c.pk == form.cleaned_data["collateral"])
    return _measure_action(
        request,
        pk,
        lambda m: services.allocation_add(
            actor=request.user, measure=m, collateral=collateral, allocated_value=form.cleaned_data["allocated_value"]
        ),
        _("The collateral is linked to the measure."),
    )


@require_POST
@require_permission(EDIT)
def allocation_release(request: HttpRequest, pk: int, allocation_pk: int) -> HttpResponse:
    measure = selectors.measure_get_for(request.user, pk, request)
    allocation = Allocation.objects.filter(pk=allocation_pk, measure=measure).first()
    if allocation is None:
        raise Http404
    reason = request.POST.get("reason", "")
    return _measure_action(
        request,
        pk,
        lambda m: services.allocation_release(actor=request.user, allocation=allocation, reason=reason),
        _("The collateral is unlinked."),
    )


# --- collateral -----------------------------------------------------------------------------------


def _location(collateral: Any) -> str:
    where = collateral.custody_location or ""
    if collateral.custody_out:
        return _("Out: %(location)s") % {"location": where}
    return where


def _registration_state(collateral: Any) -> str:
    return str(_("Registered")) if collateral.is_registered else str(_("Not registered"))


COLLATERAL_LIST = ListSpec(
    name="collateral",
    columns=[
        Column("number", gettext_lazy("Collateral number"), sort_field="number", link=_collateral_url),
        Column("name", gettext_lazy("Name"), sort_field="name"),
        Column("type", gettext_lazy("Type"), sort_field="type", display=lambda c: c.get_type_display()),
        Column("owner_names", gettext_lazy("Owners")),
        Column("current_value", gettext_lazy("Current value (yuan)"), sort_field="current_value", kind="amount"),
        Column("allocated", gettext_lazy("Allocated (yuan)"), sort_field="allocated", kind="amount"),
        Column("is_registered", gettext_lazy("Registration"), display=_registration_state),
        Column("custody_location", gettext_lazy("Title documents at"), display=_location),
        Column("value_date", gettext_lazy("Value date"), sort_field="value_date", kind="date", default=False),
    ],
    filters=[
        Filter("type", gettext_lazy("Type"), "type", CollateralType.choices),
        Filter(
            "registered",
            gettext_lazy("Registration"),
            "registered_flag",
            [("yes", gettext_lazy("Registered")), ("no", gettext_lazy("Not registered"))],
        ),
        Filter("location", gettext_lazy("Title documents at"), "custody_location", selectors.custody_locations_for),
    ],
    search_fields=["number", "name"],
    search_exact=selectors.owner_name_condition,
    search_placeholder=gettext_lazy("Number, name or owner name"),
    default_sort="-id",
    export_name=gettext_lazy("Collateral register"),
    export_permission=VIEW,
)


@require_permission(VIEW)
def collateral_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.collateral_register_for(request.user)
    return render_list(request, COLLATERAL_LIST, queryset, "securities/collateral_list.html", {})


def _attribute_form(request: HttpRequest, collateral_type: str, collateral: Any = None) -> forms.AttributeForm:
    initial = collateral.attributes if collateral is not None and isinstance(collateral.attributes, dict) else None
    data = request.POST if request.method == "POST" else None
    return forms.attribute_form_for(collateral_type, data=data, initial=initial, prefix="attr")


@require_permission(EDIT)
def collateral_create(request: HttpRequest) -> HttpResponse:
    collateral_type = request.POST.get("type") or request.GET.get("type") or CollateralType.REAL_ESTATE
    if collateral_type not in CollateralType.values:
        collateral_type = CollateralType.REAL_ESTATE
    form = forms.CollateralForm(request.POST or None, initial={"type": collateral_type})
    attr_form = _attribute_form(request, collateral_type)
    owner_form = forms.OwnerForm(request.POST or None, prefix="owner")
    appraisal_form = forms.AppraisalForm(request.POST or None, request.FILES or None, prefix="appraisal")
    back = request.GET.get("measure") or request.POST.get("measure") or ""
    if request.method == "POST" and all(f.is_valid() for f in (form, attr_form, owner_form, appraisal_form)):
        try:
            collateral = services.collateral_create(
                actor=request.user,
                type=collateral_type,
                name=form.cleaned_data["name"],
                note=form.cleaned_data.get("note", ""),
                attributes=attr_form.stored(),
                owners=[owner_form.cleaned_data],
                appraisal={k: v for k, v in appraisal_form.cleaned_data.items() if k != "report"},
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            report = appraisal_form.cleaned_data.get("report")
            if report:
                _attach_report(request, collateral.appraisals.first(), report)
            messages.success(request, _("Collateral %(number)s is registered.") % {"number": collateral.number})
            if back.isdigit():
                return redirect("securities:measure-detail", pk=int(back))
            return redirect(_collateral_url(collateral))
    context = {
        "form": form,
        "attr_form": attr_form,
        "owner_form": owner_form,
        "appraisal_form": appraisal_form,
        "collateral_type": collateral_type,
        "types": CollateralType.choices,
        "measure_back": back,
    }
    return render(request, "securities/collateral_form.html", context)


def _attach_report(request: HttpRequest, appraisal: Appraisal | None, upload: Any) -> None:
    from danbao.core.attachments.services import attachment_add

    if appraisal is None:
        return
    try:
        attachment_add(actor=request.user, owner=appraisal, kind="report", upload=upload)
    except DomainError as exc:
        messages.warning(request, exc.message)


@require_permission(EDIT)
def collateral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    form = forms.CollateralForm(
        request.POST or None,
        initial={"type": collateral.type, "name": collateral.name, "note": collateral.note, "version": collateral.version},
    )
    form.fields["type"].disabled = True
    attr_form = _attribute_form(request, collateral.type, collateral)
    if request.method == "POST" and form.is_valid() and attr_form.is_valid():
        try:
            services.collateral_update(
                actor=request.user,
                collateral=collateral,
                name=form.cleaned_data["name"],
                note=form.cleaned_data.get("note", ""),
                attributes=attr_form.stored(),
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Collateral saved."))
            return redirect(_collateral_url(collateral))
    return render(request, "securities/collateral_edit.html", {"collateral": collateral, "form": form, "attr_form": attr_form})


@require_permission(VIEW)
def collateral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    context = selectors.collateral_page(request.user, collateral)
    context.update(
        {
            "owner_form": forms.OwnerForm(prefix="owner"),
            "appraisal_form": forms.AppraisalForm(prefix="appraisal"),
            "registration_form": forms.RegistrationForm(prefix="reg"),
            "insurance_form": forms.InsuranceForm(prefix="ins"),
            "custody_form": forms.CustodyForm(prefix="cus"),
        }
    )
    return render(request, "securities/collateral_detail.html", context)


def _collateral_action(request: HttpRequest, collateral: Any, action: Any, done: str, anchor: str = "") -> HttpResponse:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_collateral_url(collateral) + (f"#{anchor}" if anchor else ""))


def _form_or_error(request: HttpRequest, collateral: Any, form: Any, anchor: str) -> HttpResponse | None:
    if form.is_valid():
        return None
    problems = "；".join(f"{form.fields[n].label if n in form.fields else ''} {'；'.join(e)}".strip() for n, e in form.errors.items())
    messages.error(request, _("Please correct: %(problems)s") % {"problems": problems})
    return redirect(_collateral_url(collateral) + f"#{anchor}")


@require_POST
@require_permission(EDIT)
def owner_add(request: HttpRequest, pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    form = forms.OwnerForm(request.POST, prefix="owner")
    if (bad := _form_or_error(request, collateral, form, "owners")) is not None:
        return bad
    return _collateral_action(
        request,
        collateral,
        lambda: services.owner_add(actor=request.user, collateral=collateral, **form.cleaned_data),
        _("Owner added."),
        "owners",
    )


@require_POST
@require_permission(EDIT)
def appraisal_add(request: HttpRequest, pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    form = forms.AppraisalForm(request.POST, request.FILES, prefix="appraisal")
    if (bad := _form_or_error(request, collateral, form, "appraisals")) is not None:
        return bad
    data = {k: v for k, v in form.cleaned_data.items() if k != "report"}
    try:
        appraisal = services.appraisal_record(actor=request.user, collateral=collateral, **data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_collateral_url(collateral) + "#appraisals")
    if form.cleaned_data.get("report"):
        _attach_report(request, appraisal, form.cleaned_data["report"])
    if appraisal.state == "proposed":
        messages.success(request, _("The revaluation is proposed; it takes effect when a second person confirms it."))
    else:
        messages.success(request, _("The appraisal is recorded and sets the current value."))
    return redirect(_collateral_url(collateral) + "#appraisals")


def _proposed(request: HttpRequest, collateral: Any, appraisal_pk: int) -> Appraisal:
    appraisal = Appraisal.objects.filter(pk=appraisal_pk, collateral=collateral).first()
    if appraisal is None:
        raise Http404
    return appraisal


@require_POST
@require_permission(CONFIRM)
def revaluation_confirm(request: HttpRequest, pk: int, appraisal_pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    appraisal = _proposed(request, collateral, appraisal_pk)
    return _collateral_action(
        request,
        collateral,
        lambda: services.revaluation_confirm(actor=request.user, appraisal=appraisal),
        _("The revaluation is confirmed; it is now the current value."),
        "appraisals",
    )


@require_POST
@require_permission(CONFIRM)
def revaluation_reject(request: HttpRequest, pk: int, appraisal_pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    appraisal = _proposed(request, collateral, appraisal_pk)
    reason = request.POST.get("reason", "")
    return _collateral_action(
        request,
        collateral,
        lambda: services.revaluation_reject(actor=request.user, appraisal=appraisal, reason=reason),
        _("The revaluation is rejected; the value is unchanged."),
        "appraisals",
    )


@require_POST
@require_permission(EDIT)
def registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    form = forms.RegistrationForm(request.POST, prefix="reg")
    if (bad := _form_or_error(request, collateral, form, "registration")) is not None:
        return bad
    return _collateral_action(
        request,
        collateral,
        lambda: services.registration_record(actor=request.user, collateral=collateral, **form.cleaned_data),
        _("Registration recorded."),
        "registration",
    )


@require_POST
@require_permission(EDIT)
def insurance_add(request: HttpRequest, pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    form = forms.InsuranceForm(request.POST, prefix="ins")
    if (bad := _form_or_error(request, collateral, form, "insurance")) is not None:
        return bad
    return _collateral_action(
        request,
        collateral,
        lambda: services.insurance_record(actor=request.user, collateral=collateral, **form.cleaned_data),
        _("Insurance recorded."),
        "insurance",
    )


@require_POST
@require_permission(CUSTODY)
def custody_add(request: HttpRequest, pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    form = forms.CustodyForm(request.POST, prefix="cus")
    if (bad := _form_or_error(request, collateral, form, "custody")) is not None:
        return bad
    data = form.cleaned_data
    if request.POST.get("direction") == "out":
        return _collateral_action(
            request,
            collateral,
            lambda: services.custody_out(
                actor=request.user,
                collateral=collateral,
                document=data["document"],
                location=data["location"],
                reason=data["reason"],
                expected_return=data.get("expected_return"),
            ),
            _("Taking out recorded."),
            "custody",
        )
    return _collateral_action(
        request,
        collateral,
        lambda: services.custody_in(
            actor=request.user, collateral=collateral, document=data["document"], location=data["location"], reason=data["reason"]
        ),
        _("Taking into custody recorded."),
        "custody",
    )


@require_POST
@require_permission(CUSTODY)
def custody_return(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    collateral = selectors.collateral_get_for(request.user, pk, request)
    entry = CustodyEntry.objects.filter(pk=entry_pk, collateral=collateral).first()
    if entry is None:
        raise Http404
    location = request.POST.get("location", "")
    return _collateral_action(
        request,
        collateral,
        lambda: services.custody_return(actor=request.user, entry=entry, location=location),
        _("Return recorded."),
        "custody",
    )
