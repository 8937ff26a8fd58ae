"""Finance pages: the project fees page (schedule, receivables, receipts, deferrals, fee notice PDF),
the receivables list for finance staff (filters, Excel), the receipts list and the deferral queue."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list
from danbao.finance import forms, pdf, selectors, services
from danbao.finance.models import DeferralStatus, ReceiptState, ReceivableKind, ReceivableState

VIEW, PLAN, RECORD, APPROVE = selectors.VIEW, selectors.PLAN, selectors.RECORD, selectors.APPROVE


def _fees(project: Any) -> HttpResponse:
    return redirect("finance:project-fees", pk=project.pk)


def _refused(request: HttpRequest, project: Any, exc: DomainError) -> HttpResponse:
    messages.error(request, exc.message)
    return _fees(project)


@require_permission(VIEW)
def project_fees(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    context = selectors.project_page(request.user, project)
    context["plan_form"] = forms.PlanForm(initial={"issue_date": timezone.localdate()})
    return render(request, "finance/project_fees.html", context)


@require_POST
@require_permission(PLAN)
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a valid expected issue date."))
        return _fees(project)
    try:
        plan = services.fee_schedule_create(actor=request.user, project=project, issue_date=form.cleaned_data["issue_date"])
    except DomainError as exc:
        return _refused(request, project, exc)
    messages.success(request, _("Fee schedule version %(n)s is in place.") % {"n": plan.sequence})
    return _fees(project)


@require_permission(RECORD)
def receipt_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    context = selectors.project_page(request.user, project)
    open_rows = context["open_receivables"]
    initial = {"payer": project.customer.name}
    if request.method == "POST":
        # A second click after the first was recorded: the receivables it paid are no longer on the
        # form, so answer with the first receipt instead of re-validating (the service would too).
        done = selectors.receipt_for_key(project, request.POST.get("idempotency_key", ""))
        if done is not None:
            messages.info(request, _("Receipt %(number)s was already recorded.") % {"number": done.number})
            return _fees(project)
    form = forms.ReceiptForm(request.POST or None, receivables=open_rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = services.receipt_record(
                actor=request.user,
                project=project,
                amount=data["amount"],
                received_on=data["received_on"],
                method=data["method"],
                payer=data["payer"],
                reference=data["reference"],
                idempotency_key=data["idempotency_key"],
                allocations=form.allocations(),
                note=data["note"],
            )
        except DomainError as exc:
            field = exc.data.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Receipt %(number)s recorded.") % {"number": receipt.number})
            return _fees(project)
    return render(request, "finance/receipt_form.html", {**context, "form": form})


@require_POST
@require_permission(RECORD)
def receipt_reverse(request: HttpRequest, pk: int, receipt_pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    receipt = selectors.receipt_get_for(request.user, receipt_pk, request)
    if receipt.project_id != project.pk:
        return _fees(project)
    try:
        services.receipt_reverse(actor=request.user, receipt=receipt, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _refused(request, project, exc)
    messages.success(request, _("Receipt %(number)s reversed.") % {"number": receipt.number})
    return _fees(project)


@require_permission(PLAN)
def deferral_create(request: HttpRequest, pk: int, receivable_pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    receivable = selectors.receivable_get_for(request.user, receivable_pk, request)
    if receivable.project_id != project.pk:
        return _fees(project)
    receivable.label = selectors.receivable_label(receivable)  # type: ignore[attr-defined]
    form = forms.DeferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deferral_request(
                actor=request.user, receivable=receivable, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            field = exc.data.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Deferral requested; it waits for the decision of a department head or the general manager."))
            return _fees(project)
    return render(request, "finance/deferral_form.html", {"project": project, "receivable": receivable, "form": form})


@require_POST
@require_permission(APPROVE)
def deferral_decide(request: HttpRequest, deferral_pk: int) -> HttpResponse:
    deferral = selectors.deferral_get_for(request.user, deferral_pk, request)
    approve = request.POST.get("decision") == "approve"
    try:
        services.deferral_decide(actor=request.user, deferral=deferral, approve=approve, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Deferral approved.") if approve else _("Deferral refused."))
    target = request.POST.get("next")
    if target == "project":
        return redirect("finance:project-fees", pk=deferral.receivable.project_id)
    return redirect("finance:deferral-queue")


@require_permission(VIEW)
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    try:
        data = pdf.notice_pdf(project, actor=request.user)
    except DomainError as exc:
        return _refused(request, project, exc)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{project.number}-缴费通知书.pdf')}"
    return response


# --- lists ----------------------------------------------------------------------------------------


def _project_fees_url(row: Any) -> str:
    project = getattr(row, "project", None) or row.receivable.project
    return selectors.fee_url(project)


def _bank_choices(user: Any) -> list[tuple[str, str]]:
    from danbao.partners.models import Bank

    return [(str(b.pk), b.name) for b in Bank.objects.filter(parent__isnull=True).order_by("code")]


RECEIVABLE_LIST = ListSpec(
    name="finance-receivables",
    columns=[
        Column("project__number", gettext_lazy("Project number"), sort_field="project__number", link=_project_fees_url),
        Column("project__customer__name", gettext_lazy("Customer"), sort_field="project__customer__name"),
        Column("kind", gettext_lazy("Kind"), sort_field="kind", display=lambda r: selectors.receivable_label(r)),
        Column("amount", gettext_lazy("Amount (yuan)"), sort_field="amount", kind="amount"),
        Column("paid_amount", gettext_lazy("Paid (yuan)"), sort_field="paid_amount", kind="amount"),
        Column("outstanding_amount", gettext_lazy("Outstanding (yuan)"), sort_field="outstanding_amount", kind="amount"),
        Column("due_date", pgettext_lazy("fee item", "Due date"), sort_field="due_date", kind="date"),
        Column("deferred_until", gettext_lazy("Deferred until"), sort_field="deferred_until", kind="date", default=False),
        Column("state", gettext_lazy("State"), sort_field="state", display=lambda r: r.get_state_display()),
        Column("project__bank__name", gettext_lazy("Lending bank"), sort_field="project__bank__name"),
        Column("payer_name", gettext_lazy("Payer"), sort_field="payer_name", default=False),
        Column("project__department__name", gettext_lazy("Department"), sort_field="project__department__name", default=False),
    ],
    filters=[
        Filter("kind", gettext_lazy("Kind"), "kind", ReceivableKind.choices),
        Filter("state", gettext_lazy("State"), "state", ReceivableState.choices),
        Filter("bank", gettext_lazy("Lending bank"), "project__bank_id", _bank_choices),
    ],
    date_ranges=[DateRange("due", pgettext_lazy("fee item", "Due date"), "due_date", is_datetime=False)],
    search_fields=["project__number", "project__customer__name", "payer_name"],
    search_placeholder=gettext_lazy("Project number, customer or payer"),
    default_sort="due_date",
    export_name=gettext_lazy("Receivables"),
    export_permission=VIEW,
)


@require_permission(VIEW)
def receivable_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.receivable_list_for(request.user)
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        queryset = queryset.filter(selectors.overdue_q())
    context = {"overdue": overdue, "outstanding_total": selectors.outstanding_total(queryset)}
    return render_list(request, RECEIVABLE_LIST, queryset, "finance/receivable_list.html", context)


RECEIPT_LIST = ListSpec(
    name="finance-receipts",
    columns=[
        Column("number", gettext_lazy("Receipt number"), sort_field="number"),
        Column("project__number", gettext_lazy("Project number"), sort_field="project__number", link=_project_fees_url),
        Column("project__customer__name", gettext_lazy("Customer"), sort_field="project__customer__name"),
        Column("amount", gettext_lazy("Amount (yuan)"), sort_field="amount", kind="amount"),
        Column("received_on", gettext_lazy("Received on"), sort_field="received_on", kind="date"),
        Column("method", pgettext_lazy("receipt", "Method"), sort_field="method", display=lambda r: r.get_method_display()),
        Column("payer", gettext_lazy("Payer"), sort_field="payer"),
        Column("reference", gettext_lazy("Bank reference"), sort_field="reference"),
        Column("state", gettext_lazy("State"), sort_field="state", display=lambda r: r.get_state_display()),
        Column("created_by__real_name", gettext_lazy("Recorded by"), sort_field="created_by__real_name", default=False),
    ],
    filters=[Filter("state", gettext_lazy("State"), "state", ReceiptState.choices)],
    date_ranges=[DateRange("received", gettext_lazy("Received on"), "received_on", is_datetime=False)],
    search_fields=["number", "project__number", "project__customer__name", "payer", "reference"],
    search_placeholder=gettext_lazy("Receipt or project number, payer, reference"),
    default_sort="-received_on",
    export_name=gettext_lazy("Receipts"),
    export_permission=VIEW,
)


@require_permission(VIEW)
def receipt_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, RECEIPT_LIST, selectors.receipt_list_for(request.user), "finance/receipt_list.html")


@require_permission(APPROVE)
def deferral_queue(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.deferrals_to_decide(request.user))
    for deferral in pending:
        deferral.receivable.label = selectors.receivable_label(deferral.receivable)  # type: ignore[attr-defined]
    decided = list(selectors.deferral_list_for(request.user).exclude(status=DeferralStatus.PENDING).order_by("-decided_at", "-id")[:20])
    for deferral in decided:
        deferral.receivable.label = selectors.receivable_label(deferral.receivable)  # type: ignore[attr-defined]
    own = list(selectors.deferral_list_for(request.user).filter(status=DeferralStatus.PENDING, requested_by=request.user))
    for deferral in own:
        deferral.receivable.label = selectors.receivable_label(deferral.receivable)  # type: ignore[attr-defined]
    return render(
        request,
        "finance/deferral_queue.html",
        {"pending": pending, "decided": decided, "own": own, "queue_url": reverse("finance:deferral-queue")},
    )
