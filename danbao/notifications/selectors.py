"""Reads of the message centre: a user only ever sees their own recipient rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.notifications.models import MessageRecipient, MessageTemplate
from danbao.org.models import Department, Role, User


def unread_count_for(user: Any) -> int:
    """Number of unread messages of `user`: one COUNT on the (user, read_at) index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return MessageRecipient.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def inbox_for(user: Any) -> QuerySet[MessageRecipient]:
    """The user's messages with a `state` (unread/read/archived) to filter on; sender loaded in the same query."""
    state = Case(
        When(archived_at__isnull=False, then=Value("archived")),
        When(read_at__isnull=False, then=Value("read")),
        default=Value("unread"),
        output_field=CharField(),
    )
    return MessageRecipient.objects.filter(user_id=user.pk).select_related("message", "message__sender").annotate(state=state)


def recipient_get_for(user: Any, message_id: int) -> MessageRecipient:
    """The user's copy of message `message_id`; 404 when the user did not receive it."""
    row = inbox_for(user).filter(message_id=message_id).first()
    if row is None:
        raise Http404
    return row


def latest_unread_for(user: Any, limit: int = 5) -> list[MessageRecipient]:
    """The newest unread, unarchived messages for the workbench panel."""
    return list(
        MessageRecipient.objects.filter(user_id=user.pk, read_at__isnull=True, archived_at__isnull=True)
        .select_related("message", "message__sender")
        .order_by("-message__created_at", "-id")[:limit]
    )


def _department_ids(departments: Iterable[Department], include_subdepartments: bool) -> set[int]:
    depts = [d for d in departments if d.is_active]
    ids = {d.pk for d in depts}
    if include_subdepartments and depts:
        condition = Q()
        for dept in depts:
            condition |= Q(path__startswith=dept.path)
        ids |= set(Department.objects.filter(condition, is_active=True).values_list("pk", flat=True))
    return ids


def audience_users(
    *,
    users: Iterable[User] = (),
    roles: Iterable[Role] = (),
    departments: Iterable[Department] = (),
    include_subdepartments: bool = False,
) -> QuerySet[User]:
    """Active users named directly, holding one of the active `roles`, or in `departments` (deduplicated)."""
    user_ids = {u.pk for u in users}
    role_ids = {r.pk for r in roles if r.is_active}
    dept_ids = _department_ids(departments, include_subdepartments)
    if not (user_ids or role_ids or dept_ids):
        return User.objects.none()
    condition = Q(pk__in=user_ids) | Q(department_id__in=dept_ids)
    if role_ids:
        condition |= Q(pk__in=User.roles.through.objects.filter(role_id__in=role_ids).values("user_id"))
    today = timezone.localdate()
    valid = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    return User.objects.filter(condition, valid, is_active=True).order_by("pk")


def audience_description(
    *,
    users: Iterable[User] = (),
    roles: Iterable[Role] = (),
    departments: Iterable[Department] = (),
    include_subdepartments: bool = False,
) -> str:
    """A readable description of who was targeted, e.g. "角色：风险经理；部门：业务一部（含下级部门）"."""
    parts = []
    if roles:
        parts.append(_("Roles: %(names)s") % {"names": "、".join(r.name for r in roles)})
    if departments:
        names = "、".join(d.name for d in departments)
        label = _("Departments (with sub-departments): %(names)s") if include_subdepartments else _("Departments: %(names)s")
        parts.append(label % {"names": names})
    if users:
        parts.append(_("Users: %(names)s") % {"names": "、".join(u.real_name or u.username for u in users)})
    return "；".join(parts)[:500]


def template_list_for(user: Any) -> QuerySet[MessageTemplate]:
    """Message templates (system configuration, no data scope: the view requires system.template.manage)."""
    return MessageTemplate.objects.all()


def template_get_for(user: Any, pk: int) -> MessageTemplate:
    row = MessageTemplate.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def active_template(kind: str, channel: str) -> MessageTemplate | None:
    return MessageTemplate.objects.filter(kind=kind, channel=channel, is_active=True).first()
