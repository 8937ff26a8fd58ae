"""Built-in roles, one per kind of user in DESIGN.md; names are data, in Chinese like department names.

`ensure_builtin_roles` creates missing roles and adds newly introduced default codes to existing
built-in roles; it never removes a code an administrator granted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

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
# Business permissions of higher apps, as plain codes (org cannot import them).
CUSTOMERS_VIEW = ("customers.customer.view",)
CUSTOMERS_WORK = ("customers.customer.view", "customers.customer.manage", "customers.customer.export", "customers.sensitive.view")
# Statements, credit records and screening (customers "customer_data" group).
CUSTOMER_DATA_WORK = ("customers.statement.manage", "customers.credit.view", "customers.credit.manage")
CUSTOMER_DATA_RISK = ("customers.credit.view", "customers.watchlist.manage", "customers.screening.handle")
# Approval flows steer business decisions: management designs them and supervises running approvals
# (never the system administrator, who must not steer business; see docs/workflow.md).
WORKFLOW_MANAGE = ("workflow.definition.manage", "workflow.instance.admin", "workflow.fallback.handle")

BUILTIN_ROLES: tuple[BuiltinRole, ...] = (
    BuiltinRole(
        "sysadmin",
        "系统管理员",
        DataScope.NONE,
        BASE + _codes(p.ORG_ADMIN, p.SYSTEM_ADMIN),
        AdminKind.SYSTEM,
        "用户、部门、角色与系统设置；不可查看业务数据与审计日志",
    ),
    BuiltinRole(
        "secadmin",
        "安全管理员",
        DataScope.NONE,
        BASE + _codes(p.SECURITY_ADMIN),
        AdminKind.SECURITY,
        "安全策略、角色授权、会话管理与账户解锁",
    ),
    BuiltinRole(
        "auditadmin",
        "审计管理员",
        DataScope.NONE,
        BASE + _codes(p.AUDIT_ADMIN),
        AdminKind.AUDIT,
        "查阅与导出审计日志、登录日志；不可修改任何数据",
    ),
    BuiltinRole(
        "business_manager",
        "业务经理",
        DataScope.SELF,
        BASE + CUSTOMERS_WORK + CUSTOMER_DATA_WORK,
        description="A角/B角客户经理：受理、尽职调查、保后管理",
    ),
    BuiltinRole(
        "risk_manager",
        "风险经理",
        DataScope.ALL,
        BASE + CUSTOMERS_VIEW + ("customers.sensitive.view",) + CUSTOMER_DATA_RISK,
        description="独立风险审查、五级分类、预警",
    ),
    BuiltinRole(
        "dept_head",
        "部门负责人",
        DataScope.DEPT_AND_BELOW,
        BASE + CUSTOMERS_VIEW + ("customers.customer.export", "customers.credit.view", "customers.screening.handle"),
        description="在部门权限内审批",
    ),
    BuiltinRole(
        "general_manager",
        "总经理",
        DataScope.ALL,
        BASE + CUSTOMERS_VIEW + WORKFLOW_MANAGE + ("customers.credit.view",),
        description="在总经理权限内审批",
    ),
    BuiltinRole("chairman", "董事长", DataScope.ALL, BASE + CUSTOMERS_VIEW + ("customers.credit.view",), description="最终审批权限"),
    BuiltinRole("committee_member", "评审委员", DataScope.SELF, BASE + CUSTOMERS_VIEW, description="在评审会上对项目投票"),
    BuiltinRole("external_expert", "外部专家", DataScope.SELF, BASE, description="对送审项目出具专家意见"),
    BuiltinRole("finance", "财务人员", DataScope.ALL, BASE + CUSTOMERS_VIEW, description="担保费、保证金、代偿支付、追偿回款、凭证"),
    BuiltinRole("archivist", "档案管理员", DataScope.ALL, BASE + CUSTOMERS_VIEW, description="合同与档案归档、权证保管"),
    BuiltinRole(
        "legal", "法务追偿人员", DataScope.ALL, BASE + CUSTOMERS_VIEW + ("customers.sensitive.view",), description="代偿后的追偿案件"
    ),
)

ADMIN_ROLE_CODES = frozenset(r.code for r in BUILTIN_ROLES if r.admin_kind)

# Default grants declared by higher apps in their AppConfig.ready (org cannot import them):
# role code -> permission codes. Administrator roles never receive business codes (三员分立).
_EXTRA_GRANTS: dict[str, list[str]] = {}


def register_default_grants(role_code: str, *codes: str) -> None:
    """Give a built-in business role more default permission codes (called from an app's ready())."""
    if role_code in ADMIN_ROLE_CODES:
        raise ValueError(f"administrator role {role_code} cannot receive business permissions")
    if role_code not in {r.code for r in BUILTIN_ROLES}:
        raise ValueError(f"unknown built-in role {role_code}")
    grants = _EXTRA_GRANTS.setdefault(role_code, [])
    grants.extend(code for code in codes if code not in grants)


def default_permissions(spec: BuiltinRole) -> list[str]:
    """The role's own codes plus those registered by higher apps, without duplicates."""
    codes = list(spec.permissions)
    codes.extend(code for code in _EXTRA_GRANTS.get(spec.code, []) if code not in codes)
    return codes


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
                "permissions": default_permissions(spec),
                "data_scope": spec.scope,
                "admin_kind": spec.admin_kind,
                "is_builtin": True,
            },
        )
        if not created:
            missing = [code for code in default_permissions(spec) if code not in role.permissions]
            if missing:
                role.permissions = [*role.permissions, *missing]
                role.save(update_fields=["permissions"])
        roles[spec.code] = role
    return roles
