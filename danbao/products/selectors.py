"""Product reads. The catalogue is institution-wide reference data: every holder of
`products.product.view` sees every product (no department scope); a missing id is a 404."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from danbao.customers.models.customer import CustomerKind
from danbao.customers.reference import industry_get, region_get
from danbao.products.calculations import SHARE_FIELDS, own_share, percent
from danbao.products.models import ApprovalBand, Product, ProductMaterial, ProductStatus, ProductVersion, VersionStatus
from danbao.system.selectors import dict_choices
from danbao.workflow.models import FlowDefinition


def product_list_for(user: Any) -> QuerySet[Product]:
    """All products (reference data); the view's permission gate decides who may list them."""
    return Product.objects.all()


def product_get_for(user: Any, pk: Any) -> Product:
    """One product or 404."""
    try:
        return Product.objects.select_related("created_by").get(pk=int(pk))
    except (Product.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def version_get_for(user: Any, product: Product, number: Any) -> ProductVersion:
    try:
        return product.versions.select_related("created_by", "published_by").get(number=int(number))
    except (ProductVersion.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def versions_of(product: Product) -> list[ProductVersion]:
    return list(product.versions.select_related("created_by", "published_by").order_by("-number"))


def product_version_current(product: Product, on: date | None = None) -> ProductVersion | None:
    """The newest published version in force on `on` (today when None); None when there is none.

    A product that is not active (draft, suspended, retired) still has versions; whether it may be
    sold is the `PRD_ACTIVE` rule's question, so callers see the status separately."""
    on = on or timezone.localdate()
    return (
        product.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-number")
        .first()
    )


def product_draft_of(product: Product) -> ProductVersion | None:
    return product.versions.filter(status=VersionStatus.DRAFT).first()


def approval_flow_for(version: ProductVersion, amount: Decimal) -> FlowDefinition | None:
    """The flow of the band that covers `amount` (bands are "up to and including"; empty = no limit)."""
    for band in version.bands.select_related("flow").all():
        if band.amount_max is None or amount <= band.amount_max:
            return band.flow
    return None


def bands_of(version: ProductVersion) -> list[dict[str, Any]]:
    """Bands with their lower bound (the previous band's upper bound, exclusive)."""
    rows: list[dict[str, Any]] = []
    lower: Decimal | None = None
    for band in version.bands.select_related("flow").all():
        rows.append({"above": lower, "up_to": band.amount_max, "flow": band.flow})
        lower = band.amount_max
    return rows


def materials_for(version: ProductVersion, customer_kind: str | None = None) -> list[ProductMaterial]:
    queryset = version.materials.all()
    if customer_kind:
        queryset = queryset.filter(customer_kind=customer_kind)
    return list(queryset)


def materials_by_kind(version: ProductVersion) -> list[dict[str, Any]]:
    grouped: dict[str, list[ProductMaterial]] = {}
    for item in version.materials.all():
        grouped.setdefault(item.customer_kind, []).append(item)
    return [{"kind": CustomerKind(k).label if k in CustomerKind.values else k, "items": v} for k, v in grouped.items()]


def monitoring_rows(version: ProductVersion) -> list[dict[str, Any]]:
    return [{"code": code, "label": label, "days": version.monitoring_days.get(code)} for code, label in dict_choices("risk_class")]


def active_products_on(on: date | None = None) -> list[tuple[Product, ProductVersion]]:
    """(product, current version) of every active product with a version in force on `on`."""
    out = []
    for product in Product.objects.filter(status=ProductStatus.ACTIVE).order_by("code"):
        version = product_version_current(product, on)
        if version is not None:
            out.append((product, version))
    return out


def flows_for_bands() -> QuerySet[FlowDefinition]:
    from danbao.products.services import APPROVAL_FLOW_TYPE

    return FlowDefinition.objects.filter(flow_type=APPROVAL_FLOW_TYPE, is_active=True).order_by("code")


# --- Display and diff ---------------------------------------------------------------------------


def _label_list(codes: list[str], lookup: Any) -> str:
    out = []
    for code in codes:
        found = lookup(code)
        out.append(found)
    return "、".join(out)


def _kind_label(code: str) -> str:
    return str(CustomerKind(code).label) if code in CustomerKind.values else code


def _industry_label(code: str) -> str:
    found = industry_get(code)
    return found.label if found else code


def _region_label(code: str) -> str:
    found = region_get(code)
    return found.full_name if found else code


def _money(value: Any) -> str:
    from danbao.core.money import format_amount

    return format_amount(value)


def version_terms(version: ProductVersion) -> list[tuple[str, str, str]]:
    """(field, label, display value) of every term, in the form's order; used by detail and diff."""
    from django.utils.translation import gettext as _

    f = version._meta.get_field
    classes = dict(dict_choices("risk_class"))
    monitoring = "；".join(f"{classes.get(k, k)} {v}天" for k, v in sorted(version.monitoring_days.items())) or "—"
    everything = _("All")
    rows = [
        ("business_type", f("business_type").verbose_name, version.get_business_type_display()),
        ("guarantee_class", f("guarantee_class").verbose_name, version.get_guarantee_class_display()),
        ("loan_kind", f("loan_kind").verbose_name, version.get_loan_kind_display()),
        ("is_policy", f("is_policy").verbose_name, _("Yes") if version.is_policy else _("No")),
        ("customer_kinds", f("customer_kinds").verbose_name, _label_list(version.customer_kinds, _kind_label)),
        ("amount_min", f("amount_min").verbose_name, _money(version.amount_min)),
        ("amount_max", f("amount_max").verbose_name, _money(version.amount_max)),
        ("term_min_months", f("term_min_months").verbose_name, str(version.term_min_months)),
        ("term_max_months", f("term_max_months").verbose_name, str(version.term_max_months)),
        ("industries", f("industries").verbose_name, _label_list(version.industries, _industry_label) or everything),
        ("regions", f("regions").verbose_name, _label_list(version.regions, _region_label) or everything),
        ("fee_rate_min", f("fee_rate_min").verbose_name, percent(version.fee_rate_min)),
        ("fee_rate_max", f("fee_rate_max").verbose_name, percent(version.fee_rate_max)),
        ("fee_rate_default", f("fee_rate_default").verbose_name, percent(version.fee_rate_default)),
        ("fee_basis", f("fee_basis").verbose_name, version.get_fee_basis_display()),
        ("review_fee_amount", f("review_fee_amount").verbose_name, _money(version.review_fee_amount)),
        ("margin_ratio", f("margin_ratio").verbose_name, percent(version.margin_ratio)),
    ]
    rows += [(name, f(name).verbose_name, percent(getattr(version, name))) for name in SHARE_FIELDS]
    rows += [
        ("own_share", _("Own risk share"), percent(own_share(version))),
        ("monitoring_days", f("monitoring_days").verbose_name, monitoring),
        ("effective_from", f("effective_from").verbose_name, version.effective_from.isoformat()),
        ("effective_to", f("effective_to").verbose_name, version.effective_to.isoformat() if version.effective_to else "—"),
        (
            "materials",
            _("Required materials"),
            "；".join(f"{_kind_label(m.customer_kind)}：{m.name}{'' if m.required else _(' (optional)')}" for m in version.materials.all())
            or "—",
        ),
        (
            "bands",
            _("Approval flows"),
            "；".join(
                f"≤{_money(b.amount_max)} → {b.flow.name}" if b.amount_max is not None else f"{_('above')} → {b.flow.name}"
                for b in version.bands.select_related("flow").all()
            )
            or "—",
        ),
    ]
    return [(name, str(label), value) for name, label, value in rows]


def version_diff(old: ProductVersion, new: ProductVersion) -> list[dict[str, str]]:
    """The terms that differ between two versions: label, old value, new value."""
    before = {name: value for name, _label, value in version_terms(old)}
    out = []
    for name, label, value in version_terms(new):
        if before.get(name) != value:
            out.append({"field": name, "label": label, "old": before.get(name, ""), "new": value})
    return out


def band_list(version: ProductVersion) -> list[ApprovalBand]:
    return list(version.bands.select_related("flow").all())
