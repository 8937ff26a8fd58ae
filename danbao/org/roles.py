"""Built-in roles: one per kind of user in DESIGN.md. Later apps add their permission codes here.

`ensure_builtin_roles` creates missing roles and adds newly introduced default codes to existing
built-in roles; it never removes a code an administrator granted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from danbao.org import permissions as p
from danbao.org.models import AdminKind, DataScope, Role


def _codes(*groups: p.PermissionGroup) -> tuple[str, ...]:
    return tuple(code for group in groups for code, _label in group.permissions)


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name: str
    scope: str
    permissions: tuple[str, ...]
    admin_kind: str = ""
    description: str = ""


BASE = ("workbench.view",)

BUILTIN_ROLES: tuple[BuiltinRole, ...] = (
    BuiltinRole(
        "sysadmin",
        _("System administrator"),
        DataScope.NONE,
        BASE + _codes(p.ORG_ADMIN, p.SYSTEM_ADMIN),
        AdminKind.SYSTEM,
        _("Users, departments, roles and system settings; no business data, no audit log"),
    ),
    BuiltinRole(
        "secadmin",
        _("Security administrator"),
        DataScope.NONE,
        BASE + _codes(p.SECURITY_ADMIN),
        AdminKind.SECURITY,
        _("Security policy, role grants, sessions and unlocking"),
    ),
    BuiltinRole(
        "auditadmin",
        _("Audit administrator"),
        DataScope.NONE,
        BASE + _codes(p.AUDIT_ADMIN),
        AdminKind.AUDIT,
        _("Reads and exports the audit and login logs; changes nothing"),
    ),
    BuiltinRole(
        "business_manager",
        _("Business manager"),
        DataScope.SELF,
        BASE,
        description=_("A-role and B-role managers: intake, due diligence, monitoring"),
    ),
    BuiltinRole("risk_manager", _("Risk manager"), DataScope.ALL, BASE, description=_("Independent risk review, classification, warnings")),
    BuiltinRole(
        "dept_head", _("Department head"), DataScope.DEPT_AND_BELOW, BASE, description=_("Approves within the department's authority")
    ),
    BuiltinRole(
        "general_manager", _("General manager"), DataScope.ALL, BASE, description=_("Approves within the general manager's authority")
    ),
    BuiltinRole("chairman", _("Chairman"), DataScope.ALL, BASE, description=_("Final approval authority")),
    BuiltinRole(
        "committee_member", _("Review committee member"), DataScope.SELF, BASE, description=_("Votes on projects at review meetings")
    ),
    BuiltinRole("external_expert", _("External expert"), DataScope.SELF, BASE, description=_("Writes opinions on projects sent to them")),
    BuiltinRole("finance", _("Finance staff"), DataScope.ALL, BASE, description=_("Fees, margins, payouts, recoveries, vouchers")),
    BuiltinRole("archivist", _("Archivist"), DataScope.ALL, BASE, description=_("Contract and file archive, title documents")),
    BuiltinRole("legal", _("Legal and recovery staff"), DataScope.ALL, BASE, description=_("Recovery cases after compensation")),
)

ADMIN_ROLE_CODES = frozenset(r.code for r in BUILTIN_ROLES if r.admin_kind)


@transaction.atomic
def ensure_builtin_roles() -> dict[str, Role]:
    """Create or complete the built-in roles; idempotent."""
    roles: dict[str, Role] = {}
    for spec in BUILTIN_ROLES:
        role, created = Role.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": str(spec.name),
                "description": str(spec.description),
                "permissions": list(spec.permissions),
                "data_scope": spec.scope,
                "admin_kind": spec.admin_kind,
                "is_builtin": True,
            },
        )
        if not created:
            missing = [code for code in spec.permissions if code not in role.permissions]
            if missing:
                role.permissions = [*role.permissions, *missing]
                role.save(update_fields=["permissions"])
        roles[spec.code] = role
    return roles
