"""Customer pages: list/export, create (kind first), edit, close, size override, customer 360, unmask."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Case, CharField, F, Q, QuerySet, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from danbao.core import stepup
from danbao.core.access import require_permission
from danbao.core.crypto import blind_index
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.customers import services
from danbao.customers.forms import (
    CloseForm,
    CustomerForm,
    SizeOverrideForm,
    UnmaskForm,
    initial_for,
    region_label,
)
from danbao.customers.models.customer import ORGANISATION_KINDS, Customer, CustomerKind, CustomerStatus, SizeClass
from danbao.customers.reference import industry_choices, industry_get, region_choices
from danbao.customers.selectors import customer_get_for, customer_history, customer_list_for
from danbao.customers.tabs import tabs_for
from danbao.org.models import Department, User

VIEW = "customers.customer.view"
MANAGE = "customers.customer.manage"
SENSITIVE = "customers.sensitive.view"

KIND_ICONS = {
    CustomerKind.ENTERPRISE: ("ti-building", gettext_lazy("Companies and other enterprises with a credit code")),
    CustomerKind.INDIVIDUAL_BUSINESS: ("ti-building-store", gettext_lazy("Registered sole traders (个体工商户)")),
    CustomerKind.FAMILY_FARM: ("ti-plant-2", gettext_lazy("Registered family farms")),
    CustomerKind.COOPERATIVE: ("ti-users-group", gettext_lazy("Farmers' specialised cooperatives")),
    CustomerKind.FARMER: ("ti-tractor", gettext_lazy("Farming households, identified by the householder's ID number")),
    CustomerKind.NATURAL_PERSON: ("ti-user", gettext_lazy("Other individuals, identified by their ID number")),
}


def display_identity(customer: Customer) -> str:
    """Credit codes are public registration data and shown; ID numbers are masked."""
    if customer.identity_type == "uscc":
        return customer.identity_code
    return services.masked(customer, "identity_code")


def _industry_label(customer: Customer) -> str:
    industry = industry_get(customer.industry_code) if customer.industry_code else None
    return industry.label if industry else customer.industry_code


def _section_filters(user: Any) -> list[tuple[str, str]]:
    """Industry sections as regular expressions over the division codes they contain."""
    divisions: dict[str, list[str]] = {}
    for code, _label in industry_choices("division"):
        industry = industry_get(code)
        if industry and industry.parent:
            divisions.setdefault(industry.parent, []).append(code)
    return [(f"^({'|'.join(divisions[s])})", label) for s, label in industry_choices("section") if s in divisions]


def _province_filters(user: Any) -> list[tuple[str, str]]:
    return [(code[:2], name) for code, name in region_choices()]


def _department_filters(user: Any) -> list[tuple[int, str]]:
    return [(d.pk, "\u3000" * d.depth + d.name) for d in Department.objects.filter(customers__isnull=False).distinct().order_by("path")]


def _manager_filters(user: Any) -> list[tuple[int, str]]:
    ids = customer_list_for(user).values("manager_id")
    return [(u.pk, u.real_name or u.username) for u in User.objects.filter(pk__in=ids).order_by("real_name")]


def _row_actions(obj: Customer, user: Any) -> list[tuple[str, str]]:
    if user.can(MANAGE) and obj.is_active:
        return [(_("Edit"), reverse("customers:customer-edit", args=[obj.pk]))]
    return []


def _link(customer: Customer) -> str:
    return reverse("customers:customer-detail", args=[customer.pk])


CUSTOMER_LIST = ListSpec(
    name="customers",
    columns=[
        Column("name", gettext_lazy("Customer name"), sort_field="name", link=_link),
        Column("kind", gettext_lazy("Kind"), sort_field="kind", display=lambda c: c.get_kind_display()),
        Column("identity_code", gettext_lazy("Credit code / ID number"), display=display_identity),
        Column("size", gettext_lazy("Size class"), sort_field="eff_size", display=lambda c: c.get_effective_size_class_display()),
        Column("industry_code", pgettext_lazy("customer", "Industry"), sort_field="industry_code", display=_industry_label),
        Column("region_code", gettext_lazy("Region"), sort_field="region_code", display=lambda c: region_label(c.region_code)),
        Column("department__name", gettext_lazy("Managing department"), sort_field="department__path"),
        Column("manager__real_name", gettext_lazy("Customer manager"), sort_field="manager__real_name"),
        Column("mobile", gettext_lazy("Mobile"), display=lambda c: services.masked(c, "mobile"), default=False),
        Column("legal_rep_name", gettext_lazy("Legal representative / operator"), default=False),
        Column("status", gettext_lazy("Status"), sort_field="status", display=lambda c: c.get_status_display()),
        Column("created_at", gettext_lazy("Created at"), sort_field="created_at", kind="datetime", default=False),
        Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime"),
    ],
    filters=[
        Filter("kind", gettext_lazy("Kind"), "kind", CustomerKind.choices),
        Filter("size", gettext_lazy("Size class"), "eff_size", SizeClass.choices),
        Filter("section", gettext_lazy("Industry section"), "industry_code__regex", _section_filters),
        Filter("province", gettext_lazy("Province"), "region_code__startswith", _province_filters),
        Filter("department", gettext_lazy("Managing department"), "department", _department_filters),
        Filter("manager", gettext_lazy("Customer manager"), "manager", _manager_filters),
        Filter("status", gettext_lazy("Status"), "status", CustomerStatus.choices),
    ],
    search_fields=["name", "name_initials"],
    search_exact=lambda text: Q(identity_index=blind_index(text)),  # codes are encrypted: whole code only
    search_placeholder=gettext_lazy("Name, full code or pinyin initials"),
    default_sort="-updated_at",
    select_related=["department", "manager"],
    export_name=gettext_lazy("Customers"),
    export_permission="customers.customer.export",
    row_actions=_row_actions,
)


def _listed(user: Any) -> QuerySet[Customer]:
    return customer_list_for(user).annotate(
        eff_size=Case(When(size_class_override="", then=F("size_class")), default=F("size_class_override"), output_field=CharField())
    )


@require_permission(VIEW)
def customer_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, CUSTOMER_LIST, _listed(request.user), "customers/customer_list.html")


def _apply_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@require_permission(MANAGE)
def customer_create(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in CustomerKind.values:
        kinds = [{"value": str(k), "label": CustomerKind(k).label, "icon": KIND_ICONS[k][0], "hint": KIND_ICONS[k][1]} for k in KIND_ICONS]
        return render(request, "customers/customer_kind.html", {"kinds": kinds})
    user = request.user
    initial = {"department": user.department_id, "manager": user.pk}  # type: ignore[union-attr]
    form = CustomerForm(request.POST or None, kind=kind, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(actor=user, kind=kind, **form.changes())
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Customer %(name)s created.") % {"name": customer.name})
            for warning in customer.warnings:
                messages.warning(request, warning)
            return redirect("customers:customer-detail", pk=customer.pk)
    context = {"form": form, "kind": kind, "kind_label": CustomerKind(kind).label, "customer": None}
    return render(request, "customers/customer_form.html", context)


@require_permission(MANAGE)
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    if not customer.is_active:
        messages.error(request, _("This customer is closed and can no longer be changed."))
        return redirect("customers:customer-detail", pk=customer.pk)
    form = CustomerForm(request.POST or None, kind=customer.kind, user=request.user, editing=True, initial=initial_for(customer))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.customer_update(
                actor=request.user, customer=customer, expected_version=form.cleaned_data.get("version"), **form.changes()
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Customer %(name)s saved.") % {"name": saved.name})
            for warning in saved.warnings:
                messages.warning(request, warning)
            return redirect("customers:customer-detail", pk=saved.pk)
    context = {"form": form, "kind": customer.kind, "kind_label": customer.get_kind_display(), "customer": customer}
    return render(request, "customers/customer_form.html", context)


@require_permission(MANAGE)
def customer_close(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    form = CloseForm(request.POST or None, initial={"version": customer.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_close(
                actor=request.user, customer=customer, reason=form.cleaned_data["reason"], expected_version=form.cleaned_data.get("version")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Customer %(name)s closed.") % {"name": customer.name})
        return redirect("customers:customer-detail", pk=customer.pk)
    return render(request, "customers/customer_close.html", {"form": form, "customer": customer})


@require_permission(MANAGE)
def customer_size(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    if customer.kind not in ORGANISATION_KINDS:
        messages.error(request, _("Size classes apply to organisations only."))
        return redirect("customers:customer-detail", pk=customer.pk)
    form = SizeOverrideForm(request.POST or None, initial={"version": customer.version, "size_class": customer.size_class_override})
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_size_override(
                actor=request.user,
                customer=customer,
                size_class=form.cleaned_data["size_class"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Size class saved."))
            return redirect("customers:customer-detail", pk=customer.pk)
    return render(request, "customers/customer_size.html", {"form": form, "customer": customer})


def _identity_rows(customer: Customer, revealed: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for name in services.SENSITIVE_FIELDS:
        value = getattr(customer, name)
        if not value:
            continue
        label = Customer._meta.get_field(name).verbose_name
        if name == "identity_code":
            label = _("Unified social credit code") if customer.identity_type == "uscc" else _("Resident ID number")
        public = name == "identity_code" and customer.identity_type == "uscc"
        shown = value if public or name in revealed else services.masked(customer, name)
        rows.append(
            {"field": name, "label": label, "value": shown, "masked": not public and name not in revealed, "revealed": name in revealed}
        )
    return rows


def _rendered_tabs(request: HttpRequest, customer: Customer) -> list[dict[str, Any]]:
    """Each tab's template rendered with its own context keys (and as `tab`)."""
    rendered = []
    for tab in tabs_for(customer, request.user):
        context = {**tab, "tab": tab, "customer": customer}
        rendered.append({**tab, "html": render_to_string(tab["template"], context, request=request)})
    return rendered


def _detail(request: HttpRequest, customer: Customer, *, revealed: dict[str, str] | None = None) -> HttpResponse:
    user = request.user
    industry = industry_get(customer.industry_code) if customer.industry_code else None
    context = {
        "customer": customer,
        "is_organisation": customer.is_organisation,
        "industry": industry,
        "region": region_label(customer.region_code) if customer.region_code else "",
        "identity_rows": _identity_rows(customer, revealed or {}),
        "can_manage": user.can(MANAGE) and customer.is_active,  # type: ignore[union-attr]
        "can_unmask": user.can(SENSITIVE),  # type: ignore[union-attr]
        "tabs": _rendered_tabs(request, customer),
        "timeline": customer_history(customer),
        "exposure": {"count": 0, "balance": Decimal("0.00")},
        "unmask_form": UnmaskForm(),
    }
    response = render(request, "customers/customer_360.html", context)
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


@require_permission(VIEW)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, customer_get_for(request.user, pk, request))


@never_cache
@require_POST
@require_permission(SENSITIVE)
def customer_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """Reveal one personal number once, for a stated reason (SECURITY D.44); not kept in the page URL.
    The password must have been entered within the last 5 minutes (step-up, SECURITY A.18)."""
    customer = customer_get_for(request.user, pk, request)
    if not stepup.is_recent(request):
        return stepup.challenge(request)
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for viewing the full number."))
        return redirect("customers:customer-detail", pk=customer.pk)
    try:
        value = services.customer_unmask(
            actor=request.user, customer=customer, field=form.cleaned_data["field"], reason=form.cleaned_data["reason"], request=request
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("customers:customer-detail", pk=customer.pk)
    return _detail(request, customer, revealed={form.cleaned_data["field"]: value})
