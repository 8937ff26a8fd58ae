"""Reads of the organisation pages. Accounts, departments and roles are administration data, not
business data, so they are not narrowed by data scope; the pages themselves are permission-gated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.db.models import BooleanField, Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from danbao.org import permissions as p
from danbao.org.models import Department, Position, Role, SecurityPolicy, User


def department_tree() -> list[Department]:
    """All departments in tree order (path), each with `active_users` and `active_children` counts."""
    return list(
        Department.objects.select_related("parent")
        .annotate(
            active_users=Count("users", filter=Q(users__is_active=True), distinct=True),
            active_children=Count("children", filter=Q(children__is_active=True), distinct=True),
        )
        .order_by("path")
    )


def department_get(pk: int) -> Department:
    """One department or 404."""
    return get_object_or_404(Department.objects.select_related("parent"), pk=pk)


def department_choices(*, active_only: bool = True, exclude: Department | None = None) -> QuerySet[Department]:
    """Departments offered in pickers, tree-ordered; `exclude` drops a department and its subtree."""
    qs = Department.objects.order_by("path")
    if active_only:
        qs = qs.filter(is_active=True)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(path__startswith=exclude.path)
    return qs


def position_list() -> QuerySet[Position]:
    """Positions with the number of active holders."""
    return Position.objects.annotate(holders=Count("users", filter=Q(users__is_active=True), distinct=True)).order_by("code")


def position_get(pk: int) -> Position:
    return get_object_or_404(Position, pk=pk)


def _with_lock_state(queryset: QuerySet[User]) -> QuerySet[User]:
    """Annotate `is_locked`: recent failures reach the policy threshold (the rule of lockout.locked_until)."""
    policy = SecurityPolicy.current()
    since = timezone.now() - timedelta(minutes=policy.lockout_minutes)
    failures = (
        AccessAttempt.objects.filter(username=OuterRef("username"), attempt_time__gte=since)
        .order_by()
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return queryset.annotate(recent_failures=Coalesce(Subquery(failures), 0)).annotate(
        is_locked=Case(
            When(recent_failures__gte=policy.lockout_threshold, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def user_list() -> QuerySet[User]:
    """All accounts, with what the user list shows (department, roles, lock state) loaded up front."""
    return _with_lock_state(
        User.objects.select_related("department").prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("code")))
    )


def user_lock_state(user: User) -> tuple[bool, Any]:
    """(locked, until) for the account page: the login-security module's answer when it is present."""
    try:
        from danbao.org.lockout import is_locked  # type: ignore[attr-defined]
    except ImportError:
        locked = bool(_with_lock_state(User.objects.filter(pk=user.pk)).values_list("is_locked", flat=True).first())
        return locked, None
    until = is_locked(user)
    return bool(until), until if until is not True else None


def user_get(pk: int) -> User:
    """One account with its department, positions and roles, or 404."""
    return get_object_or_404(
        User.objects.select_related("department").prefetch_related("positions", Prefetch("roles", queryset=Role.objects.order_by("code"))),
        pk=pk,
    )


def role_list() -> QuerySet[Role]:
    """Roles with the number of active holders; administrator roles first."""
    return (
        Role.objects.annotate(holders=Count("users", filter=Q(users__is_active=True), distinct=True))
        .prefetch_related("custom_departments")
        .order_by("-admin_kind", "-is_builtin", "code")
    )


def role_get(pk: int) -> Role:
    return get_object_or_404(Role.objects.prefetch_related("custom_departments"), pk=pk)


def grantable_roles() -> QuerySet[Role]:
    """Roles the security administrator may grant: active business roles."""
    return Role.objects.filter(admin_kind="", is_active=True).order_by("code")


@dataclass(frozen=True)
class PermissionNode:
    key: str
    label: Any
    permissions: list[tuple[str, Any]]


def business_permission_groups() -> list[PermissionNode]:
    """The permission catalogue without the administrator-only groups, for the role form's tree."""
    return [PermissionNode(g.key, g.label, list(g.permissions)) for g in p.catalog if not g.admin_only]
