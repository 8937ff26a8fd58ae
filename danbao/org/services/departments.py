"""Department and position writes: the tree's materialised path stays correct on every create and move."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from danbao.core.events import security_event
from danbao.org import errors
from danbao.org.models import Department, User

DEPARTMENT_FIELDS = ("code", "name", "kind", "parent", "sort_order", "phone")


def _check(actor: User | None, code: str) -> None:
    """`actor=None` is a system task (seed_demo, bootstrap_admins); a person needs the permission."""
    if actor is not None and not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def _place(department: Department) -> None:
    """Set path and depth from the parent (the row must already have a primary key)."""
    parent = department.parent
    department.path = f"{parent.path if parent else '/'}{department.pk}/"
    department.depth = parent.depth + 1 if parent else 0


def _snapshot(department: Department) -> dict[str, Any]:
    return {
        "code": department.code,
        "name": department.name,
        "kind": department.kind,
        "parent": department.parent_id,
        "sort_order": department.sort_order,
        "phone": department.phone,
    }


@transaction.atomic
def department_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str = Department.Kind.DEPARTMENT,
    parent: Department | None = None,
    sort_order: int = 100,
    phone: str = "",
) -> Department:
    """Create a department under `parent` (None = a root such as the head office)."""
    _check(actor, "org.dept.manage")
    if Department.objects.filter(code=code).exists():
        raise errors.CODE_TAKEN.error(taken=code)
    if parent is not None and not parent.is_active:
        raise errors.DEPARTMENT_PARENT_INACTIVE.error()
    department = Department(code=code, name=name, kind=kind, parent=parent, sort_order=sort_order, phone=phone)
    department.full_clean(exclude=["path", "depth"])
    department.save()
    _place(department)
    department.save(update_fields=["path", "depth"])
    security_event(
        "department.created",
        actor=actor,
        object_type="org.Department",
        object_id=department.pk,
        data={"after": _snapshot(department), "path": department.path},
    )
    return department


@transaction.atomic
def department_update(*, actor: User | None, department: Department, **changes: Any) -> Department:
    """Change a department's fields; a new `parent` moves it with its whole subtree."""
    _check(actor, "org.dept.manage")
    unknown = set(changes) - set(DEPARTMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown department fields: {sorted(unknown)}")
    # Lock the row and re-read it so two concurrent moves cannot interleave.
    department = Department.objects.select_for_update().get(pk=department.pk)
    before = _snapshot(department)
    new_code = changes.get("code", department.code)
    if new_code != department.code and Department.objects.filter(code=new_code).exclude(pk=department.pk).exists():
        raise errors.CODE_TAKEN.error(taken=new_code)
    moving = "parent" in changes and (changes["parent"].pk if changes["parent"] else None) != department.parent_id
    if moving:
        parent: Department | None = changes["parent"]
        if parent is not None:
            parent = Department.objects.get(pk=parent.pk)
            if parent.path.startswith(department.path):
                raise errors.DEPARTMENT_CYCLE.error()
            if not parent.is_active:
                raise errors.DEPARTMENT_PARENT_INACTIVE.error()
        changes["parent"] = parent
    for field, value in changes.items():
        setattr(department, field, value)
    department.full_clean(exclude=["path", "depth"])
    old_path, old_depth = department.path, department.depth
    if moving:
        _place(department)
    department.save()
    if moving:
        # Rewrite the descendants row by row (not a bulk update) so each keeps its history.
        shift = department.depth - old_depth
        for child in Department.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=department.pk).order_by("path"):
            child.path = department.path + child.path[len(old_path) :]
            child.depth = child.depth + shift
            child.save(update_fields=["path", "depth"])
    after = _snapshot(department)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changed:
        security_event(
            "department.moved" if moving else "department.changed",
            actor=actor,
            object_type="org.Department",
            object_id=department.pk,
            data={"changes": changed, "path": department.path},
        )
    return department


@transaction.atomic
def department_deactivate(*, actor: User | None, department: Department) -> Department:
    """Deactivate a department that has no active users and no active sub-departments."""
    _check(actor, "org.dept.manage")
    department = Department.objects.select_for_update().get(pk=department.pk)
    if not department.is_active:
        raise errors.ALREADY_INACTIVE.error()
    users = User.objects.filter(department=department, is_active=True).count()
    if users:
        raise errors.DEPARTMENT_HAS_USERS.error(count=users)
    children = Department.objects.filter(parent=department, is_active=True).count()
    if children:
        raise errors.DEPARTMENT_HAS_CHILDREN.error(count=children)
    department.is_active = False
    department.save(update_fields=["is_active"])
    security_event(
        "department.deactivated", actor=actor, object_type="org.Department", object_id=department.pk, data={"code": department.code}
    )
    return department


@transaction.atomic
def department_activate(*, actor: User | None, department: Department) -> Department:
    """Re-activate a department (its parent must be active)."""
    _check(actor, "org.dept.manage")
    department = Department.objects.select_for_update().get(pk=department.pk)
    if department.is_active:
        raise errors.ALREADY_IN_STATE.error()
    if department.parent is not None and not department.parent.is_active:
        raise errors.DEPARTMENT_PARENT_INACTIVE.error()
    department.is_active = True
    department.save(update_fields=["is_active"])
    security_event(
        "department.activated", actor=actor, object_type="org.Department", object_id=department.pk, data={"code": department.code}
    )
    return department
