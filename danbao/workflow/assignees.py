"""Who gets a task: resolve a node's assignee rules against the org and the business object.

The department head (部门负责人) of a department is whoever there holds the position DEPT_HEAD, or
else the role dept_head; a user's superior is the head of their department, or of the nearest
parent department when the user is that head. The submitter and the flow type's excluded users are
never assignees; an empty result goes to the fallback queue (holders of workflow.fallback.handle).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q

from danbao.org.models import Department, User
from danbao.workflow.engine.graph import AssigneeRule

HEAD_POSITION = "DEPT_HEAD"
HEAD_ROLE = "dept_head"
FALLBACK_PERMISSION = "workflow.fallback.handle"


def _active() -> Any:
    return User.objects.filter(is_active=True)


def department_heads(department: Department | None) -> list[User]:
    if department is None:
        return []
    in_dept = _active().filter(department=department)
    heads = list(in_dept.filter(positions__code=HEAD_POSITION).distinct().order_by("pk"))
    if not heads:
        heads = list(in_dept.filter(roles__code=HEAD_ROLE, roles__is_active=True).distinct().order_by("pk"))
    return heads


def superiors_of(user: User | None) -> list[User]:
    """The heads above `user`: of their department, or of the nearest parent when they head it."""
    if user is None:
        return []
    department = user.department
    while department is not None:
        heads = [h for h in department_heads(department) if h.pk != user.pk]
        if heads:
            return heads
        department = department.parent
    return []


def resolve(
    rules: Iterable[AssigneeRule], *, submitter: User, obj: Any, values: Mapping[str, Any], department: Department | None
) -> list[User]:
    """Users named by `rules`, in a stable order, without duplicates (exclusions are applied by the caller)."""
    found: dict[int, User] = {}
    for rule in rules:
        for user in _resolve_one(rule, submitter=submitter, obj=obj, values=values, department=department):
            found.setdefault(user.pk, user)
    return list(found.values())


def _user_by_id(value: Any) -> User | None:
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    return _active().filter(pk=pk).first()


def _resolve_one(rule: AssigneeRule, *, submitter: User, obj: Any, values: Mapping[str, Any], department: Department | None) -> list[User]:
    kind, value = rule.kind, rule.value
    if kind == "users":
        ids = [int(v) for v in (value or [])]
        by_id = {u.pk: u for u in _active().filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]  # listed order (sequential mode follows it)
    if kind == "role":
        return list(_active().filter(roles__code=value, roles__is_active=True).distinct().order_by("pk"))
    if kind == "position":
        return list(_active().filter(positions__code=value).distinct().order_by("pk"))
    if kind == "dept_role":
        dept = department or submitter.department
        if dept is None:
            return []
        return list(_active().filter(department=dept, roles__code=value, roles__is_active=True).distinct().order_by("pk"))
    if kind == "dept_head":
        return department_heads(department or submitter.department)
    if kind == "superior_of_field":
        return superiors_of(_user_by_id(values.get(value)))
    if kind == "user_field":
        user = _user_by_id(values.get(value))
        return [user] if user else []
    return []


def fallback_queue(excluded: set[int]) -> list[User]:
    """Holders of the fallback permission (via an active role), minus the excluded users."""
    candidates = _active().filter(Q(roles__is_active=True)).distinct().order_by("pk").prefetch_related("roles")
    return [u for u in candidates if u.pk not in excluded and u.can(FALLBACK_PERMISSION)]
