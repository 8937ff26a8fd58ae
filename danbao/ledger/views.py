"""Ledger pages: the in-force list (filters, totals, Excel export), the projects awaiting
disbursement, a guarantee's page (shares, balances, tranches with schedules, timeline), and the
disbursement form with its schedule preview (htmx) and custom schedule upload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, filtered_queryset, render_list
from danbao.ledger import forms, imports, selectors, services
from danbao.ledger.models import GuaranteeState, Loan
from danbao.projects.models import ProjectState

VIEW, RECORD_OWN, RECORD_ANY = selectors.VIEW, selectors.RECORD_OWN, selectors.RECORD_ANY


def _detail_url(guarantee: Any) -> str:
    return reverse("ledger:guarantee-detail", args=[guarantee.pk])


def _percent(value: Any) -> str:
    return f"{value * 100:.2f}%" if value is not None else ""


def _days_past_due(guarantee: Any) -> int:
    oldest = getattr(guarantee, "oldest_unpaid", None)
    return (timezone.localdate() - oldest).days if oldest else 0


GUARANTEE_LIST = ListSpec(
    name="ledger",
    columns=[
        Column("project__number", gettext_lazy("Project number"), sort_field="project__number", link=_detail_url),
        Column("customer__name", gettext_lazy("Customer"), sort_field="customer__name"),
        Column("lending_bank", gettext_lazy("Lending bank"), display=lambda g: g.lending_bank.name),
        Column("product_version__product__name", gettext_lazy("Product"), sort_field="product_version__product__code"),
        Column("guaranteed_amount", gettext_lazy("Guaranteed (yuan)"), sort_field="guaranteed_amount", kind="amount", default=False),
        Column("loan_balance", gettext_lazy("Loan balance (yuan)"), sort_field="loan_balance", kind="amount"),
        Column("days_past_due", gettext_lazy("Days past due"), sort_field="oldest_unpaid", display=_days_past_due),
        Column("overdue_total", gettext_lazy("Overdue amount (yuan)"), sort_field="overdue_total", kind="amount"),
        Column("own_share", gettext_lazy("Own share"), sort_field="own_share", display=lambda g: _percent(g.own_share)),
        Column("liability_balance", gettext_lazy("Liability balance (yuan)"), sort_field="liability_balance", kind="amount"),
        Column("regulatory_balance", gettext_lazy("Regulatory liability (yuan)"), sort_field="regulatory_balance", kind="amount"),
        Column("start_date", gettext_lazy("Start date"), sort_field="start_date", kind="date", default=False),
        Column("maturity_date", gettext_lazy("Maturity date"), sort_field="maturity_date", kind="date"),
        Column("project__manager_a__real_name", gettext_lazy("A-role manager"), sort_field="project__manager_a__real_name"),
        Column("project__department__name", gettext_lazy("Department"), sort_field="project__department__path", default=False),
        Column("state", pgettext_lazy("guarantee", "State"), sort_field="state", display=lambda g: g.get_state_display(), default=False),
    ],
    filters=[
        Filter("state", pgettext_lazy("guarantee", "State"), "state", GuaranteeState.choices),
        Filter("bank", gettext_lazy("Lending bank"), "bank_id", selectors.bank_choices),
        Filter("product", gettext_lazy("Product"), "product_version__product_id", selectors.product_choices),
        Filter("manager", gettext_lazy("A-role manager"), "project__manager_a_id", selectors.manager_choices),
        Filter("department", gettext_lazy("Department"), "project__department_id", selectors.department_choices),
        Filter(
            "overdue",
            pgettext_lazy("ledger filter", "Overdue"),
            "is_overdue",
            (("1", pgettext_lazy("ledger filter", "Yes")), ("0", pgettext_lazy("ledger filter", "No"))),
        ),
        Filter(
            "maturing",
            gettext_lazy("Maturing within"),
            "maturity_band__lte",
            (("7", gettext_lazy("7 days")), ("15", gettext_lazy("15 days")), ("30", gettext_lazy("30 days"))),
        ),
    ],
    date_ranges=[
        DateRange("start", gettext_lazy("Start date"), "start_date", is_datetime=False),
        DateRange("maturity", gettext_lazy("Maturity date"), "maturity_date", is_datetime=False),
    ],
    search_fields=["project__number", "customer__name", "loans__contract_number"],
    search_placeholder=gettext_lazy("Project, customer or loan contract number"),
    default_sort="-start_date",
    export_name=pgettext_lazy("ledger app", "In-force ledger"),
    export_permission=VIEW,
)


@require_permission(VIEW)
def guarantee_list(request: HttpRequest) -> HttpResponse:
    from danbao.ledger.overdue import annotate_overdue

    queryset = annotate_overdue(selectors.guarantee_list_for(request.user), timezone.localdate())
    if "loans__contract_number" in GUARANTEE_LIST.search_fields and request.GET.get("q"):
        queryset = queryset.distinct()
    filtered, _params = filtered_queryset(request, GUARANTEE_LIST, queryset)
    return render_list(request, GUARANTEE_LIST, queryset, "ledger/guarantee_list.html", {"totals": selectors.totals(filtered)})


def _pending_url(project: Any) -> str:
    return reverse("ledger:disburse", args=[project.pk])


PENDING_LIST = ListSpec(
    name="ledger-pending",
    columns=[
        Column("number", gettext_lazy("Project number"), sort_field="number", link=_pending_url),
        Column("customer__name", gettext_lazy("Customer"), sort_field="customer__name"),
        Column("bank__name", gettext_lazy("Lending bank"), sort_field="bank__code"),
        Column("approved_amount", gettext_lazy("Approved amount (yuan)"), sort_field="approved_amount", kind="amount"),
        Column("lent", gettext_lazy("Lent (yuan)"), sort_field="lent", kind="amount"),
        Column("approved_term_months", gettext_lazy("Approved term (months)"), sort_field="approved_term_months"),
        Column("manager_a__real_name", gettext_lazy("A-role manager"), sort_field="manager_a__real_name"),
    ],
    search_fields=["number", "customer__name"],
    search_placeholder=gettext_lazy("Project number or customer"),
    default_sort="-approved_at",
)


@require_permission(VIEW)
def pending_list(request: HttpRequest) -> HttpResponse:
    from danbao.letters.models import GuaranteeLetter
    from danbao.projects.selectors import project_list_for

    letters = GuaranteeLetter.objects.filter(project=OuterRef("pk"), kind="guarantee", state="valid")
    queryset = (
        project_list_for(request.user)
        .filter(state=ProjectState.APPROVED)
        .filter(Exists(letters))
        .filter(Q(guarantee__isnull=True) | Q(guarantee__state=GuaranteeState.IN_FORCE))
        .annotate(lent=Coalesce(Sum("guarantee__loans__amount"), Value(0), output_field=DecimalField(max_digits=18, decimal_places=2)))
        .filter(lent__lt=F("approved_amount"))
    )
    return render_list(request, PENDING_LIST, queryset, "ledger/pending_list.html")


@require_permission(VIEW)
def guarantee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    guarantee = selectors.guarantee_get_for(request.user, pk, request)
    loans = selectors.loans_of(guarantee)
    context = {
        "guarantee": guarantee,
        "project": guarantee.project,
        "loans": loans,
        "timeline": selectors.timeline_of(guarantee, loans),
        "can_record": selectors.may_record(request.user, guarantee.project) and not selectors.blockers(guarantee.project),
        "shares": [
            (_("Bank"), guarantee.bank_share),
            (_("Re-guarantor"), guarantee.reguarantor_share),
            (_("National fund"), guarantee.fund_share),
            (_("Government risk pool"), guarantee.gov_pool_share),
            (_("Own share"), guarantee.own_share),
        ],
    }
    from danbao.ledger.views_repayments import repayment_context

    context.update(repayment_context(request.user, guarantee))
    return render(request, "ledger/guarantee_detail.html", context)


def _record_project(request: HttpRequest, pk: int) -> Any:
    project = selectors.project_for(request.user, pk, request)
    if not selectors.may_record(request.user, project):
        raise PermissionDenied
    return project


def _custom_lines(form: forms.DisbursementForm) -> Any:
    upload = form.cleaned_data.get("schedule_file")
    if form.cleaned_data.get("repayment_method") != Loan.Method.CUSTOM or not upload:
        return None
    return imports.read_schedule(upload)


def _form_error(form: forms.DisbursementForm, exc: DomainError) -> None:
    field = exc.data.get("field")
    field = "interest_rate_percent" if field == "interest_rate" else field
    form.add_error(field if field in form.fields else None, exc.message)


@require_permission(RECORD_OWN, RECORD_ANY)
def disburse(request: HttpRequest, pk: int) -> HttpResponse:
    project = _record_project(request, pk)
    form = forms.DisbursementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.disbursement_record(
                actor=request.user, project=project, custom_lines=_custom_lines(form), **form.service_kwargs()
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("Tranche %(seq)s (contract %(contract)s) is recorded; the guarantee is in force.")
                % {"seq": loan.sequence, "contract": loan.contract_number},
            )
            return redirect("ledger:guarantee-detail", pk=loan.guarantee_id)
    context = selectors.disbursement_context(project)
    context.update({"form": form, "blockers": selectors.blockers(project)})
    return render(request, "ledger/disburse_form.html", context)


@require_POST
@require_permission(RECORD_OWN, RECORD_ANY)
def disburse_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The schedule the form would create (htmx), or why it cannot be built. Writes nothing."""
    _record_project(request, pk)
    form = forms.DisbursementForm(request.POST, request.FILES or None)
    context: dict[str, Any] = {"lines": None, "problems": []}
    if not form.is_valid():
        context["problems"] = [str(e) for errs in form.errors.values() for e in errs if form.errors]
        return render(request, "ledger/_schedule_preview.html", context)
    kwargs = form.service_kwargs()
    try:
        tranche = services.schedule_for(
            amount=kwargs["amount"],
            loan_date=kwargs["loan_date"],
            maturity_date=kwargs["maturity_date"],
            interest_rate=kwargs["interest_rate"],
            repayment_method=kwargs["repayment_method"],
            custom_lines=_custom_lines(form),
        )
    except DomainError as exc:
        context["problems"] = [exc.message]
    else:
        context.update(
            {
                "lines": tranche.lines,
                "total_principal": sum(x.principal for x in tranche.lines),
                "total_interest": sum(x.interest for x in tranche.lines),
            }
        )
    return render(request, "ledger/_schedule_preview.html", context)
