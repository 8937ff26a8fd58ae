"""Repayment pages: record a repayment on the guarantee page, reverse one, import the bank's Excel
(htmx preview with row-numbered errors, then an atomic import) and the maturity list (30 / 15 / 7
days, per bank, Excel export)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.ledger import forms_repayments as forms
from danbao.ledger import overdue, repayments, selectors
from danbao.ledger import repayment_import as importer
from danbao.ledger.models import GuaranteeState, Repayment

VIEW, RECORD_OWN, RECORD_ANY = selectors.VIEW, selectors.RECORD_OWN, selectors.RECORD_ANY


def repayment_context(user: Any, guarantee: Any) -> dict[str, Any]:
    """What the guarantee page shows of repayments: history, overdue position, actions."""
    today = timezone.localdate()
    return {
        "repayments": list(guarantee.repayments.select_related("loan", "created_by", "reversed_by").order_by("-paid_on", "-id")),
        "overdue": overdue.overdue_amounts(guarantee, today),
        "can_repay": guarantee.state == GuaranteeState.IN_FORCE and repayments.may_repay(user, guarantee),
        "extensions": list(guarantee.extensions.select_related("loan", "requested_by").order_by("-number")),
    }


def _guarantee_for_repay(request: HttpRequest, pk: int) -> Any:
    guarantee = selectors.guarantee_get_for(request.user, pk, request)
    if not repayments.may_repay(request.user, guarantee):
        raise PermissionDenied
    return guarantee


@require_permission(RECORD_OWN, RECORD_ANY)
def repayment_record(request: HttpRequest, pk: int) -> HttpResponse:
    guarantee = _guarantee_for_repay(request, pk)
    loans = list(guarantee.loans.order_by("sequence"))
    form = forms.RepaymentForm(request.POST or None, loans=loans)
    if request.method == "POST" and form.is_valid():
        loan = next(x for x in loans if x.pk == form.cleaned_data["loan"])
        data = {k: form.cleaned_data[k] for k in ("paid_on", "principal", "interest", "penalty", "reference", "idempotency_key")}
        try:
            repayments.repayment_record(actor=request.user, loan=loan, **data)
        except DomainError as exc:
            field = exc.data.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The repayment is recorded."))
            return redirect("ledger:guarantee-detail", pk=guarantee.pk)
    return render(request, "ledger/repayment_form.html", {"guarantee": guarantee, "project": guarantee.project, "form": form})


@require_POST
@require_permission(RECORD_OWN, RECORD_ANY)
def repayment_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    repayment = get_object_or_404(Repayment, pk=pk)
    guarantee = _guarantee_for_repay(request, repayment.guarantee_id)
    form = forms.ReverseForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("ledger.reason_required", _("Please give a reason."))
        repayments.repayment_reverse(actor=request.user, repayment=repayment, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The repayment is reversed."))
    return redirect("ledger:guarantee-detail", pk=guarantee.pk)


def _banks() -> list[tuple[int, str]]:
    from danbao.partners.models import Bank

    return list(Bank.objects.filter(parent__isnull=True).order_by("code").values_list("pk", "name"))


def _import_form(request: HttpRequest) -> forms.ImportForm:
    from danbao.partners.models import Bank

    banks = _banks()
    bank_id = request.POST.get("bank") or request.GET.get("bank") or (banks[0][0] if banks else None)
    bank = Bank.objects.filter(pk=bank_id).first() if bank_id else None
    columns = importer.mapping_for(bank) if bank else None
    return forms.ImportForm(request.POST or None, request.FILES or None, banks=banks, columns=columns)


def _bank(form: forms.ImportForm) -> Any:
    from danbao.partners.models import Bank

    return Bank.objects.get(pk=form.cleaned_data["bank"])


@require_permission(RECORD_OWN, RECORD_ANY)
def repayment_import(request: HttpRequest) -> HttpResponse:
    form = _import_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            counts = importer.repayments_import(
                actor=request.user, bank=_bank(form), upload=form.cleaned_data["file"], columns=form.columns()
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                _("%(recorded)s repayment(s) recorded, %(skipped)s already imported and skipped.") % counts,
            )
            return redirect(reverse("ledger:guarantee-list"))
    return render(request, "ledger/repayment_import.html", {"form": form})


@require_POST
@require_permission(RECORD_OWN, RECORD_ANY)
def repayment_import_preview(request: HttpRequest) -> HttpResponse:
    """The rows as they would be imported, with their errors (htmx). Writes nothing."""
    form = _import_form(request)
    context: dict[str, Any] = {"rows": None, "problems": []}
    if not form.is_valid():
        context["problems"] = [str(e) for errs in form.errors.values() for e in errs]
    else:
        try:
            raw = importer.read_rows(form.cleaned_data["file"], form.columns())
            context["rows"] = importer.check(request.user, _bank(form), raw)
        except DomainError as exc:
            context["problems"] = [exc.message]
        else:
            context["bad"] = sum(1 for r in context["rows"] if r.errors)
            context["duplicates"] = sum(1 for r in context["rows"] if r.duplicate and not r.errors)
    return render(request, "ledger/_repayment_preview.html", context)


# --- maturity list ----------------------------------------------------------------------------------


def _detail_url(guarantee: Any) -> str:
    return reverse("ledger:guarantee-detail", args=[guarantee.pk])


def _days_left(guarantee: Any) -> int:
    return (guarantee.maturity_date - timezone.localdate()).days


MATURITY_LIST = ListSpec(
    name="ledger-maturity",
    columns=[
        Column("project__number", gettext_lazy("Project number"), sort_field="project__number", link=_detail_url),
        Column("customer__name", gettext_lazy("Customer"), sort_field="customer__name"),
        Column("lending_bank", gettext_lazy("Lending bank"), display=lambda g: g.lending_bank.name),
        Column("maturity_date", gettext_lazy("Maturity date"), sort_field="maturity_date", kind="date"),
        Column("days_left", gettext_lazy("Days to maturity"), sort_field="maturity_date", display=_days_left),
        Column("loan_balance", gettext_lazy("Loan balance (yuan)"), sort_field="loan_balance", kind="amount"),
        Column("liability_balance", gettext_lazy("Liability balance (yuan)"), sort_field="liability_balance", kind="amount"),
        Column("project__manager_a__real_name", gettext_lazy("A-role manager"), sort_field="project__manager_a__real_name"),
    ],
    filters=[
        Filter(
            "within",
            gettext_lazy("Maturing within"),
            "maturity_band__lte",
            (("7", gettext_lazy("7 days")), ("15", gettext_lazy("15 days")), ("30", gettext_lazy("30 days"))),
        ),
        Filter("bank", gettext_lazy("Lending bank"), "bank_id", selectors.bank_choices),
    ],
    search_fields=["project__number", "customer__name"],
    search_placeholder=gettext_lazy("Project number or customer"),
    default_sort="maturity_date",
    export_name=gettext_lazy("Maturity list"),
    export_permission=VIEW,
)


@require_permission(VIEW)
def maturity_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    queryset = overdue.annotate_overdue(
        selectors.guarantee_list_for(request.user).filter(
            state=GuaranteeState.IN_FORCE, maturity_date__gte=today, maturity_date__lte=today + timedelta(days=30)
        ),
        today,
    )
    return render_list(request, MATURITY_LIST, queryset, "ledger/maturity_list.html")


@require_permission(RECORD_OWN, RECORD_ANY)
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    from danbao.ledger import extensions

    guarantee = _guarantee_for_repay(request, pk)
    loans = list(guarantee.loans.order_by("sequence"))
    form = forms.ExtensionForm(request.POST or None, loans=loans)
    if request.method == "POST" and form.is_valid():
        loan = next(x for x in loans if x.pk == form.cleaned_data["loan"])
        try:
            extensions.extension_request(
                actor=request.user, loan=loan, new_maturity=form.cleaned_data["new_maturity"], reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            field = exc.data.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The extension request is submitted for approval."))
            return redirect("ledger:guarantee-detail", pk=guarantee.pk)
    return render(request, "ledger/extension_form.html", {"guarantee": guarantee, "project": guarantee.project, "form": form})
