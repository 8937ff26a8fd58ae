"""Customer writes: create, update (optimistic locking), close, size-class override, unmask.

Every entry service checks the permission and the business rules itself, writes the row, one audit
event with masked values, and runs the after-save hooks (screening) in the same transaction.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from danbao.core.crypto import blind_index
from danbao.core.events import security_event
from danbao.customers import errors
from danbao.customers.hooks import run_after_saved
from danbao.customers.identity import IdentityCheck, check_ric, check_uscc, mask_mobile, mask_ric, mask_uscc
from danbao.customers.models.customer import (
    ORGANISATION_KINDS,
    Customer,
    CustomerKind,
    CustomerStatus,
    IdentityType,
    SizeClass,
)
from danbao.customers.pinyin import initials
from danbao.customers.reference import industry_get, region_get
from danbao.customers.sizing import compute_size_class
from danbao.org.scope import scope_for

MANAGE = "customers.customer.manage"
SENSITIVE = "customers.sensitive.view"
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")

COMMON_FIELDS = (
    "name",
    "identity_code",
    "department",
    "manager",
    "b_manager",
    "industry_code",
    "region_code",
    "mobile",
    "email",
    "contact_address",
)
ORGANISATION_FIELDS = (
    "legal_rep_name",
    "legal_rep_id",
    "registered_capital",
    "established_on",
    "registered_address",
    "operating_address",
    "business_scope",
    "employees",
    "annual_revenue",
    "total_assets",
)
PERSON_FIELDS = ("spouse_name", "spouse_id", "household_address")
# Personal data shown masked unless unmasked with a reason (SECURITY D.44).
SENSITIVE_FIELDS = ("identity_code", "mobile", "legal_rep_id", "spouse_id")
AUDITED_FIELDS = (
    "kind",
    *COMMON_FIELDS,
    *ORGANISATION_FIELDS,
    *PERSON_FIELDS,
    "gender",
    "birth_date",
    "size_class",
    "size_class_override",
    "status",
)


def fields_for_kind(kind: str) -> tuple[str, ...]:
    """The editable fields of a customer kind (the form shows only these)."""
    if kind in ORGANISATION_KINDS:
        return COMMON_FIELDS + ORGANISATION_FIELDS
    return COMMON_FIELDS + PERSON_FIELDS


def identity_type_for(kind: str) -> str:
    return IdentityType.USCC if kind in ORGANISATION_KINDS else IdentityType.RIC


def mask_value(field: str, value: Any, identity_type: str = "") -> str:
    """Masked display of a sensitive field (credit codes, ID numbers, mobiles)."""
    if not value:
        return ""
    if field == "mobile":
        return mask_mobile(value)
    if field == "identity_code" and identity_type == IdentityType.USCC:
        return mask_uscc(value)
    return mask_ric(value)


def masked(customer: Customer, field: str) -> str:
    return mask_value(field, getattr(customer, field), customer.identity_type)


def _check(actor: Any, code: str) -> None:
    """`actor=None` is a system task (seed_demo); a person needs the permission."""
    if actor is not None and not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def _in_scope(actor: Any, customer: Customer) -> bool:
    if actor is None:
        return True
    scope = scope_for(actor)
    if scope.all or customer.department_id in scope.department_ids:
        return True
    return scope.own and actor.pk in (customer.manager_id, customer.b_manager_id)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, (Decimal, date)):
        return str(value)
    return getattr(value, "pk", str(value))


def snapshot(customer: Customer) -> dict[str, Any]:
    """Audited values with personal numbers masked (audit data must not leak them)."""
    data: dict[str, Any] = {}
    for name in AUDITED_FIELDS:
        attr = name + "_id" if name in ("department", "manager", "b_manager") else name
        value = _plain(getattr(customer, attr))
        data[name] = mask_value(name, value, customer.identity_type) if name in SENSITIVE_FIELDS else value
    return data


def _check_identity(kind: str, code: str) -> IdentityCheck:
    check = check_uscc(code) if identity_type_for(kind) == IdentityType.USCC else check_ric(code)
    if not check.valid:
        raise errors.IDENTITY_INVALID.error(errors="；".join(check.errors), field="identity_code")
    return check


def _validate(customer: Customer, warnings: list[str]) -> None:
    """Business rules common to create and update; sets the derived fields."""
    customer.name = (customer.name or "").strip()
    if not customer.name:
        raise errors.NAME_REQUIRED.error(field="name")
    if not customer.department_id or not customer.manager_id:
        raise errors.MANAGER_REQUIRED.error(field="manager")
    check = _check_identity(customer.kind, customer.identity_code)
    customer.identity_code = check.normalized
    customer.identity_type = identity_type_for(customer.kind)
    warnings.extend(check.warnings)
    customer.name_initials = initials(customer.name)[:200]
    if customer.industry_code and industry_get(customer.industry_code) is None:
        raise errors.INDUSTRY_UNKNOWN.error(value=customer.industry_code, field="industry_code")
    if customer.region_code and region_get(customer.region_code) is None:
        raise errors.REGION_UNKNOWN.error(value=customer.region_code, field="region_code")
    customer.mobile = "".join((customer.mobile or "").split())
    if customer.mobile and not MOBILE_RE.match(customer.mobile):
        raise errors.MOBILE_INVALID.error(field="mobile")
    for field, label in (("legal_rep_id", "legal_rep_id"), ("spouse_id", "spouse_id")):
        value = getattr(customer, field)
        if value:
            person = check_ric(value)
            if not person.valid:
                verbose = Customer._meta.get_field(label).verbose_name
                raise errors.PERSON_ID_INVALID.error(label=verbose, errors="；".join(person.errors), field=field)
            setattr(customer, field, person.normalized)
    if customer.kind in ORGANISATION_KINDS:
        customer.gender = ""
        customer.birth_date = None
        result = compute_size_class(
            industry_code=customer.industry_code,
            employees=customer.employees,
            revenue=customer.annual_revenue,
            total_assets=customer.total_assets,
        )
        customer.size_class = result.size_class or ""
        customer.size_rule = (result.rule or "")[:500]
    else:
        customer.gender = check.info.get("gender", "")
        customer.birth_date = check.info.get("birth_date")
        customer.size_class = ""
        customer.size_rule = ""
        customer.size_class_override = ""


def _apply(customer: Customer, changes: dict[str, Any]) -> None:
    allowed = set(fields_for_kind(customer.kind))
    for name, value in changes.items():
        if name not in allowed:
            raise errors.FIELD_NOT_ALLOWED.error(field=name)
        if value is None and name not in (
            "b_manager",
            "registered_capital",
            "established_on",
            "employees",
            "annual_revenue",
            "total_assets",
        ):
            value = ""
        setattr(customer, name, value)


def _save(customer: Customer, **kwargs: Any) -> None:
    if customer.updated_by is not None:
        customer._history_user = customer.updated_by  # type: ignore[attr-defined]
    customer.save(**kwargs)


def _save_unique(customer: Customer, **kwargs: Any) -> None:
    """Save; the unique constraint on the code turns a concurrent duplicate into a clear refusal."""
    try:
        with transaction.atomic():
            _save(customer, **kwargs)
    except IntegrityError:
        other = Customer.objects.filter(identity_index=blind_index(customer.identity_code)).exclude(pk=customer.pk).first()
        if other is None:
            raise
        raise errors.DUPLICATE.error(name=other.name, field="identity_code") from None


def _refuse_duplicate(customer: Customer) -> None:
    other = Customer.objects.filter(identity_index=blind_index(customer.identity_code)).exclude(pk=customer.pk).first()
    if other is not None:
        raise errors.DUPLICATE.error(name=other.name, field="identity_code")


@transaction.atomic
def customer_create(*, actor: Any, kind: str, **fields: Any) -> Customer:
    """Create a customer of `kind`. Returns it with `warnings` (identity warnings, saved anyway)."""
    _check(actor, MANAGE)
    if kind not in CustomerKind.values:
        raise errors.KIND_INVALID.error(field="kind")
    customer = Customer(kind=kind, created_by=actor, updated_by=actor)
    _apply(customer, fields)
    warnings: list[str] = []
    _validate(customer, warnings)
    if not _in_scope(actor, customer):
        raise errors.PERMISSION_DENIED.error()
    _refuse_duplicate(customer)
    _save_unique(customer)
    security_event(
        "customer.created",
        actor=actor,
        object_type="customers.Customer",
        object_id=customer.pk,
        data={"kind": kind, "after": snapshot(customer), "warnings": warnings},
    )
    run_after_saved(customer, actor)
    customer.warnings = warnings  # type: ignore[attr-defined]
    return customer


def _locked(customer: Customer, expected_version: int | None) -> Customer:
    current = Customer.objects.select_for_update().get(pk=customer.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise errors.STALE.error()
    return current


@transaction.atomic
def customer_update(*, actor: Any, customer: Customer, expected_version: int | None, **changes: Any) -> Customer:
    """Change a customer's profile. `expected_version` is the version the user's form was built from;
    if someone saved in between, nothing is written and the user is asked to reload (SECURITY G.67)."""
    _check(actor, MANAGE)
    current = _locked(customer, expected_version)
    if current.status != CustomerStatus.ACTIVE:
        raise errors.CLOSED.error()
    before = snapshot(current)
    _apply(current, changes)
    warnings: list[str] = []
    _validate(current, warnings)
    if not _in_scope(actor, current):
        raise errors.PERMISSION_DENIED.error()
    _refuse_duplicate(current)
    after = snapshot(current)
    changed = sorted(k for k in after if after[k] != before[k])
    if changed:
        current.version += 1
        current.updated_by = actor
        _save_unique(current)
        security_event(
            "customer.updated",
            actor=actor,
            object_type="customers.Customer",
            object_id=current.pk,
            data={
                "fields": changed,
                "before": {k: before[k] for k in changed},
                "after": {k: after[k] for k in changed},
                "warnings": warnings,
            },
        )
        run_after_saved(current, actor)
    current.warnings = warnings  # type: ignore[attr-defined]
    return current


@transaction.atomic
def customer_close(*, actor: Any, customer: Customer, reason: str, expected_version: int | None = None) -> Customer:
    """Close a customer (never deleted): no further changes; history and documents stay."""
    _check(actor, MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    current = _locked(customer, expected_version)
    if current.status == CustomerStatus.CLOSED:
        raise errors.ALREADY_CLOSED.error()
    current.status = CustomerStatus.CLOSED
    current.closed_reason = reason[:500]
    current.closed_at = timezone.now()
    current.version += 1
    current.updated_by = actor
    _save(current)
    security_event(
        "customer.closed",
        actor=actor,
        object_type="customers.Customer",
        object_id=current.pk,
        reason=reason[:255],
        data={"name": current.name},
    )
    return current


@transaction.atomic
def customer_size_override(
    *, actor: Any, customer: Customer, size_class: str, reason: str, expected_version: int | None = None
) -> Customer:
    """Set (or clear with "") a manual size class; a reason is required and the change is audited."""
    _check(actor, MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    if size_class and size_class not in SizeClass.values:
        raise errors.SIZE_INVALID.error(field="size_class")
    current = _locked(customer, expected_version)
    if current.status != CustomerStatus.ACTIVE:
        raise errors.CLOSED.error()
    if current.kind not in ORGANISATION_KINDS:
        raise errors.SIZE_NOT_APPLICABLE.error()
    before = current.size_class_override
    current.size_class_override = size_class
    current.size_override_reason = reason[:500] if size_class else ""
    current.size_override_by = actor if size_class else None
    current.size_override_at = timezone.now() if size_class else None
    current.version += 1
    current.updated_by = actor
    _save(current)
    security_event(
        "customer.size_overridden",
        actor=actor,
        object_type="customers.Customer",
        object_id=current.pk,
        reason=reason[:255],
        data={"computed": current.size_class, "before": before, "after": size_class},
    )
    return current


def customer_unmask(*, actor: Any, customer: Customer, field: str, reason: str, request: Any = None) -> str:
    """The full value of one personal-data field, for a stated reason; every reveal is logged."""
    if field not in SENSITIVE_FIELDS:
        raise errors.FIELD_NOT_ALLOWED.error(field=field)
    _check(actor, SENSITIVE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    with transaction.atomic():
        security_event(
            "sensitive.unmasked",
            request=request,
            actor=actor,
            object_type="customers.Customer",
            object_id=customer.pk,
            reason=reason[:255],
            data={"field": field},
        )
    return str(getattr(customer, field) or "")
