"""Bank pages: list with credit-line usage bars, detail (branches, contacts, agreements), create,
edit, deactivate/reactivate, contacts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Case, CharField, QuerySet, Value, When
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
from danbao.partners.forms import BankForm, ContactForm, ReasonForm
from danbao.partners.models import Agreement, Bank
from danbao.partners.views.common import MANAGE, VIEW, apply_error

LEVELS = (("head", gettext_lazy("Head office")), ("branch", gettext_lazy("Branch")))
ACTIVE = (("1", gettext_lazy("Active")), ("0", gettext_lazy("Deactivated")))


def _bank_link(bank: Bank) -> str:
    return reverse("partners:bank-detail", args=[bank.pk])


def bank_list_spec(usages: dict[int, Any]) -> ListSpec:
    """The bank list; `usages` (bank pk → (agreement, usage)) feeds the agreement and usage columns."""

    def agreement(bank: Bank) -> str:
        entry = usages.get(bank.pk)
        return entry[0].number if entry else ""

    def amount(index: str) -> Any:
        def read(bank: Bank) -> Any:
            entry = usages.get(bank.pk)
            return getattr(entry[1], index) if entry else None

        return read

    def usage(bank: Bank) -> str:
        entry = usages.get(bank.pk)
        return f"{entry[1].percent}%" if entry else ""

    return ListSpec(
        name="partner-banks",
        columns=[
            Column("code", gettext_lazy("Bank code"), sort_field="code", link=_bank_link),
            Column("name", gettext_lazy("Bank name"), sort_field="name", link=_bank_link),
            Column(
                "level",
                gettext_lazy("Level"),
                sort_field="level",
                display=lambda b: _("Head office") if b.parent_id is None else _("Branch"),
            ),
            Column("parent__name", gettext_lazy("Head office"), sort_field="parent__name"),
            Column("branch_count", gettext_lazy("Branches"), display=lambda b: b.branch_count if b.parent_id is None else ""),
            Column("agreement", gettext_lazy("Agreement in force"), display=agreement),
            Column("limit", gettext_lazy("Credit line"), kind="amount", display=amount("limit")),
            Column("used", gettext_lazy("Used"), kind="amount", display=amount("used")),
            Column("available", gettext_lazy("Available"), kind="amount", display=amount("available"), default=False),
            Column("usage", gettext_lazy("Usage"), display=usage),
            Column("licence_no", gettext_lazy("Financial licence number"), default=False),
            Column("is_active", gettext_lazy("Active"), sort_field="is_active", kind="bool"),
        ],
        filters=[
            Filter("level", gettext_lazy("Level"), "level", LEVELS),
            Filter("active", gettext_lazy("Status"), "is_active", ACTIVE),
        ],
        search_fields=["code", "name", "short_name", "parent__name"],
        search_placeholder=gettext_lazy("Code or name"),
        default_sort="code",
        select_related=["parent"],
        export_name=gettext_lazy("Partner banks"),
        export_permission=VIEW,
    )


def _listed(user: Any) -> QuerySet[Bank]:
    return selectors.bank_list_for(user).annotate(
        level=Case(When(parent__isnull=True, then=Value("head")), default=Value("branch"), output_field=CharField())
    )


@require_permission(VIEW)
def bank_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    queryset = _listed(request.user)
    usages = selectors.usage_for_banks(queryset, today)
    context = {"usages": {pk: usage for pk, (_agreement, usage) in usages.items()}, "usage_key": "usage", "today": today}
    return render_list(request, bank_list_spec(usages), queryset, "partners/bank_list.html", context)


@require_permission(VIEW)
def bank_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bank = selectors.bank_get_for(request.user, pk, request)
    today = timezone.localdate()
    branches = selectors.branches_of(bank)
    usages = selectors.usage_for_banks([bank, *branches], today)
    own = selectors.agreement_list_for(request.user).filter(bank=bank).order_by("-valid_from")
    inherited: QuerySet[Agreement] | list[Agreement] = []
    if bank.parent_id:
        inherited = selectors.agreement_list_for(request.user).filter(bank_id=bank.parent_id).order_by("-valid_from")
    context = {
        "bank": bank,
        "branches": [{"bank": b, "entry": usages.get(b.pk)} for b in branches],
        "entry": usages.get(bank.pk),
        "agreements": own,
        "inherited": inherited,
        "contacts": bank.contacts.order_by("-is_active", "name"),
        "contact_form": ContactForm(),
        "reason_form": ReasonForm(),
        "can_manage": request.user.can(MANAGE),  # type: ignore[union-attr]
        "today": today,
    }
    return render(request, "partners/bank_detail.html", context)


@require_permission(MANAGE)
def bank_create(request: HttpRequest) -> HttpResponse:
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = BankForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bank = services.bank_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Bank %(name)s created.") % {"name": bank.name})
            return redirect("partners:bank-detail", pk=bank.pk)
    return render(request, "partners/bank_form.html", {"form": form, "bank": None})


def _bank_initial(bank: Bank) -> dict[str, Any]:
    return {name: getattr(bank, name) for name in BankForm.base_fields if name != "parent"} | {"parent": bank.parent_id}


@require_permission(MANAGE)
def bank_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bank = selectors.bank_get_for(request.user, pk, request)
    form = BankForm(request.POST or None, initial=_bank_initial(bank))
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_update(actor=request.user, bank=bank, **form.cleaned_data)
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Bank %(name)s saved.") % {"name": bank.name})
            return redirect("partners:bank-detail", pk=bank.pk)
    return render(request, "partners/bank_form.html", {"form": form, "bank": bank})


@require_POST
@require_permission(MANAGE)
def bank_active(request: HttpRequest, pk: int) -> HttpResponse:
    bank = selectors.bank_get_for(request.user, pk, request)
    active = request.POST.get("active") == "1"
    try:
        services.bank_set_active(actor=request.user, bank=bank, active=active, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Bank reactivated.") if active else _("Bank deactivated."))
    return redirect("partners:bank-detail", pk=bank.pk)


@require_POST
@require_permission(MANAGE)
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    bank = selectors.bank_get_for(request.user, pk, request)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_save(actor=request.user, bank=bank, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Contact added."))
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items() if f in form.fields))
    return redirect(reverse("partners:bank-detail", args=[bank.pk]) + "#contacts")


@require_POST
@require_permission(MANAGE)
def contact_deactivate(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    bank = selectors.bank_get_for(request.user, pk, request)
    contact = selectors.contact_get_for(request.user, bank, contact_pk, request)
    services.contact_deactivate(actor=request.user, contact=contact)
    messages.success(request, _("Contact marked as no longer active."))
    return redirect(reverse("partners:bank-detail", args=[bank.pk]) + "#contacts")
