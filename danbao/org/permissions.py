"""Permission codes: each app registers its codes (grouped like the menu) in AppConfig.ready().

Roles store lists of these codes; menus, buttons, views and services all check the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from danbao.core.registry import Registry


@dataclass(frozen=True)
class PermissionGroup:
    key: str
    label: str | Promise
    permissions: tuple[tuple[str, str | Promise], ...]
    admin_only: str = ""  # an AdminKind when the group belongs to one of the three administrators


catalog: Registry[PermissionGroup] = Registry("permission groups")


def register(group: PermissionGroup) -> None:
    catalog.register(group.key, group)


def all_codes() -> dict[str, str | Promise]:
    return {code: label for group in catalog for code, label in group.permissions}


def admin_kind_of(code: str) -> str:
    """The administrator kind a permission belongs to ("" for business permissions)."""
    for group in catalog:
        if any(code == c for c, _label in group.permissions):
            return group.admin_only
    return ""


# Platform permissions (org, system, audit); later apps register their own groups.
WORKBENCH = PermissionGroup("workbench", _("Workbench"), (("workbench.view", _("View workbench")),))
ORG_ADMIN = PermissionGroup(
    "org",
    _("Organisation"),
    (
        ("org.dept.manage", _("Manage departments")),
        ("org.position.manage", _("Manage positions")),
        ("org.user.view", _("View users")),
        ("org.user.manage", _("Create and edit users, reset passwords, unlock")),
        ("org.user.export", _("Export users")),
        ("org.role.manage", _("Define roles and their permissions")),
    ),
    admin_only="system",
)
SYSTEM_ADMIN = PermissionGroup(
    "system",
    _("System settings"),
    (
        ("system.dict.manage", _("Manage dictionaries")),
        ("system.param.manage", _("Manage system parameters")),
        ("system.numbering.manage", _("Manage numbering rules")),
        ("system.calendar.manage", _("Manage the holiday calendar")),
        ("system.template.manage", _("Manage message templates")),
        ("system.job.manage", _("Manage scheduled jobs")),
        ("system.message.broadcast", _("Send messages to users, roles and departments")),
    ),
    admin_only="system",
)
SECURITY_ADMIN = PermissionGroup(
    "security",
    _("Security"),
    (
        ("security.policy.manage", _("Set the security policy")),
        ("security.role.grant", _("Grant roles to users")),
        ("security.session.manage", _("View online users and force logout")),
        ("security.user.unlock", _("Unlock locked accounts")),
    ),
    admin_only="security",
)
AUDIT_ADMIN = PermissionGroup(
    "audit",
    _("Audit"),
    (
        ("audit.log.view", _("Read audit and login logs")),
        ("audit.log.export", _("Export audit logs")),
    ),
    admin_only="audit",
)
