"""Statement entry (grouped form with the balance check), Excel template and upload, household form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.customers import selectors_extras as sel
from danbao.customers.calculations import StatementFigures, balance_check
from danbao.customers.forms_extras import HouseholdForm, StatementForm, StatementUploadForm
from danbao.customers.models.financials import FIGURE_FIELDS
from danbao.customers.selectors import customer_get_for
from danbao.customers.services_extras import financials as services
from danbao.customers.views_extras.common import tab_url

MANAGE = "customers.statement.manage"


@require_permission(MANAGE)
def statement_edit(request: HttpRequest, pk: int, statement_pk: int | None = None) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    statement = sel.statement_of(customer, statement_pk) if statement_pk else None
    initial = (
        {n: getattr(statement, n) for n in [*FIGURE_FIELDS, "period_type", "period_end", "audited", "auditor", "note"]} if statement else {}
    )
    form = StatementForm(request.POST or None, initial=initial)
    disagreements = []
    if request.method == "POST" and form.is_valid():
        draft = "save_draft" in request.POST
        disagreements = balance_check(StatementFigures.from_object(form.cleaned_data), services.TOLERANCE)
        try:
            services.statement_save(actor=request.user, customer=customer, values=form.cleaned_data, statement=statement, draft=draft)
        except DomainError as exc:
            if exc.code != "customers.statement_unbalanced":
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Statement saved as a draft.") if draft else _("Statement saved."))
            return redirect(tab_url(customer, "financials"))
    return render(
        request,
        "customers/statement_form.html",
        {"customer": customer, "statement": statement, "form": form, "disagreements": disagreements},
    )


@require_permission(MANAGE)
def statement_template(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    response = HttpResponse(
        services.template_workbook(customer), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="statements-{customer.pk}.xlsx"'
    return response


@require_permission(MANAGE)
def statement_upload(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.statement_import(actor=request.user, customer=customer, data=form.cleaned_data["file"].read())
        except DomainError as exc:
            problems = exc.data.get("problems", [])
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(count)s statement period(s) imported.") % {"count": len(saved)})
            return redirect(tab_url(customer, "financials"))
    return render(request, "customers/statement_upload.html", {"customer": customer, "form": form, "problems": problems})


@require_permission(MANAGE)
def household_edit(request: HttpRequest, pk: int, statement_pk: int | None = None) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    statement = sel.household_of(customer, statement_pk) if statement_pk else None
    initial = {n: getattr(statement, n) for n in HouseholdForm.base_fields} if statement else {}
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.household_save(actor=request.user, customer=customer, year=data["year"], values=data, statement=statement)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Income-and-assets statement saved."))
            return redirect(tab_url(customer, "financials"))
    return render(request, "customers/statement_household_form.html", {"customer": customer, "statement": statement, "form": form})
