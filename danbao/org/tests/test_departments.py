"""Department tree: pages, create/edit/move with subtree path rewrite, deactivate refusals, audit."""

import pytest
from django.urls import reverse

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org.models import Department
from danbao.org.services.departments import department_activate, department_create, department_deactivate, department_update
from danbao.org.tests.factories import UserFactory


@pytest.fixture
def subtree(org, sysadmin):
    """HQ / BIZ1 / TEAM1 / GROUP1 — a three-level branch under department A."""
    team = department_create(actor=sysadmin, code="TEAM1", name="一组", parent=org.dept_a)
    group = department_create(actor=sysadmin, code="GROUP1", name="一组甲班", parent=team)
    return team, group


@pytest.mark.parametrize("who, status", [("sysadmin", 200), ("secadmin", 403), ("auditadmin", 403), ("owner", 403), ("nobody", 403)])
def test_tree_page_permissions(request, client_for, who, status) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("org:department-list")).status_code == status


def test_tree_page_shows_hierarchy_kinds_and_user_counts(client_for, sysadmin, owner, colleague, subtree) -> None:
    response = client_for(sysadmin).get(reverse("org:department-list"))
    tree = response.context["tree"]
    assert [d.code for d in tree][:2] == ["HQ", "BIZ1"]
    biz1 = next(d for d in tree if d.code == "BIZ1")
    assert biz1.active_users == 2  # owner and colleague
    assert biz1.active_children == 1
    body = response.content.decode()
    assert "一组甲班" in body and "Head office" in body or "总部" in body


def test_create_places_department_in_tree_and_audits(org, sysadmin, subtree) -> None:
    team, group = subtree
    assert team.path == f"{org.dept_a.path}{team.pk}/" and team.depth == 2
    assert group.path == f"{team.path}{group.pk}/" and group.depth == 3
    event = AuditEvent.objects.filter(event_type="department.created", object_id=str(group.pk)).get()
    assert event.actor_username == "sysadmin"


def test_create_via_page(client_for, sysadmin, org) -> None:
    response = client_for(sysadmin).post(
        reverse("org:department-create"), {"code": "NEW", "name": "新部门", "kind": "department", "parent": org.dept_b.pk, "sort_order": 5}
    )
    assert response.status_code == 302
    dept = Department.objects.get(code="NEW")
    assert dept.parent == org.dept_b and dept.path == f"{org.dept_b.path}{dept.pk}/"


def test_duplicate_code_refused_with_message(client_for, sysadmin, org) -> None:
    response = client_for(sysadmin).post(
        reverse("org:department-create"), {"code": "BIZ1", "name": "重复", "kind": "department", "sort_order": 1}
    )
    assert response.status_code == 200
    assert "BIZ1" in response.content.decode()


def test_move_rewrites_the_whole_subtree(org, sysadmin, subtree) -> None:
    team, group = subtree
    department_update(actor=sysadmin, department=team, parent=org.dept_b)
    team.refresh_from_db()
    group.refresh_from_db()
    assert team.path == f"{org.dept_b.path}{team.pk}/" and team.depth == 2
    assert group.path == f"{team.path}{group.pk}/" and group.depth == 3
    # Move to the root: depths shrink by one for the whole branch.
    department_update(actor=sysadmin, department=team, parent=None)
    group.refresh_from_db()
    assert group.path == f"/{team.pk}/{group.pk}/" and group.depth == 1
    assert AuditEvent.objects.filter(event_type="department.moved", object_id=str(team.pk)).count() == 2


def test_move_via_edit_page(client_for, sysadmin, org, subtree) -> None:
    team, group = subtree
    data = {"code": "TEAM1", "name": "一组", "kind": "department", "parent": org.risk_dept.pk, "sort_order": 100}
    assert client_for(sysadmin).post(reverse("org:department-edit", args=[team.pk]), data).status_code == 302
    group.refresh_from_db()
    assert group.path.startswith(org.risk_dept.path)


def test_cannot_become_own_descendant(org, sysadmin, subtree) -> None:
    team, group = subtree
    for target in (team, group):
        with pytest.raises(DomainError) as exc:
            department_update(actor=sysadmin, department=org.dept_a, parent=target)
        assert exc.value.code == "org.department_cycle"
    with pytest.raises(DomainError):
        department_update(actor=sysadmin, department=team, parent=team)
    org.dept_a.refresh_from_db()
    assert org.dept_a.parent == org.head_office


def test_edit_form_does_not_offer_own_subtree_as_parent(client_for, sysadmin, org, subtree) -> None:
    response = client_for(sysadmin).get(reverse("org:department-edit", args=[org.dept_a.pk]))
    offered = {d.pk for d in response.context["form"].fields["parent"].queryset}
    assert org.dept_a.pk not in offered and subtree[0].pk not in offered and org.dept_b.pk in offered


def test_deactivate_refused_with_active_users(org, sysadmin, owner) -> None:
    with pytest.raises(DomainError) as exc:
        department_deactivate(actor=sysadmin, department=org.dept_a)
    assert exc.value.code == "org.department_has_users"
    assert "1" in exc.value.message


def test_deactivate_refused_with_active_children(org, sysadmin, subtree) -> None:
    with pytest.raises(DomainError) as exc:
        department_deactivate(actor=sysadmin, department=subtree[0])
    assert exc.value.code == "org.department_has_children"


def test_deactivate_and_reactivate(org, sysadmin, subtree) -> None:
    team, group = subtree
    UserFactory(username="gone", department=group, is_active=False)  # disabled users do not block
    department_deactivate(actor=sysadmin, department=group)
    group.refresh_from_db()
    assert not group.is_active
    assert AuditEvent.objects.filter(event_type="department.deactivated", object_id=str(group.pk)).exists()
    with pytest.raises(DomainError) as exc:
        department_create(actor=sysadmin, code="UNDER", name="下级", parent=group)
    assert exc.value.code == "org.department_parent_inactive"
    department_activate(actor=sysadmin, department=group)
    group.refresh_from_db()
    assert group.is_active


def test_deactivate_page_shows_refusal_message(client_for, sysadmin, org, owner) -> None:
    response = client_for(sysadmin).post(reverse("org:department-deactivate", args=[org.dept_a.pk]), follow=True)
    assert any("1" in str(m) for m in response.context["messages"])
    org.dept_a.refresh_from_db()
    assert org.dept_a.is_active


def test_services_check_permission(org, owner, secadmin) -> None:
    for actor in (owner, secadmin):
        with pytest.raises(DomainError) as exc:
            department_create(actor=actor, code="X", name="X", parent=org.head_office)
        assert exc.value.code == "org.permission_denied"
    with pytest.raises(DomainError):
        department_update(actor=owner, department=org.dept_a, name="改名")


def test_deactivate_requires_post(client_for, sysadmin, org) -> None:
    assert client_for(sysadmin).get(reverse("org:department-deactivate", args=[org.risk_dept.pk])).status_code == 405
