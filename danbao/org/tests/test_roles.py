"""Business roles: list with holder counts, create/edit with data scope and permission tree,
administrator codes refused, built-in administrator roles read-only, deactivation effective next request."""

import pytest
from django.urls import reverse

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org import permissions as p
from danbao.org.models import Role, User
from danbao.org.services.roles import role_create, role_set_active, role_update


@pytest.mark.parametrize("who, status", [("sysadmin", 200), ("secadmin", 403), ("auditadmin", 403), ("owner", 403), ("dept_head", 403)])
def test_list_permissions(request, client_for, who, status) -> None:
    assert client_for(request.getfixturevalue(who)).get(reverse("org:role-list")).status_code == status


def test_list_shows_holder_counts(client_for, sysadmin, owner, colleague, outsider) -> None:
    response = client_for(sysadmin).get(reverse("org:role-list"))
    holders = {role.code: role.holders for role in response.context["roles"]}
    assert holders["business_manager"] == 3 and holders["sysadmin"] == 1 and holders["chairman"] == 0
    assert 'data-testid="role-holders-business_manager">3<' in response.content.decode()


def test_create_custom_scope_role_through_page(client_for, sysadmin, org) -> None:
    data = {
        "code": "branch_auditor",
        "name": "分支稽核",
        "description": "稽核两个业务部",
        "data_scope": "custom",
        "departments": [org.dept_a.pk, org.dept_b.pk],
        "permissions": ["workbench.view"],
    }
    assert client_for(sysadmin).post(reverse("org:role-create"), data).status_code == 302
    role = Role.objects.get(code="branch_auditor")
    assert role.permissions == ["workbench.view"] and role.data_scope == "custom"
    assert set(role.custom_departments.all()) == {org.dept_a, org.dept_b}
    assert not role.is_builtin and not role.admin_kind
    event = AuditEvent.objects.filter(event_type="role.created", object_id=str(role.pk)).get()
    assert event.data["after"]["departments"] == ["BIZ1", "BIZ2"]


def test_form_shows_only_business_permission_groups(client_for, sysadmin) -> None:
    response = client_for(sysadmin).get(reverse("org:role-create"))
    keys = {group["key"] for group in response.context["groups"]}
    assert "workbench" in keys
    assert not keys & {"org", "system", "security", "audit"}


@pytest.mark.parametrize("code", ["org.user.manage", "security.role.grant", "audit.log.view", "system.param.manage"])
def test_administrator_permissions_refused_in_business_roles(client_for, sysadmin, org, code) -> None:
    with pytest.raises(DomainError) as exc:
        role_create(actor=sysadmin, code="sneaky", name="越权", permissions=["workbench.view", code])
    assert exc.value.code == "org.role_admin_permission" and code in exc.value.message
    data = {"code": "sneaky", "name": "越权", "data_scope": "self", "permissions": [code]}
    response = client_for(sysadmin).post(reverse("org:role-create"), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Role.objects.filter(code="sneaky").exists()


def test_other_refusals(org, sysadmin, owner) -> None:
    cases = [
        ({"code": "Bad Code"}, "org.role_code_invalid"),
        ({"code": "business_manager"}, "org.code_taken"),
        ({"code": "r1", "permissions": ["no.such.code"]}, "org.role_unknown_permission"),
        ({"code": "r2", "data_scope": "custom"}, "org.role_scope_departments"),
        ({"code": "r3", "data_scope": "none"}, "org.role_scope_invalid"),
    ]
    for kwargs, code in cases:
        with pytest.raises(DomainError) as exc:
            role_create(actor=sysadmin, **{"name": "角色", **kwargs})
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        role_create(actor=owner, code="r4", name="角色")
    assert exc.value.code == "org.permission_denied"


def test_builtin_admin_roles_are_read_only(client_for, sysadmin, org) -> None:
    admin_role = org.roles["secadmin"]
    client = client_for(sysadmin)
    response = client.get(reverse("org:role-edit", args=[admin_role.pk]))
    assert response.status_code == 200 and 'data-testid="role-read-only"' in response.content.decode()
    client.post(reverse("org:role-edit", args=[admin_role.pk]), {"name": "改名", "data_scope": "all", "permissions": []})
    admin_role.refresh_from_db()
    assert admin_role.name == "安全管理员" and "security.role.grant" in admin_role.permissions
    with pytest.raises(DomainError) as exc:
        role_update(actor=sysadmin, role=admin_role, name="x", description="", data_scope="all", permissions=[])
    assert exc.value.code == "org.role_read_only"
    with pytest.raises(DomainError) as exc:
        role_set_active(actor=sysadmin, role=admin_role, active=False)
    assert exc.value.code == "org.role_read_only"


def test_edit_builtin_business_role_but_not_deactivate(client_for, sysadmin, org) -> None:
    role = org.roles["dept_head"]
    data = {"name": "部门负责人", "description": "审批", "data_scope": "dept", "permissions": ["workbench.view"]}
    assert client_for(sysadmin).post(reverse("org:role-edit", args=[role.pk]), data).status_code == 302
    role.refresh_from_db()
    assert role.data_scope == "dept" and role.description == "审批"
    event = AuditEvent.objects.filter(event_type="role.changed", object_id=str(role.pk)).get()
    assert event.data["before"]["data_scope"] == "dept_and_below" and event.data["after"]["data_scope"] == "dept"
    with pytest.raises(DomainError) as exc:
        role_set_active(actor=sysadmin, role=role, active=False)
    assert exc.value.code == "org.role_builtin"


@pytest.fixture
def test_permission(monkeypatch):
    """A business permission group registered for one test only."""
    monkeypatch.setitem(p.catalog._entries, "zz_test", p.PermissionGroup("zz_test", "测试", (("zz_test.view", "查看"),)))


def test_deactivated_role_stops_working_on_next_request(client_for, sysadmin, org, test_permission) -> None:
    role = role_create(actor=sysadmin, code="viewer", name="查看", permissions=["zz_test.view"], data_scope="self")
    holder = User.objects.create(username="holder", real_name="持有人")
    holder.roles.set([role])
    assert User.objects.get(pk=holder.pk).can("zz_test.view")
    client_for(sysadmin).post(reverse("org:role-toggle", args=[role.pk]))
    role.refresh_from_db()
    assert not role.is_active
    assert not User.objects.get(pk=holder.pk).can("zz_test.view")
    assert AuditEvent.objects.filter(event_type="role.deactivated", object_id=str(role.pk)).get().data["holders"] == 1
    client_for(sysadmin).post(reverse("org:role-toggle", args=[role.pk]))
    assert User.objects.get(pk=holder.pk).can("zz_test.view")


def test_higher_apps_add_default_grants_to_business_roles_only(db, monkeypatch) -> None:
    from danbao.org import roles

    monkeypatch.setattr(roles, "_EXTRA_GRANTS", {})
    roles.register_default_grants("risk_manager", "rules.rule.view", "rules.rule.view")
    created = roles.ensure_builtin_roles()
    assert created["risk_manager"].permissions.count("rules.rule.view") == 1
    with pytest.raises(ValueError):
        roles.register_default_grants("sysadmin", "rules.rule.view")
    with pytest.raises(ValueError):
        roles.register_default_grants("no_such_role", "rules.rule.view")
