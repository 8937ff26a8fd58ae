"""Role grants by the security administrator (SECURITY B.24, B.26): own roles, administrator roles and
administrators' accounts are refused; every change is audited with before/after role codes."""

import pytest
from django.urls import reverse

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org.models import User
from danbao.org.services.roles import role_create, role_grant, role_set_active, user_roles_set


@pytest.mark.parametrize("who, status", [("secadmin", 200), ("sysadmin", 403), ("auditadmin", 403), ("owner", 403), ("risk_manager", 403)])
def test_grant_pages_permissions(request, client_for, owner, who, status) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("org:grant-list")).status_code == status
    assert client.get(reverse("org:grant-edit", args=[owner.pk])).status_code == status


def test_grant_list_shows_users_and_roles(client_for, secadmin, owner) -> None:
    response = client_for(secadmin).get(reverse("org:grant-list"), {"q": "owner"})
    rows = response.context["list"].rows
    assert [r["object"].username for r in rows] == ["owner"]
    assert "业务经理" in response.content.decode()


def test_set_roles_through_page_is_audited(client_for, secadmin, owner, org) -> None:
    roles = org.roles
    data = {"roles": [roles["business_manager"].pk, roles["committee_member"].pk]}
    response = client_for(secadmin).post(reverse("org:grant-edit", args=[owner.pk]), data, follow=True)
    assert response.status_code == 200
    assert sorted(r.code for r in User.objects.get(pk=owner.pk).roles.all()) == ["business_manager", "committee_member"]
    event = AuditEvent.objects.filter(event_type="user.roles_changed", object_id=str(owner.pk)).get()
    assert event.data["before"] == ["business_manager"]
    assert event.data["after"] == ["business_manager", "committee_member"]
    assert event.data["added"] == ["committee_member"] and event.actor_username == "secadmin"
    assert any("owner" in str(m) for m in response.context["messages"])


def test_no_change_writes_no_event(secadmin, owner, org) -> None:
    assert user_roles_set(actor=secadmin, user=owner, roles=[org.roles["business_manager"]]) is False
    assert not AuditEvent.objects.filter(event_type="user.roles_changed").exists()


def test_cannot_change_own_roles(secadmin, org) -> None:
    with pytest.raises(DomainError) as exc:
        user_roles_set(actor=secadmin, user=secadmin, roles=[org.roles["business_manager"]])
    assert exc.value.code == "org.grant_self"


@pytest.mark.parametrize("admin_role", ["sysadmin", "secadmin", "auditadmin"])
def test_admin_roles_can_never_be_granted(client_for, secadmin, owner, org, admin_role) -> None:
    with pytest.raises(DomainError) as exc:
        role_grant(actor=secadmin, user=owner, role=org.roles[admin_role])
    assert exc.value.code == "org.grant_admin_role"
    client_for(secadmin).post(reverse("org:grant-edit", args=[owner.pk]), {"roles": [org.roles[admin_role].pk]})
    assert [r.code for r in User.objects.get(pk=owner.pk).roles.all()] == ["business_manager"]


def test_administrator_gets_no_other_role(secadmin, sysadmin, auditadmin, org) -> None:
    for admin in (sysadmin, auditadmin):
        with pytest.raises(DomainError) as exc:
            role_grant(actor=secadmin, user=admin, role=org.roles["risk_manager"])
        assert exc.value.code == "org.grant_admin_exclusive"
    assert [r.code for r in User.objects.get(pk=sysadmin.pk).roles.all()] == ["sysadmin"]


def test_only_security_admin_grants(sysadmin, owner, dept_head, org) -> None:
    for actor in (sysadmin, dept_head):
        with pytest.raises(DomainError) as exc:
            role_grant(actor=actor, user=owner, role=org.roles["chairman"])
        assert exc.value.code == "org.permission_denied"


def test_inactive_role_cannot_be_granted(secadmin, sysadmin, owner) -> None:
    role = role_create(actor=sysadmin, code="temp_role", name="临时角色")
    role_set_active(actor=sysadmin, role=role, active=False)
    with pytest.raises(DomainError) as exc:
        role_grant(actor=secadmin, user=owner, role=role)
    assert exc.value.code == "org.grant_role_inactive"


def test_grant_takes_effect_on_next_request(client_for, secadmin, owner, sysadmin, org) -> None:
    from danbao.org.services.roles import role_update

    role_update(actor=sysadmin, role=org.roles["chairman"], name="董事长", description="", data_scope="all", permissions=["workbench.view"])
    user_roles_set(actor=secadmin, user=owner, roles=[org.roles["chairman"]])
    fresh = User.objects.get(pk=owner.pk)
    assert [r.code for r in fresh.active_roles] == ["chairman"]
    from danbao.org.scope import scope_for

    assert scope_for(fresh).all
