"""Agreement pages: list with usage bars, create, detail (usage bar, by-branch use, terms, history,
attachments, level changes), edit, put in force, terminate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list
from danbao.partners import lifecycle, selectors, services
from danbao.partners.forms import AgreementForm, ReasonForm, agreement_initial
from danbao.partners.models import Agreement, AgreementStatus
from danbao.partners.views.common import MANAGE, VIEW, apply_error, percent_text
from danbao.regulatory import exposures as exposure_book


def _link(agreement: Agreement) -> str:
    return reverse("partners:agreement-detail", args=[agreement.pk])


def agreement_list_spec(usages: dict[int, Any]) -> ListSpec:
    def usage(agreement: Agreement) -> str:
        entry = usages.get(agreement.pk)
        return f"{entry.percent}%" if entry else ""

    def used(agreement: Agreement) -> Any:
        entry = usages.get(agreement.pk)
        return entry.used if entry else None

    return ListSpec(
        name="partner-agreements",
        columns=[
            Column("number", gettext_lazy("Agreement number"), sort_field="number", link=_link),
            Column("bank__name", gettext_lazy("Bank"), sort_field="bank__name"),
            Column("valid_from", gettext_lazy("Valid from"), sort_field="valid_from", kind="date"),
            Column("valid_to", gettext_lazy("Valid to"), sort_field="valid_to", kind="date"),
            Column("credit_line_amount", gettext_lazy("Credit line"), sort_field="credit_line_amount", kind="amount"),
            Column("used", gettext_lazy("Used"), kind="amount", display=used),
            Column("usage", gettext_lazy("Usage"), display=usage),
            Column("bank_share_rate", gettext_lazy("Bank risk share"), display=lambda a: percent_text(a.bank_share_rate)),
            Column("margin_rate", gettext_lazy("Margin ratio"), display=lambda a: percent_text(a.margin_rate), default=False),
            Column("grace_days", gettext_lazy("Claim after days"), default=False),
            Column("manager__real_name", gettext_lazy("Responsible manager"), sort_field="manager__real_name"),
            Column("status", gettext_lazy("Status"), sort_field="status", display=lambda a: a.get_status_display()),
        ],
        filters=[Filter("status", gettext_lazy("Status"), "status", AgreementStatus.choices)],
        date_ranges=[DateRange("valid_to", gettext_lazy("Valid to"), "valid_to", is_datetime=False)],
        search_fields=["number", "title", "bank__name", "bank__code"],
        search_placeholder=gettext_lazy("Number, title or bank"),
        default_sort="-valid_from",
        select_related=["bank", "manager"],
        export_name=gettext_lazy("Cooperation agreements"),
        export_permission=VIEW,
    )


@require_permission(VIEW)
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    queryset = selectors.agreement_list_for(request.user)
    open_ones = queryset.exclude(status__in=[AgreementStatus.EXPIRED, AgreementStatus.TERMINATED])
    usages = selectors.usage_for_agreements(open_ones, today)
    context = {"usages": usages, "usage_key": "usage", "today": today}
    return render_list(request, agreement_list_spec(usages), queryset, "partners/agreement_list.html", context)


@require_permission(MANAGE)
def agreement_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"manager": request.user.pk, "grace_days": 90, "payment_days": 30, "covers_principal": True}
    if request.GET.get("bank"):
        initial["bank"] = selectors.bank_get_for(request.user, request.GET["bank"], request).pk
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor=request.user, bank=form.cleaned_data["bank"], **form.changes())
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Agreement %(number)s saved as a draft.") % {"number": agreement.number})
            return redirect("partners:agreement-detail", pk=agreement.pk)
    return render(request, "partners/agreement_form.html", {"form": form, "agreement": None})


@require_permission(MANAGE)
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for(request.user, pk, request)
    if not agreement.is_editable:
        messages.error(
            request, _("This agreement is %(status)s and can no longer be changed.") % {"status": agreement.get_status_display()}
        )
        return redirect("partners:agreement-detail", pk=agreement.pk)
    form = AgreementForm(request.POST or None, editing=True, initial=agreement_initial(agreement) | {"version": agreement.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(
                actor=request.user, agreement=agreement, expected_version=form.cleaned_data.get("version"), **form.changes()
            )
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Agreement %(number)s saved.") % {"number": agreement.number})
            return redirect("partners:agreement-detail", pk=agreement.pk)
    return render(request, "partners/agreement_form.html", {"form": form, "agreement": agreement})


def _actions(agreement: Agreement, user: Any) -> list[str]:
    """Buttons the user may use: the maker of a draft is not offered "put in force" (maker-checker)."""
    if not user.can(MANAGE):
        return []
    actions = lifecycle.actions_from(agreement.status)
    if user.pk in (agreement.created_by_id, agreement.updated_by_id):
        actions = [a for a in actions if a != "activate"]
    return actions


@require_permission(VIEW)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for(request.user, pk, request)
    today = timezone.localdate()
    book = exposure_book.current(today)
    user = request.user
    context = {
        "agreement": agreement,
        "usage": selectors.credit_line_usage(agreement, today, book),
        "by_branch": selectors.usage_by_branch(agreement, today, book),
        "branches": selectors.branches_of(agreement.bank) if agreement.bank.is_head_office else [],
        "history": selectors.agreement_history(agreement),
        "alerts": selectors.alerts_of(agreement),
        "actions": _actions(agreement, user),
        "can_manage": user.can(MANAGE),  # type: ignore[union-attr]
        "reason_form": ReasonForm(),
        "today": today,
        "percent": {
            "bank_share": percent_text(agreement.bank_share_rate),
            "margin": percent_text(agreement.margin_rate),
            "loss_rate_cap": percent_text(agreement.loss_rate_cap),
        },
    }
    return render(request, "partners/agreement_detail.html", context)


@require_POST
@require_permission(MANAGE)
def agreement_activate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for(request.user, pk, request)
    try:
        services.agreement_activate(actor=request.user, agreement=agreement)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Agreement %(number)s is in force.") % {"number": agreement.number})
    return redirect("partners:agreement-detail", pk=agreement.pk)


@require_permission(MANAGE)
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for(request.user, pk, request)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_terminate(actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Agreement %(number)s terminated.") % {"number": agreement.number})
            return redirect("partners:agreement-detail", pk=agreement.pk)
    return render(request, "partners/agreement_terminate.html", {"form": form, "agreement": agreement})
