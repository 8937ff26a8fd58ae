"""Risk-sharing partner pages (list with the loss-split calculator, detail with fee examples, create,
edit, deactivate) and channel pages (list and detail with the in-force business they brought)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
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
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.partners import selectors, services
from danbao.partners.forms import ChannelForm, PartnerForm, ReasonForm, partner_initial
from danbao.partners.models import Channel, ChannelKind, Partner, PartnerKind
from danbao.partners.views.common import CHANNEL_MANAGE, MANAGE, VIEW, apply_error, percent_text

ACTIVE = (("1", gettext_lazy("Active")), ("0", gettext_lazy("Deactivated")))
W = Decimal(10_000)


def _partner_link(partner: Partner) -> str:
    return reverse("partners:partner-detail", args=[partner.pk])


PARTNER_LIST = ListSpec(
    name="risk-sharing-partners",
    columns=[
        Column("code", gettext_lazy("Partner code"), sort_field="code", link=_partner_link),
        Column("name", gettext_lazy("Partner name"), sort_field="name", link=_partner_link),
        Column("kind", gettext_lazy("Partner kind"), sort_field="kind", display=lambda p: p.get_kind_display()),
        Column("share_rate", gettext_lazy("Risk share"), sort_field="share_rate", display=lambda p: percent_text(p.share_rate)),
        Column("cap_amount", gettext_lazy("Compensation cap"), kind="amount"),
        Column("loss_rate_cap", gettext_lazy("Compensation rate cap"), display=lambda p: percent_text(p.loss_rate_cap)),
        Column("valid_to", gettext_lazy("Valid to"), sort_field="valid_to", kind="date"),
        Column("is_active", gettext_lazy("Active"), sort_field="is_active", kind="bool"),
    ],
    filters=[
        Filter("kind", gettext_lazy("Partner kind"), "kind", PartnerKind.choices),
        Filter("active", gettext_lazy("Status"), "is_active", ACTIVE),
    ],
    search_fields=["code", "name", "agreement_number"],
    search_placeholder=gettext_lazy("Code or name"),
    default_sort="kind",
    export_name=gettext_lazy("Risk-sharing partners"),
    export_permission=VIEW,
)


def _decimal(value: str | None, default: Decimal) -> Decimal:
    try:
        number = Decimal((value or "").replace(",", "").strip())
    except InvalidOperation:
        return default
    return number if number.is_finite() and number >= 0 else default


@require_permission(VIEW)
def partner_list(request: HttpRequest) -> HttpResponse:
    """The partner list, and a calculator: how a default splits across bank, partners and us."""
    loss_wan = _decimal(request.GET.get("loss"), Decimal(500))
    bank_pct = min(_decimal(request.GET.get("bank_share"), Decimal(20)), Decimal(100))
    recovered_wan = _decimal(request.GET.get("recovered"), Decimal(0))
    calculator: dict[str, Any] = {"loss": loss_wan, "bank_share": bank_pct, "recovered": recovered_wan}
    try:
        calculator["preview"] = selectors.loss_split_preview(loss_wan * W, bank_pct / 100, recovered_wan * W)
    except ValueError:
        calculator["error"] = _("The shares of the bank and the active partners add up to more than 100%.")
    queryset = selectors.partner_list_for(request.user)
    return render_list(request, PARTNER_LIST, queryset, "partners/partner_list.html", {"calculator": calculator})


@require_permission(VIEW)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get_for(request.user, pk, request)
    today = timezone.localdate()
    examples = []
    fee_error = ""
    for loan_wan in (300, 500, 800):
        try:
            fee = selectors.partner_fee(partner, Decimal(loan_wan) * W, today)
        except DomainError as exc:
            fee_error = exc.message
            break
        examples.append({"loan": Decimal(loan_wan) * W, "fee": fee, "rate": percent_text(fee.rate)})
    context = {
        "partner": partner,
        "examples": examples,
        "fee_error": fee_error,
        "percent": {
            "share": percent_text(partner.share_rate),
            "loss_rate_cap": percent_text(partner.loss_rate_cap),
        },
        "rates": [percent_text(r) for r in selectors.partner_fee_rates(partner, today)] if not fee_error else [],
        "rates_from_parameters": partner.fee_rate_low is None or partner.fee_rate_high is None,
        "history": partner.history.select_related("history_user").order_by("-history_date")[:20],
        "can_manage": request.user.can(MANAGE),  # type: ignore[union-attr]
        "reason_form": ReasonForm(),
    }
    return render(request, "partners/partner_detail.html", context)


@require_permission(MANAGE)
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Partner %(name)s created.") % {"name": partner.name})
            return redirect("partners:partner-detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


@require_permission(MANAGE)
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get_for(request.user, pk, request)
    form = PartnerForm(request.POST or None, initial=partner_initial(partner))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(actor=request.user, partner=partner, **form.cleaned_data)
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Partner %(name)s saved.") % {"name": partner.name})
            return redirect("partners:partner-detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@require_POST
@require_permission(MANAGE)
def partner_active(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get_for(request.user, pk, request)
    active = request.POST.get("active") == "1"
    try:
        services.partner_set_active(actor=request.user, partner=partner, active=active, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Partner reactivated.") if active else _("Partner deactivated."))
    return redirect("partners:partner-detail", pk=partner.pk)


# --- Channels ---------------------------------------------------------------------------------------


def _channel_link(channel: Channel) -> str:
    return reverse("partners:channel-detail", args=[channel.pk])


def channel_list_spec(business: dict[str, selectors.ChannelBusiness]) -> ListSpec:
    def count(channel: Channel) -> int:
        entry = business.get(channel.code)
        return entry.count if entry else 0

    def amount(channel: Channel) -> Decimal:
        entry = business.get(channel.code)
        return entry.amount if entry else Decimal(0)

    return ListSpec(
        name="partner-channels",
        columns=[
            Column("code", gettext_lazy("Channel code"), sort_field="code", link=_channel_link),
            Column("name", gettext_lazy("Channel name"), sort_field="name", link=_channel_link),
            Column("kind", gettext_lazy("Channel kind"), sort_field="kind", display=lambda c: c.get_kind_display()),
            Column("contact_name", gettext_lazy("Contact name")),
            Column("contact_phone", gettext_lazy("Phone"), default=False),
            Column("count", gettext_lazy("Guarantees in force"), display=count),
            Column("amount", gettext_lazy("Loan balance in force"), kind="amount", display=amount),
            Column("is_active", gettext_lazy("Active"), sort_field="is_active", kind="bool"),
        ],
        filters=[
            Filter("kind", gettext_lazy("Channel kind"), "kind", ChannelKind.choices),
            Filter("active", gettext_lazy("Status"), "is_active", ACTIVE),
        ],
        search_fields=["code", "name", "contact_name"],
        search_placeholder=gettext_lazy("Code or name"),
        default_sort="code",
        export_name=gettext_lazy("Referral channels"),
        export_permission=VIEW,
    )


@require_permission(VIEW)
def channel_list(request: HttpRequest) -> HttpResponse:
    business = selectors.channel_business(timezone.localdate())
    return render_list(request, channel_list_spec(business), selectors.channel_list_for(request.user), "partners/channel_list.html")


@require_permission(VIEW)
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_get_for(request.user, pk, request)
    today = timezone.localdate()
    business = selectors.channel_business(today).get(channel.code) or selectors.ChannelBusiness()
    context = {
        "channel": channel,
        "business": business,
        "exposures": sorted(business.exposures, key=lambda e: -e.loan_balance)[:200],
        "history": channel.history.select_related("history_user").order_by("-history_date")[:20],
        "can_manage": request.user.can(CHANNEL_MANAGE),  # type: ignore[union-attr]
        "reason_form": ReasonForm(),
        "today": today,
    }
    return render(request, "partners/channel_detail.html", context)


@require_permission(CHANNEL_MANAGE)
def channel_create(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Channel %(name)s created.") % {"name": channel.name})
            return redirect("partners:channel-detail", pk=channel.pk)
    return render(request, "partners/channel_form.html", {"form": form, "channel": None})


@require_permission(CHANNEL_MANAGE)
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_get_for(request.user, pk, request)
    form = ChannelForm(request.POST or None, initial={name: getattr(channel, name) for name in ChannelForm.base_fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(actor=request.user, channel=channel, **form.cleaned_data)
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Channel %(name)s saved.") % {"name": channel.name})
            return redirect("partners:channel-detail", pk=channel.pk)
    return render(request, "partners/channel_form.html", {"form": form, "channel": channel})


@require_POST
@require_permission(CHANNEL_MANAGE)
def channel_active(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_get_for(request.user, pk, request)
    active = request.POST.get("active") == "1"
    try:
        services.channel_set_active(actor=request.user, channel=channel, active=active, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Channel reactivated.") if active else _("Channel deactivated."))
    return redirect("partners:channel-detail", pk=channel.pk)
