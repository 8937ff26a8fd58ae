"""Contract pages: the project's contracts (required list, generate, sign with the scan, void),
contract detail (snapshot, history, scans), PDF/DOCX downloads, the contracts register (filters,
Excel export) and the template pages (versions, editor with the placeholder catalogue, preview,
publish)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from danbao.contracts import documents, forms, placeholders, selectors, services
from danbao.contracts.models import ContractKind, ContractState
from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list

VIEW, MANAGE, SCAN = selectors.VIEW, selectors.MANAGE, selectors.SCAN
TEMPLATE_EDIT, TEMPLATE_PUBLISH = selectors.TEMPLATE_EDIT, selectors.TEMPLATE_PUBLISH


def _project_url(project: Any) -> str:
    return reverse("contracts:project", args=[project.pk])


def _bank_choices(user: Any) -> list[tuple[str, str]]:
    from danbao.partners.models import Bank

    return [(str(b.pk), b.name) for b in Bank.objects.filter(parent__isnull=True).order_by("code")]


REGISTER = ListSpec(
    name="contracts",
    columns=[
        Column("number", gettext_lazy("Contract number"), sort_field="number", link=lambda c: reverse("contracts:detail", args=[c.pk])),
        Column("kind", gettext_lazy("Contract kind"), sort_field="kind", display=lambda c: c.get_kind_display()),
        Column("project__number", gettext_lazy("Project number"), sort_field="project__number", link=lambda c: _project_url(c.project)),
        Column("project__customer__name", gettext_lazy("Customer"), sort_field="project__customer__name"),
        Column("party_name", gettext_lazy("Counterparty"), sort_field="party_name"),
        Column("project__bank__name", gettext_lazy("Lending bank"), sort_field="project__bank__name"),
        Column("amount", gettext_lazy("Amount (yuan)"), sort_field="amount", kind="amount"),
        Column("state", pgettext_lazy("contracts", "State"), sort_field="state", display=lambda c: c.get_state_display()),
        Column("generated_at", gettext_lazy("Generated at"), sort_field="generated_at", kind="datetime"),
        Column("signed_on", pgettext_lazy("contracts", "Signing date"), sort_field="signed_on", kind="date"),
        Column("template_version__number", gettext_lazy("Template version"), default=False),
        Column("project__department__name", gettext_lazy("Department"), sort_field="project__department__name", default=False),
    ],
    filters=[
        Filter("kind", gettext_lazy("Contract kind"), "kind", ContractKind.choices),
        Filter("state", pgettext_lazy("contracts", "State"), "state", ContractState.choices),
        Filter("bank", gettext_lazy("Lending bank"), "project__bank_id", _bank_choices),
    ],
    date_ranges=[
        DateRange("generated", gettext_lazy("Generated between"), "generated_at"),
        DateRange("signed", gettext_lazy("Signed between"), "signed_on", is_datetime=False),
    ],
    search_fields=["number", "project__number", "project__customer__name", "party_name"],
    search_placeholder=gettext_lazy("Contract or project number, customer, counterparty"),
    default_sort="-generated_at",
    export_name=gettext_lazy("Contract register"),
    export_permission=VIEW,
)


@require_permission(VIEW)
def register(request: HttpRequest) -> HttpResponse:
    return render_list(request, REGISTER, selectors.contract_list_for(request.user), "contracts/register.html")


# --- per project ----------------------------------------------------------------------------------


def _project(request: HttpRequest, pk: int) -> Any:
    from danbao.projects.selectors import project_get_for

    return project_get_for(request.user, pk, request)


@require_permission(VIEW)
def project_contracts(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    rows = selectors.required_contracts(project)
    scans = {row.contract.pk: selectors.scans_of(row.contract) for row in rows if row.contract}
    context = {
        "project": project,
        "rows": [{"row": row, "scans": scans.get(row.contract.pk, []) if row.contract else []} for row in rows],
        "contracts": selectors.contracts_of(project),
        "readiness": selectors.readiness(project),
        "terms": selectors.effective_terms(project),
        "approved": selectors.approved(project),
        "can_manage": selectors.may_manage(request.user, project),
        "sign_form": forms.SignForm(),
        "void_form": forms.VoidForm(),
    }
    return render(request, "contracts/project.html", context)


def _back(request: HttpRequest, project: Any, contract: Any = None) -> HttpResponse:
    if contract is not None and request.POST.get("next") == "detail":
        return redirect("contracts:detail", pk=contract.pk)
    return redirect("contracts:project", pk=project.pk)


@require_POST
@require_permission(MANAGE)
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        contract = services.contract_generate(
            actor=request.user, project=project, kind=request.POST.get("kind", ""), subject_key=request.POST.get("subject_key", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Contract %(number)s generated.") % {"number": contract.number})
    return _back(request, project)


def _contract(request: HttpRequest, pk: int) -> Any:
    return selectors.contract_get_for(request.user, pk)


@require_POST
@require_permission(MANAGE)
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.SignForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, contract.project, contract)
    data = form.cleaned_data
    try:
        services.contract_sign(
            actor=request.user, contract=contract, signed_on=data["signed_on"], signatories=data["signatories"], scan=data.get("scan")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Contract %(number)s is signed.") % {"number": contract.number})
    return _back(request, contract.project, contract)


@require_POST
@require_permission(MANAGE)
def void(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    try:
        services.contract_void(actor=request.user, contract=contract, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Contract %(number)s is void; a new one can be generated.") % {"number": contract.number})
    return _back(request, contract.project, contract)


@require_permission(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    context = {
        "contract": contract,
        "project": contract.project,
        "history": selectors.history_of(contract),
        "scans": selectors.scans_of(contract),
        "can_manage": selectors.may_manage(request.user, contract.project),
        "sign_form": forms.SignForm(),
        "void_form": forms.VoidForm(),
    }
    return render(request, "contracts/detail.html", context)


def _download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    contract = _contract(request, pk)
    if fmt == "pdf":
        data, content_type = documents.contract_pdf(contract), "application/pdf"
    else:
        data, content_type = documents.contract_docx(contract), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    services.contract_downloaded(actor=request.user, contract=contract, fmt=fmt)
    response = HttpResponse(data, content_type=content_type)
    name = f"{contract.number}-{contract.get_kind_display()}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require_permission(VIEW)
def download_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@require_permission(VIEW)
def download_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "docx")


# --- templates ------------------------------------------------------------------------------------


@require_permission(VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for template in selectors.templates_list():
        versions = sorted(template.versions.all(), key=lambda v: -v.number)
        published = next((v for v in versions if v.state == "published"), None)
        draft = next((v for v in versions if v.state == "draft"), None)
        rows.append({"template": template, "published": published, "draft": draft, "count": len(versions)})
    return render(request, "contracts/template_list.html", {"rows": rows})


@require_permission(VIEW)
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(pk)
    versions = list(template.versions.select_related("created_by", "published_by").order_by("-number"))
    number = request.GET.get("v")
    shown = selectors.version_get(template, number) if number else (versions[0] if versions else None)
    preview = ""
    if shown is not None:
        try:
            preview = services.template_preview(shown.body)
        except DomainError as exc:
            messages.error(request, exc.message)
    context = {
        "template": template,
        "versions": versions,
        "shown": shown,
        "preview": preview,
        "has_draft": any(v.is_draft for v in versions),
        "used": shown.contracts.count() if shown else 0,
    }
    return render(request, "contracts/template_detail.html", context)


@require_POST
@require_permission(TEMPLATE_EDIT)
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(pk)
    try:
        version = services.template_version_create(actor=request.user, template=template)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("contracts:template-detail", pk=template.pk)
    messages.success(request, _("Version %(number)s created as a copy; edit and publish it.") % {"number": version.number})
    return redirect("contracts:version-edit", pk=template.pk, number=version.number)


@require_permission(TEMPLATE_EDIT)
def version_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    template = selectors.template_get(pk)
    version = selectors.version_get(template, number)
    if not version.is_draft:
        messages.error(
            request, _("Version %(number)s is published and can no longer be changed; create a new version.") % {"number": version.number}
        )
        return redirect(f"{reverse('contracts:template-detail', args=[template.pk])}?v={version.number}")
    initial = {"version": version.edit_version, "title": version.title, "body": version.body, "note": version.note}
    form = forms.VersionForm(request.POST or None, initial=initial)
    preview = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_version_save(
                actor=request.user,
                version=version,
                title=data["title"],
                body=data["body"],
                note=data["note"],
                expected_version=data.get("version"),
            )
        except DomainError as exc:
            field = exc.data.get("field")
            form.add_error(field if field in form.fields else "body", exc.message)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("contracts:version-edit", pk=template.pk, number=version.number)
    try:
        preview = services.template_preview(form["body"].value() or "")
    except DomainError:
        preview = ""
    context = {"template": template, "version": version, "form": form, "catalogue": placeholders.CATALOGUE, "preview": preview}
    return render(request, "contracts/version_edit.html", context)


@require_POST
@require_permission(TEMPLATE_EDIT)
def version_preview(request: HttpRequest) -> HttpResponse:
    """The preview beside the editor (htmx): the posted wording with the sample data; nothing saved."""
    try:
        html, error = services.template_preview(request.POST.get("body", "")), ""
    except DomainError as exc:
        html, error = "", exc.message
    return render(request, "contracts/version_edit.html#preview", {"preview": html, "preview_error": error})


@require_POST
@require_permission(TEMPLATE_PUBLISH)
def version_publish(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    template = selectors.template_get(pk)
    version = selectors.version_get(template, number)
    try:
        services.template_version_publish(actor=request.user, version=version, expected_version=request.POST.get("version") or None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(number)s is published; new contracts use it.") % {"number": version.number})
    return redirect(f"{reverse('contracts:template-detail', args=[template.pk])}?v={version.number}")
