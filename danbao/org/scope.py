"""Data scope: the one place that narrows a queryset to what a user may see (STYLE.md "Access").

Every selector that returns business rows calls `apply_scope`; `get_in_scope` raises 404 for a row
outside the scope exactly as for a missing one, and logs the attempt (SECURITY B.21, B.35).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from danbao.core.events import security_event
from danbao.org.models import DataScope, Department

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """What one user may see: everything, or rows of `department_ids` plus (optionally) their own rows."""

    all: bool
    department_ids: frozenset[int]
    own: bool


def descendant_ids(department: Department) -> set[int]:
    return set(Department.objects.filter(path__startswith=department.path).values_list("id", flat=True))


def scope_for(user: Any) -> Scope:
    """Union of the data scopes of the user's active business roles (cached on the user object)."""
    cached = getattr(user, "_danbao_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(False, frozenset(), False)
    dept_ids: set[int] = set()
    own = False
    everything = False
    for role in user.active_roles:
        if role.admin_kind or role.data_scope == DataScope.NONE:
            continue  # the three administrators never see business data
        own = True
        if role.data_scope == DataScope.ALL:
            everything = True
        elif role.data_scope == DataScope.DEPT_AND_BELOW and user.department_id:
            dept_ids |= descendant_ids(user.department)
        elif role.data_scope == DataScope.DEPT and user.department_id:
            dept_ids.add(user.department_id)
        elif role.data_scope == DataScope.CUSTOM:
            for dept in role.custom_departments.all():
                dept_ids |= descendant_ids(dept)
    scope = Scope(everything, frozenset(dept_ids), own)
    user._danbao_scope = scope
    return scope


def apply_scope(
    queryset: QuerySet[M],
    user: Any,
    *,
    department_field: str | None = "department",
    owner_fields: tuple[str, ...] = ("owner",),
) -> QuerySet[M]:
    """Rows of `queryset` the user may see. A row is visible if its department is in scope or
    the user is one of its owners (e.g. manager, A-role, B-role)."""
    scope = scope_for(user)
    if scope.all:
        return queryset
    condition = Q(pk__in=[])
    if department_field and scope.department_ids:
        condition |= Q(**{f"{department_field}__in": scope.department_ids})
    if scope.own:
        for owner in owner_fields:
            condition |= Q(**{owner: user})
    return queryset.filter(condition)


def get_in_scope(queryset: QuerySet[M], user: Any, request: Any = None, **lookup: Any) -> M:
    """One row in the user's scope, or 404 (same answer as a missing row); misses are logged."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        security_event(
            "access.not_found",
            request=request,
            actor=user,
            result="failure",
            reason="scope_or_missing",
            object_type=queryset.model._meta.label,
            object_id=str(next(iter(lookup.values()), "")),
        )
        raise Http404 from None
