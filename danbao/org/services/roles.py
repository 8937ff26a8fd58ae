"""Business roles (system administrator) and role grants (security administrator), 三员分立 enforced here.

The three administrator roles are built in and read-only; they are assigned only by `bootstrap_admins`.
Role changes take effect on the user's next request (roles are read afresh per request).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction

from danbao.core.events import security_event
from danbao.org import errors
from danbao.org import permissions as p
from danbao.org.models import DataScope, Department, Role, User
from danbao.org.services.departments import _check

ROLE_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
BUSINESS_SCOPES = (DataScope.ALL, DataScope.DEPT_AND_BELOW, DataScope.DEPT, DataScope.SELF, DataScope.CUSTOM)


def _clean_permissions(codes: Iterable[str]) -> list[str]:
    """Known business codes only, in catalogue order; administrator codes are refused (三员分立)."""
    wanted = set(codes)
    known = p.all_codes()
    unknown = sorted(wanted - set(known))
    if unknown:
        raise errors.ROLE_UNKNOWN_PERMISSION.error(codes=", ".join(unknown))
    admin_codes = sorted(code for code in wanted if p.admin_kind_of(code))
    if admin_codes:
        raise errors.ROLE_ADMIN_PERMISSION.error(codes=", ".join(admin_codes))
    return [code for code in known if code in wanted]


def _clean_scope(data_scope: str, departments: Iterable[Department]) -> list[Department]:
    if data_scope not in BUSINESS_SCOPES:
        raise errors.ROLE_SCOPE_INVALID.error()
    chosen = list(departments)
    if data_scope == DataScope.CUSTOM and not chosen:
        raise errors.ROLE_SCOPE_DEPARTMENTS.error()
    return chosen if data_scope == DataScope.CUSTOM else []


def _snapshot(role: Role) -> dict[str, object]:
    return {
        "name": role.name,
        "description": role.description,
        "data_scope": role.data_scope,
        "permissions": list(role.permissions),
        "departments": sorted(d.code for d in role.custom_departments.all()) if role.pk else [],
    }


@transaction.atomic
def role_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    description: str = "",
    data_scope: str = DataScope.SELF,
    permissions: Iterable[str] = (),
    departments: Iterable[Department] = (),
) -> Role:
    """Define a business role: a set of business permission codes plus a data scope."""
    _check(actor, "org.role.manage")
    if not ROLE_CODE_RE.match(code or ""):
        raise errors.ROLE_CODE_INVALID.error()
    if Role.objects.filter(code=code).exists():
        raise errors.CODE_TAKEN.error(taken=code)
    codes = _clean_permissions(permissions)
    chosen = _clean_scope(data_scope, departments)
    role = Role(code=code, name=name, description=description, data_scope=data_scope, permissions=codes)
    role.full_clean()
    role.save()
    role.custom_departments.set(chosen)
    security_event("role.created", actor=actor, object_type="org.Role", object_id=role.pk, data={"code": code, "after": _snapshot(role)})
    return role


@transaction.atomic
def role_update(
    *,
    actor: User | None,
    role: Role,
    name: str,
    description: str,
    data_scope: str,
    permissions: Iterable[str],
    departments: Iterable[Department] = (),
) -> Role:
    """Change a business role; the administrator roles are read-only."""
    _check(actor, "org.role.manage")
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.admin_kind:
        raise errors.ROLE_READ_ONLY.error()
    before = _snapshot(role)
    codes = _clean_permissions(permissions)
    chosen = _clean_scope(data_scope, departments)
    role.name, role.description, role.data_scope, role.permissions = name, description, data_scope, codes
    role.full_clean()
    role.save()
    role.custom_departments.set(chosen)
    after = _snapshot(role)
    if before != after:
        security_event(
            "role.changed",
            actor=actor,
            object_type="org.Role",
            object_id=role.pk,
            data={"code": role.code, "before": before, "after": after},
        )
    return role


@transaction.atomic
def role_set_active(*, actor: User | None, role: Role, active: bool) -> Role:
    """Deactivate (or re-activate) a role that is not built in; holders lose it on their next request."""
    _check(actor, "org.role.manage")
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.admin_kind:
        raise errors.ROLE_READ_ONLY.error()
    if role.is_builtin:
        raise errors.ROLE_BUILTIN.error()
    if role.is_active == active:
        raise errors.ALREADY_IN_STATE.error()
    role.is_active = active
    role.save(update_fields=["is_active"])
    security_event(
        "role.activated" if active else "role.deactivated",
        actor=actor,
        object_type="org.Role",
        object_id=role.pk,
        data={"code": role.code, "holders": role.users.filter(is_active=True).count()},
    )
    return role


@transaction.atomic
def user_roles_set(*, actor: User, user: User, roles: Iterable[Role]) -> bool:
    """Set the business roles of `user` (security administrator). Returns False when nothing changed.

    Refused: changing one's own roles, granting an administrator role, giving an administrator any
    other role, granting a deactivated role (SECURITY B.24, B.26). The change is audited before/after.
    """
    _check(actor, "security.role.grant")
    if actor.pk == user.pk:
        raise errors.GRANT_SELF.error()
    # Lock the user row so two grant forms submitted together are applied one after the other.
    user = User.objects.select_for_update().get(pk=user.pk)
    # Re-read the roles: the caller's instances may be stale (e.g. deactivated meanwhile).
    wanted = {role.pk: role for role in Role.objects.filter(pk__in=[r.pk for r in roles])}
    for role in wanted.values():
        if role.admin_kind:
            raise errors.GRANT_ADMIN_ROLE.error()
    current = list(user.roles.all())
    held_admin = [role for role in current if role.admin_kind]
    if held_admin and wanted:
        raise errors.GRANT_ADMIN_EXCLUSIVE.error(user=str(user))
    current_business = {role.pk for role in current if not role.admin_kind}
    for role in wanted.values():
        if not role.is_active and role.pk not in current_business:
            raise errors.GRANT_ROLE_INACTIVE.error(role=role.name)
    if set(wanted) == current_business:
        return False
    before = sorted(role.code for role in current)
    user.roles.set([*held_admin, *wanted.values()])
    after = sorted([*(r.code for r in held_admin), *(r.code for r in wanted.values())])
    security_event(
        "user.roles_changed",
        actor=actor,
        object_type="org.User",
        object_id=user.pk,
        data={
            "username": user.username,
            "before": before,
            "after": after,
            "added": sorted(set(after) - set(before)),
            "removed": sorted(set(before) - set(after)),
        },
    )
    return True


def role_grant(*, actor: User, user: User, role: Role) -> bool:
    """Add one business role to `user` (same rules as user_roles_set)."""
    current = [r for r in user.roles.all() if not r.admin_kind]
    return user_roles_set(actor=actor, user=user, roles=[*current, role])
