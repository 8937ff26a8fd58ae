"""Demo organisation: department tree, positions and the demo accounts listed in the README."""

from __future__ import annotations

from django.utils import timezone

from danbao.org.models import Department, Position, User
from danbao.org.roles import ensure_builtin_roles
from danbao.org.services.departments import department_create
from danbao.org.services.positions import position_create
from danbao.org.services.users import user_create

DEMO_PASSWORD = "Demo#2026"  # noqa: S105 - documented in the README; demo accounts only

DEPARTMENTS = [
    # code, name, kind, parent code
    ("HQ", "省农业融资担保有限公司", "head_office", None),
    ("BIZ1", "业务一部", "department", "HQ"),
    ("BIZ2", "业务二部", "department", "HQ"),
    ("RISK", "风险管理部", "department", "HQ"),
    ("FIN", "财务部", "department", "HQ"),
    ("LEGAL", "法务部", "department", "HQ"),
    ("ADMIN", "综合管理部", "department", "HQ"),
    ("BR-CN", "城南分公司", "branch", "HQ"),
    ("BR-CN-BIZ", "城南分公司业务部", "department", "BR-CN"),
]

POSITIONS = [
    ("A_ROLE", "A角客户经理"),
    ("B_ROLE", "B角客户经理"),
    ("RISK_MGR", "风险经理"),
    ("DEPT_HEAD", "部门负责人"),
    ("GM", "总经理"),
    ("CHAIRMAN", "董事长"),
    ("ACCOUNTANT", "财务会计"),
    ("ARCHIVIST", "档案管理员"),
    ("LEGAL", "法务专员"),
    ("COMMITTEE", "评审委员"),
    ("IT_ADMIN", "信息管理岗"),
]

USERS = [
    # username, real name, department, roles, positions, mobile
    ("sysadmin", "周建国", "ADMIN", ["sysadmin"], ["IT_ADMIN"], "13800000001"),
    ("secadmin", "吴安平", "ADMIN", ["secadmin"], ["IT_ADMIN"], "13800000002"),
    ("auditadmin", "郑审言", "ADMIN", ["auditadmin"], ["IT_ADMIN"], "13800000003"),
    ("manager", "王立业", "BIZ1", ["business_manager"], ["A_ROLE"], "13800000011"),
    ("manager2", "李思远", "BIZ1", ["business_manager"], ["B_ROLE"], "13800000012"),
    ("manager3", "陈晓东", "BIZ2", ["business_manager"], ["A_ROLE"], "13800000013"),
    ("manager4", "刘春燕", "BR-CN-BIZ", ["business_manager"], ["A_ROLE"], "13800000014"),
    ("risk", "钱慎之", "RISK", ["risk_manager"], ["RISK_MGR"], "13800000021"),
    ("risk2", "孙明哲", "RISK", ["risk_manager"], ["RISK_MGR"], "13800000022"),
    ("depthead", "赵振华", "BIZ1", ["dept_head"], ["DEPT_HEAD"], "13800000031"),
    ("depthead2", "黄志强", "BIZ2", ["dept_head"], ["DEPT_HEAD"], "13800000032"),
    ("gm", "杨国栋", "HQ", ["general_manager"], ["GM"], "13800000041"),
    ("chairman", "徐正德", "HQ", ["chairman"], ["CHAIRMAN"], "13800000042"),
    ("finance", "何静怡", "FIN", ["finance"], ["ACCOUNTANT"], "13800000051"),
    ("archivist", "林书文", "ADMIN", ["archivist"], ["ARCHIVIST"], "13800000061"),
    ("legal", "罗法明", "LEGAL", ["legal"], ["LEGAL"], "13800000071"),
    ("committee1", "高远山", "RISK", ["committee_member"], ["COMMITTEE"], "13800000081"),
    ("committee2", "梁思齐", "FIN", ["committee_member"], ["COMMITTEE"], "13800000082"),
    ("committee3", "宋文博", "LEGAL", ["committee_member"], ["COMMITTEE"], "13800000083"),
    ("committee4", "唐学诚", "BIZ2", ["committee_member"], ["COMMITTEE"], "13800000084"),
    ("committee5", "韩立信", "HQ", ["committee_member"], ["COMMITTEE"], "13800000085"),
    ("expert1", "冯博学", "HQ", ["external_expert"], [], "13800000091"),
]


def seed() -> str:
    """Create what is missing through the services; existing rows are left as they are (idempotent)."""
    roles = ensure_builtin_roles()
    departments: dict[str, Department] = {d.code: d for d in Department.objects.filter(code__in=[c for c, *_rest in DEPARTMENTS])}
    for order, (code, name, kind, parent_code) in enumerate(DEPARTMENTS):
        if code not in departments:
            parent = departments.get(parent_code) if parent_code else None
            departments[code] = department_create(actor=None, code=code, name=name, kind=kind, parent=parent, sort_order=order * 10)
    positions = {p.code: p for p in Position.objects.filter(code__in=[c for c, _name in POSITIONS])}
    for code, name in POSITIONS:
        if code not in positions:
            positions[code] = position_create(actor=None, code=code, name=name)
    created_users = 0
    for index, (username, real_name, dept_code, role_codes, position_codes, mobile) in enumerate(USERS, start=1):
        if User.objects.filter(username=username).exists():
            continue
        user, _one_time = user_create(
            actor=None,
            username=username,
            real_name=real_name,
            employee_no=f"D{index:04d}",
            mobile=mobile,
            email=f"{username}@demo.danbao.cn",
            department=departments[dept_code],
            positions=[positions[code] for code in position_codes],
            is_demo=True,
        )
        # Demo accounts share the documented password and are not forced to change it.
        user.set_password(DEMO_PASSWORD)
        user.must_change_password = False
        user.temporary_password_expires_at = None
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "temporary_password_expires_at", "password_changed_at"])
        # Roles straight from the list: the grant service refuses administrator roles by design.
        user.roles.set([roles[code] for code in role_codes])
        created_users += 1
    return f"{len(departments)} departments, {len(positions)} positions, {created_users} new demo users"
