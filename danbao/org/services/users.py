"""Account administration by the system administrator: create, edit, disable/enable, reset password.

Roles are not set here: granting roles is the security administrator's door (services/roles.py).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from danbao.core.events import security_event
from danbao.org import errors
from danbao.org.models import Department, Position, Role, User, UserSession
from danbao.org.services.departments import _check
from danbao.org.services.passwords import generate_temporary_password, password_set

LOGIN_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,30}$")
DEMO_LOGIN_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{2,30}$")
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
RESERVED_LOGIN_NAMES = frozenset({"admin", "root", "sa", "test", "demo", "administrator", "system"})
PROFILE_FIELDS = ("real_name", "employee_no", "mobile", "email", "department", "valid_until")


def mask_mobile(mobile: str) -> str:
    """138****0011: lists show masked numbers; the detail page shows the full one."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else mobile


def _validate_identity(*, user: User | None, employee_no: str, mobile: str, department: Department | None) -> None:
    if not employee_no or not mobile:
        raise errors.EMPLOYEE_NO_REQUIRED.error()
    if not MOBILE_RE.match(mobile):
        raise errors.MOBILE_INVALID.error()
    others = User.objects.exclude(pk=user.pk) if user is not None and user.pk else User.objects.all()
    if others.filter(employee_no=employee_no).exists():
        raise errors.EMPLOYEE_NO_TAKEN.error(employee_no=employee_no)
    if others.filter(mobile=mobile).exists():
        raise errors.MOBILE_TAKEN.error()
    if department is not None and not department.is_active and (user is None or user.department_id != department.pk):
        raise errors.DEPARTMENT_INACTIVE.error()


def validate_login_name(username: str, *, is_demo: bool = False) -> None:
    """Format, reserved names (SECURITY A.16: no admin/root/sa/test/demo accounts) and uniqueness."""
    if (username or "").lower() in RESERVED_LOGIN_NAMES and not is_demo:
        raise errors.LOGIN_NAME_RESERVED.error(username=username)
    # Demo accounts keep their documented short names (e.g. "gm"); real accounts need 3 characters.
    pattern = DEMO_LOGIN_NAME_RE if is_demo else LOGIN_NAME_RE
    if not pattern.match(username or ""):
        raise errors.LOGIN_NAME_INVALID.error()
    if User.objects.filter(username__iexact=username).exists():
        raise errors.LOGIN_NAME_TAKEN.error(username=username)


def end_user_sessions(user: User, *, reason: str) -> int:
    """Sign `user` out everywhere (the session service's door when present, else a local fallback)."""
    try:
        from danbao.org.services.sessions import sessions_end_others
    except ImportError:  # the login-security module is not installed yet
        sessions_end_others = None
    if sessions_end_others is not None:
        return sessions_end_others(user=user, keep_key="", reason=reason)
    keys = set(UserSession.objects.filter(user=user, ended_at__isnull=True).values_list("session_key", flat=True))
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.add(session.session_key)
    Session.objects.filter(session_key__in=keys).delete()
    for tracked in UserSession.objects.filter(user=user, ended_at__isnull=True):
        tracked.ended_at = timezone.now()
        tracked.end_reason = reason[:32]
        tracked.save(update_fields=["ended_at", "end_reason"])
    return len(keys)


def _profile(user: User) -> dict[str, Any]:
    return {
        "real_name": user.real_name,
        "employee_no": user.employee_no,
        "mobile": mask_mobile(user.mobile),
        "email": user.email,
        "department": user.department_id,
        "valid_until": user.valid_until.isoformat() if user.valid_until else None,
        "positions": sorted(p.code for p in user.positions.all()) if user.pk else [],
    }


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    real_name: str,
    employee_no: str,
    mobile: str,
    email: str = "",
    department: Department | None = None,
    positions: list[Position] | tuple[Position, ...] = (),
    valid_until: date | None = None,
    is_demo: bool = False,
) -> tuple[User, str]:
    """Create an account bound to a real person; returns it and its one-time password (shown once).

    The password must be changed at first sign-in and expires after the policy's hours (24 by default).
    """
    _check(actor, "org.user.manage")
    validate_login_name(username, is_demo=is_demo)
    _validate_identity(user=None, employee_no=employee_no, mobile=mobile, department=department)
    user = User(
        username=username,
        real_name=real_name,
        employee_no=employee_no,
        mobile=mobile,
        email=email,
        department=department,
        valid_until=valid_until,
        is_demo=is_demo,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.positions.set(positions)
    security_event(
        "user.created",
        actor=actor,
        object_type="org.User",
        object_id=user.pk,
        data={"username": username, "after": _profile(user), "demo": is_demo},
    )
    password = generate_temporary_password()
    password_set(user=user, raw_password=password, actor=actor, temporary=True)
    return user, password


@transaction.atomic
def user_update(*, actor: User, user: User, positions: list[Position] | None = None, **changes: Any) -> User:
    """Edit the profile of an account (never its login name, password or roles)."""
    _check(actor, "org.user.manage")
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _profile(user)
    for field, value in changes.items():
        setattr(user, field, value)
    _validate_identity(user=user, employee_no=user.employee_no or "", mobile=user.mobile, department=user.department)
    user.full_clean(exclude=["password"])
    user.save()
    if positions is not None:
        user.positions.set(positions)
    after = _profile(user)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changed:
        security_event(
            "user.changed", actor=actor, object_type="org.User", object_id=user.pk, data={"username": user.username, "changes": changed}
        )
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, reason: str) -> User:
    """Disable (signs the user out everywhere) or re-enable an account, with a reason."""
    _check(actor, "org.user.manage")
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error()
    if not active and user.pk == actor.pk:
        raise errors.CANNOT_DISABLE_SELF.error()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        raise errors.ALREADY_IN_STATE.error()
    user.is_active = active
    user.save(update_fields=["is_active"])
    ended = 0 if active else end_user_sessions(user, reason="disabled")
    security_event(
        "user.enabled" if active else "user.disabled",
        actor=actor,
        object_type="org.User",
        object_id=user.pk,
        reason=reason[:64],
        data={"username": user.username, "reason": reason[:500], "sessions_ended": ended},
    )
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User) -> str:
    """Give the user a new one-time password (returned, shown once) and end all their sessions."""
    _check(actor, "org.user.manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    password = generate_temporary_password()
    # password_set writes the one audit event of this action ("account.password_reset").
    password_set(user=user, raw_password=password, actor=actor, temporary=True)
    end_user_sessions(user, reason="password_reset")
    return password


@transaction.atomic
def admin_account_bootstrap(*, role: Role, username: str, real_name: str, employee_no: str, mobile: str) -> tuple[User, str]:
    """Create one of the three administrator accounts at installation (bootstrap_admins only).

    Refuses reserved names and a second active holder of the same administrator role.
    """
    if User.objects.filter(roles=role, is_active=True).exists():
        raise errors.ADMIN_EXISTS.error(role=role.name)
    user, password = user_create(actor=None, username=username, real_name=real_name, employee_no=employee_no, mobile=mobile)
    user.roles.set([role])
    security_event(
        "user.roles_changed",
        actor=None,
        object_type="org.User",
        object_id=user.pk,
        reason="bootstrap",
        data={"username": username, "before": [], "after": [role.code]},
    )
    return user, password
