"""Product writes: create, open/save a draft version, publish it, suspend / resume / retire.

Every entry service checks `products.product.manage`, validates before writing, runs in one
transaction with the product row locked, and writes one audit event. Published versions are never
changed: editing opens a new draft copied from the newest version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from danbao.core.errors import DomainError
from danbao.core.events import security_event
from danbao.customers.models.customer import CustomerKind
from danbao.customers.reference import industry_get, region_get
from danbao.products import errors, lifecycle
from danbao.products.calculations import PolicyCaps, policy_findings, terms_problems
from danbao.products.models import ApprovalBand, Product, ProductMaterial, ProductStatus, ProductVersion, VersionStatus
from danbao.regulatory.categories import GuaranteeClass, LoanKind
from danbao.system.selectors import dict_choices, param_value
from danbao.workflow.models import FlowDefinition

MANAGE = "products.product.manage"
# The flow type the project app registers for project approval; bands point at its definitions.
APPROVAL_FLOW_TYPE = "project.approval"
POLICY_THRESHOLD = Decimal("5000000")
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

TERM_FIELDS = (
    "change_note",
    "business_type",
    "guarantee_class",
    "loan_kind",
    "is_policy",
    "customer_kinds",
    "amount_min",
    "amount_max",
    "term_min_months",
    "term_max_months",
    "industries",
    "regions",
    "fee_rate_min",
    "fee_rate_max",
    "fee_rate_default",
    "fee_basis",
    "review_fee_amount",
    "margin_ratio",
    "bank_share",
    "reguarantor_share",
    "fund_share",
    "gov_pool_share",
    "monitoring_days",
    "effective_from",
    "effective_to",
)


@dataclass(frozen=True)
class MaterialItem:
    customer_kind: str
    name: str
    required: bool = True


@dataclass(frozen=True)
class Band:
    amount_max: Decimal | None
    flow: FlowDefinition


def _check(actor: Any, code: str = MANAGE) -> None:
    """`actor=None` is a system task (seed_demo); a person needs the permission."""
    if actor is not None and not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def _optional_param(code: str, on: date) -> Any:
    try:
        return param_value(code, on)
    except DomainError:
        return None


def policy_caps(on: date) -> PolicyCaps:
    """The policy caps in force on `on`, read from the dated system parameters."""
    rng = _optional_param("nongdan_policy_range", on)
    single = _optional_param("gov_focus_single_max", on)
    nd_max = _optional_param("nongdan_single_max", on)
    return PolicyCaps(
        threshold=POLICY_THRESHOLD,
        fee_cap_le=Decimal(param_value("gov_fee_cap_le_5m", on)),
        fee_cap_gt=Decimal(param_value("gov_fee_cap_gt_5m", on)),
        gov_single_max=Decimal(single) if single is not None else None,
        nongdan_range=(Decimal(rng[0]), Decimal(rng[1])) if rng else None,
        nongdan_single_max=Decimal(nd_max) if nd_max is not None else None,
        nongdan_fee_cap=_optional_param("nongdan_fee_cap", on),
    )


def _validate_terms(version: ProductVersion) -> None:
    if version.business_type not in {c for c, _l in version._meta.get_field("business_type").choices}:
        raise errors.INVALID.error(message=str(version._meta.get_field("business_type").verbose_name), field="business_type")
    if version.guarantee_class not in GuaranteeClass.values:
        raise errors.INVALID.error(message=str(version._meta.get_field("guarantee_class").verbose_name), field="guarantee_class")
    if version.loan_kind not in LoanKind.values:
        raise errors.INVALID.error(message=str(version._meta.get_field("loan_kind").verbose_name), field="loan_kind")
    unknown = [k for k in version.customer_kinds if k not in CustomerKind.values]
    if unknown or not version.customer_kinds:
        raise errors.INVALID.error(message=gettext("Choose at least one valid customer kind."), field="customer_kinds")
    bad = [c for c in version.industries if industry_get(c) is None]
    if bad:
        raise errors.INVALID.error(message=gettext("Unknown industry code %(value)s.") % {"value": bad[0]}, field="industries")
    bad = [c for c in version.regions if region_get(c) is None]
    if bad:
        raise errors.INVALID.error(message=gettext("Unknown region code %(value)s.") % {"value": bad[0]}, field="regions")
    classes = {c for c, _l in dict_choices("risk_class")} or {"01", "02", "03", "04", "05"}
    for key, days in (version.monitoring_days or {}).items():
        if key not in classes or not isinstance(days, int) or days < 1:
            raise errors.INVALID.error(
                message=gettext("Monitoring intervals are whole days (1 or more) per risk class."), field="monitoring_days"
            )
    problems = terms_problems(version)
    if problems:
        raise errors.INVALID.error(message=problems[0])


def _apply_terms(version: ProductVersion, terms: dict[str, Any]) -> None:
    for name, value in terms.items():
        if name not in TERM_FIELDS:
            raise errors.INVALID.error(message=gettext("Unknown field %(value)s.") % {"value": name})
        setattr(version, name, value)
    version.customer_kinds = sorted(set(version.customer_kinds or []))
    version.industries = sorted(set(version.industries or []))
    version.regions = sorted(set(version.regions or []))
    version.monitoring_days = {str(k): v for k, v in sorted((version.monitoring_days or {}).items())}


def _set_children(version: ProductVersion, materials: list[MaterialItem] | None, bands: list[Band] | None) -> None:
    if materials is not None:
        for item in materials:
            if item.customer_kind not in version.customer_kinds or not item.name.strip():
                raise errors.INVALID.error(
                    message=gettext("Materials must name an item for one of the product's customer kinds."), field="materials"
                )
        version.materials.all().delete()
        ProductMaterial.objects.bulk_create(
            ProductMaterial(version=version, customer_kind=m.customer_kind, name=m.name.strip()[:200], required=m.required, sort_order=i)
            for i, m in enumerate(materials)
        )
    if bands is not None:
        limits = [b.amount_max for b in bands]
        open_ended = [x for x in limits if x is None]
        bounded = [x for x in limits if x is not None]
        if len(open_ended) > 1 or len(set(bounded)) != len(bounded) or any(x <= 0 for x in bounded):
            raise errors.INVALID.error(
                message=gettext("Approval bands need distinct upper limits above zero and at most one open band."), field="bands"
            )
        for band in bands:
            if band.flow.flow_type != APPROVAL_FLOW_TYPE or not band.flow.is_active:
                raise errors.FLOW_INVALID.error(flow=band.flow.name, flow_type=APPROVAL_FLOW_TYPE, field="bands")
        version.bands.all().delete()
        ApprovalBand.objects.bulk_create(ApprovalBand(version=version, amount_max=b.amount_max, flow=b.flow) for b in bands)


def _snapshot(version: ProductVersion) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in TERM_FIELDS:
        value = getattr(version, name)
        data[name] = str(value) if isinstance(value, (Decimal, date)) else value
    return data


@transaction.atomic
def product_create(
    *,
    actor: Any,
    code: str,
    name: str,
    terms: dict[str, Any],
    materials: list[MaterialItem] | None = None,
    bands: list[Band] | None = None,
) -> Product:
    """A new product in draft with version 1 as its draft (nothing is sellable until published)."""
    _check(actor)
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not CODE_RE.match(code):
        raise errors.CODE_REQUIRED.error(field="code")
    if not name:
        raise errors.NAME_REQUIRED.error(field="name")
    if Product.objects.filter(code=code).exists():
        raise errors.CODE_TAKEN.error(value=code, field="code")
    product = Product(code=code, name=name[:100], created_by=actor)
    version = ProductVersion(product=product, number=1, created_by=actor)
    _apply_terms(version, terms)
    _validate_terms(version)
    product._history_user = actor  # type: ignore[attr-defined]
    product.save()
    version.product = product
    version._history_user = actor  # type: ignore[attr-defined]
    version.save()
    _set_children(version, materials or [], bands or [])
    security_event("product.created", actor=actor, object_type="products.Product", object_id=product.pk, data={"code": code, "name": name})
    return product


def _locked_product(product: Product) -> Product:
    return Product.objects.select_for_update().get(pk=product.pk)


@transaction.atomic
def product_draft_open(*, actor: Any, product: Product) -> ProductVersion:
    """The product's draft version; when there is none, a copy of the newest version (idempotent)."""
    _check(actor)
    current = _locked_product(product)
    if current.status == ProductStatus.RETIRED:
        raise errors.RETIRED.error()
    draft = current.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return draft
    newest = current.versions.order_by("-number").first()
    assert newest is not None  # a product is created with version 1
    materials = list(newest.materials.all())
    bands = list(newest.bands.all())
    copy = ProductVersion(product=current, number=newest.number + 1, created_by=actor, change_note="")
    for name in TERM_FIELDS:
        if name != "change_note":
            setattr(copy, name, getattr(newest, name))
    copy._history_user = actor  # type: ignore[attr-defined]
    copy.save()
    ProductMaterial.objects.bulk_create(
        ProductMaterial(version=copy, customer_kind=m.customer_kind, name=m.name, required=m.required, sort_order=m.sort_order)
        for m in materials
    )
    ApprovalBand.objects.bulk_create(ApprovalBand(version=copy, amount_max=b.amount_max, flow_id=b.flow_id) for b in bands)
    security_event(
        "product.draft_opened",
        actor=actor,
        object_type="products.Product",
        object_id=current.pk,
        data={"number": copy.number, "from": newest.number},
    )
    return copy


@transaction.atomic
def product_draft_save(
    *,
    actor: Any,
    version: ProductVersion,
    name: str | None = None,
    terms: dict[str, Any],
    materials: list[MaterialItem] | None = None,
    bands: list[Band] | None = None,
) -> ProductVersion:
    """Change a draft version's terms (and the product's name); a published version is refused."""
    _check(actor)
    product = _locked_product(version.product)
    if product.status == ProductStatus.RETIRED:
        raise errors.RETIRED.error()
    current = ProductVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != VersionStatus.DRAFT:
        raise errors.NOT_DRAFT.error(number=current.number)
    before = _snapshot(current)
    _apply_terms(current, terms)
    _validate_terms(current)
    if name is not None:
        name = name.strip()
        if not name:
            raise errors.NAME_REQUIRED.error(field="name")
        if name != product.name:
            product.name = name[:100]
            product._history_user = actor  # type: ignore[attr-defined]
            product.save(update_fields=["name", "updated_at"])
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    _set_children(current, materials, bands)
    after = _snapshot(current)
    changed = sorted(k for k in after if after[k] != before[k])
    security_event(
        "product.draft_saved",
        actor=actor,
        object_type="products.Product",
        object_id=product.pk,
        data={
            "number": current.number,
            "fields": changed,
            "before": {k: before[k] for k in changed},
            "after": {k: after[k] for k in changed},
        },
    )
    return current


@transaction.atomic
def product_version_publish(*, actor: Any, version: ProductVersion) -> tuple[ProductVersion, list[str]]:
    """Publish a draft: it becomes immutable and the product active. Returns the version and warnings.

    Policy caps in force on the version's start date are checked: a fee above a legal cap or an
    amount above the 农担 single maximum is refused; softer findings come back as warnings."""
    _check(actor)
    product = _locked_product(version.product)
    if product.status == ProductStatus.RETIRED:
        raise errors.RETIRED.error()
    current = ProductVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != VersionStatus.DRAFT:
        raise errors.NOT_DRAFT.error(number=current.number)
    _validate_terms(current)
    refusals, warnings = policy_findings(current, policy_caps(current.effective_from))
    if refusals:
        raise errors.POLICY_CAP.error(message=refusals[0])
    # The row is still a draft in the database, so this one save may set it published (ProductVersion.save).
    current.status = VersionStatus.PUBLISHED
    current.published_at, current.published_by = timezone.now(), actor
    current._history_user = actor  # type: ignore[attr-defined]
    current.save(update_fields=["status", "published_at", "published_by"])
    if product.status == ProductStatus.DRAFT:
        _move(product, ProductStatus.ACTIVE, actor, "")
    security_event(
        "product.version_published",
        actor=actor,
        object_type="products.Product",
        object_id=product.pk,
        data={"number": current.number, "effective_from": str(current.effective_from), "warnings": warnings},
    )
    return current, warnings


def _move(product: Product, target: str, actor: Any, reason: str) -> None:
    move = lifecycle.move_for(product.status, target)
    if move is None:
        raise errors.TRANSITION.error(source=product.get_status_display(), target=ProductStatus(target).label)
    _check(actor, move.permission)
    if move.needs_reason and not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    before = product.status
    product.status = target
    product.status_reason = reason[:500]
    product._history_user = actor  # type: ignore[attr-defined]
    product.save(update_fields=["status", "status_reason", "updated_at"])
    security_event(
        "product.status_changed",
        actor=actor,
        object_type="products.Product",
        object_id=product.pk,
        reason=reason[:255],
        data={"before": before, "after": target},
    )


@transaction.atomic
def product_transition(*, actor: Any, product: Product, target: str, reason: str) -> Product:
    """Suspend, resume or retire a product (the lifecycle table decides what is allowed)."""
    _check(actor)
    current = _locked_product(product)
    if target == ProductStatus.ACTIVE and not current.versions.filter(status=VersionStatus.PUBLISHED).exists():
        raise errors.TRANSITION.error(source=current.get_status_display(), target=ProductStatus(target).label)
    _move(current, target, actor, (reason or "").strip())
    return current
