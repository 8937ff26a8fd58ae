"""Product pages: catalogue (filters, export), detail with versions and diff, create, draft edit,
publish, suspend / resume / retire."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import OuterRef, QuerySet, Subquery
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
from danbao.products import lifecycle, selectors, services
from danbao.products.calculations import percent
from danbao.products.forms import STATUS_ACTIONS, ProductForm, ReasonForm, initial_for
from danbao.products.models import BusinessType, Product, ProductStatus, ProductVersion, VersionStatus
from danbao.regulatory.categories import GuaranteeClass

VIEW = "products.product.view"
MANAGE = "products.product.manage"


def _link(product: Product) -> str:
    return reverse("products:product-detail", args=[product.pk])


def _row_actions(obj: Product, user: Any) -> list[tuple[str, str]]:
    return [(_("Open"), _link(obj))]


PRODUCT_LIST = ListSpec(
    name="products",
    columns=[
        Column("code", gettext_lazy("Product code"), sort_field="code"),
        Column("name", gettext_lazy("Product name"), sort_field="name", link=_link),
        Column(
            "cur_business_type",
            gettext_lazy("Business type"),
            sort_field="cur_business_type",
            display=lambda p: BusinessType(p.cur_business_type).label if p.cur_business_type else "",
        ),
        Column(
            "cur_class",
            gettext_lazy("Regulatory category"),
            display=lambda p: GuaranteeClass(p.cur_class).label if p.cur_class else "",
            default=False,
        ),
        Column("cur_policy", gettext_lazy("Policy business"), sort_field="cur_policy"),
        Column("cur_amount_max", gettext_lazy("Maximum amount (yuan)"), sort_field="cur_amount_max", kind="amount"),
        Column("cur_fee", gettext_lazy("Default fee rate"), display=lambda p: percent(p.cur_fee)),
        Column("cur_number", gettext_lazy("Published version"), sort_field="cur_number"),
        Column("status", gettext_lazy("Status"), sort_field="status", display=lambda p: p.get_status_display()),
        Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime"),
    ],
    filters=[
        Filter("type", gettext_lazy("Business type"), "cur_business_type", BusinessType.choices),
        Filter("class", gettext_lazy("Regulatory category"), "cur_class", GuaranteeClass.choices),
        Filter("policy", gettext_lazy("Policy business"), "cur_policy", [("True", gettext_lazy("Yes")), ("False", gettext_lazy("No"))]),
        Filter("status", gettext_lazy("Status"), "status", ProductStatus.choices),
    ],
    search_fields=["code", "name"],
    search_placeholder=gettext_lazy("Code or name"),
    default_sort="code",
    export_name=gettext_lazy("Products"),
    export_permission="products.product.export",
    row_actions=_row_actions,
)


def _listed(user: Any) -> QuerySet[Product]:
    newest = ProductVersion.objects.filter(product=OuterRef("pk"), status=VersionStatus.PUBLISHED).order_by("-number")
    return selectors.product_list_for(user).annotate(
        cur_business_type=Subquery(newest.values("business_type")[:1]),
        cur_class=Subquery(newest.values("guarantee_class")[:1]),
        cur_policy=Subquery(newest.values("is_policy")[:1]),
        cur_amount_max=Subquery(newest.values("amount_max")[:1]),
        cur_fee=Subquery(newest.values("fee_rate_default")[:1]),
        cur_number=Subquery(newest.values("number")[:1]),
    )


@require_permission(VIEW)
def product_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, PRODUCT_LIST, _listed(request.user), "products/product_list.html")


def _apply_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@require_permission(MANAGE)
def product_create(request: HttpRequest) -> HttpResponse:
    initial = {"effective_from": timezone.localdate(), "fee_basis": "annual", "review_fee_amount": 0, "margin_ratio": 0}
    for name in ("bank_share", "reguarantor_share", "fund_share", "gov_pool_share"):
        initial[name] = 0
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                terms=form.terms(),
                materials=form.materials(),
                bands=form.bands(),
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, _("Product %(name)s created as a draft; publish version 1 to make it available.") % {"name": product.name}
            )
            return redirect("products:product-detail", pk=product.pk)
    return render(request, "products/product_form.html", {"form": form, "product": None, "version": None})


@require_permission(VIEW)
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for(request.user, pk)
    versions = selectors.versions_of(product)
    today = timezone.localdate()
    current = selectors.product_version_current(product, today)
    shown = current or (versions[0] if versions else None)
    if request.GET.get("v"):
        shown = selectors.version_get_for(request.user, product, request.GET["v"])
    diff = None
    a, b = request.GET.get("a"), request.GET.get("b")
    if a and b:
        old = selectors.version_get_for(request.user, product, a)
        new = selectors.version_get_for(request.user, product, b)
        diff = {"old": old, "new": new, "rows": selectors.version_diff(old, new)}
    elif len(versions) >= 2:
        a, b = str(versions[1].number), str(versions[0].number)
    user = request.user
    context = {
        "product": product,
        "versions": versions,
        "current": current,
        "shown": shown,
        "terms": selectors.version_terms(shown) if shown else [],
        "materials": selectors.materials_by_kind(shown) if shown else [],
        "bands": selectors.bands_of(shown) if shown else [],
        "monitoring": selectors.monitoring_rows(shown) if shown else [],
        "diff": diff,
        "diff_a": a,
        "diff_b": b,
        "draft": selectors.product_draft_of(product),
        "can_manage": user.can(MANAGE),  # type: ignore[union-attr]
        # Publishing (not "resume") is what makes a draft product active.
        "status_actions": [
            (key, label)
            for key, (target, label) in STATUS_ACTIONS.items()
            if target in lifecycle.targets_from(product.status) and not (key == "resume" and product.status == ProductStatus.DRAFT)
        ],
    }
    return render(request, "products/product_detail.html", context)


@require_POST
@require_permission(MANAGE)
def product_draft_open(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for(request.user, pk)
    try:
        services.product_draft_open(actor=request.user, product=product)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("products:product-detail", pk=product.pk)
    return redirect("products:product-draft", pk=product.pk)


@require_permission(MANAGE)
def product_draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for(request.user, pk)
    draft = selectors.product_draft_of(product)
    if draft is None:
        messages.info(request, _("There is no draft; choose “Edit” to start a new version."))
        return redirect("products:product-detail", pk=product.pk)
    form = ProductForm(request.POST or None, editing=True, initial=initial_for(draft))
    if request.method == "POST" and form.is_valid():
        try:
            services.product_draft_save(
                actor=request.user,
                version=draft,
                name=form.cleaned_data["name"],
                terms=form.terms(),
                materials=form.materials(),
                bands=form.bands(),
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Draft version %(number)s saved.") % {"number": draft.number})
            return redirect(reverse("products:product-detail", args=[product.pk]) + f"?v={draft.number}")
    return render(request, "products/product_form.html", {"form": form, "product": product, "version": draft})


@require_POST
@require_permission(MANAGE)
def product_publish(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    product = selectors.product_get_for(request.user, pk)
    version = selectors.version_get_for(request.user, product, number)
    try:
        _published, warnings = services.product_version_publish(actor=request.user, version=version)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("products:product-detail", args=[product.pk]) + f"?v={version.number}")
    messages.success(request, _("Version %(number)s published.") % {"number": version.number})
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("products:product-detail", pk=product.pk)


@require_permission(MANAGE)
def product_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    product = selectors.product_get_for(request.user, pk)
    if action not in STATUS_ACTIONS:
        return redirect("products:product-detail", pk=product.pk)
    target, label = STATUS_ACTIONS[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_transition(actor=request.user, product=product, target=target, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, _("Product %(name)s is now %(status)s.") % {"name": product.name, "status": ProductStatus(target).label}
            )
            return redirect("products:product-detail", pk=product.pk)
    return render(request, "products/product_status.html", {"form": form, "product": product, "label": label, "action": action})
