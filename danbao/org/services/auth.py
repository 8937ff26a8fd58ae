"""Sign-in rules and the login log: who may sign in, password change, unlock, dormant accounts.

The login view asks `login_refusal` after the password was accepted and records every outcome with
exactly one "auth.*" security event (the audit administrator's login log reads them). Passwords and
OTP codes are never written anywhere.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from danbao.core.errors import ErrorCode
from danbao.core.events import security_event
from danbao.org import errors, lockout
from danbao.org.models import SecurityPolicy, User
from danbao.org.services.passwords import password_set
from danbao.org.services.sessions import EndReason, session_track, sessions_end_others
from danbao.org.services.users import end_user_sessions


class Reason:
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    IP_THROTTLED = "ip_throttled"
    DISABLED = "disabled"
    EXPIRED = "expired"
    SUPERUSER = "superuser"


def login_refusal(user: User) -> tuple[str, ErrorCode] | None:
    """Why an account whose password is right may still not sign in, or None."""
    if not user.is_active:
        return Reason.DISABLED, errors.LOGIN_DISABLED
    if user.is_superuser and not settings.DEBUG:
        return Reason.SUPERUSER, errors.LOGIN_SUPERUSER
    if user.valid_until and user.valid_until < timezone.localdate():
        return Reason.EXPIRED, errors.LOGIN_EXPIRED
    if user.must_change_password and user.temporary_password_expires_at and user.temporary_password_expires_at < timezone.now():
        return Reason.EXPIRED, errors.LOGIN_TEMPORARY_EXPIRED
    return None


@transaction.atomic
def login_record_success(*, user: User, session_key: str, ip_address: str | None, user_agent: str) -> None:
    """Track the new session and write "auth.login"."""
    tracked = session_track(user=user, session_key=session_key, ip_address=ip_address, user_agent=user_agent)
    security_event("auth.login", actor=user, object_type="org.User", object_id=user.pk, data={"session": tracked.pk})


@transaction.atomic
def login_record_failure(*, username: str, reason: str, locked: bool = False) -> None:
    """Write "auth.login_failed" (and "auth.locked" when this failure locked the account)."""
    user = User.objects.filter(username=username).first()
    fields = {"object_type": "org.User", "object_id": user.pk if user else "", "actor_username": username[:150]}
    security_event("auth.login_failed", result="failure", reason=reason, data={"username": username[:150]}, **fields)
    if locked:
        until = lockout.locked_until(username)
        security_event(
            "auth.locked",
            result="failure",
            reason=Reason.LOCKED,
            data={"username": username[:150], "locked_until": until.isoformat() if until else ""},
            **fields,
        )


def login_record_logout(*, user: User, session_key: str | None) -> None:
    """Mark the session ended and write "auth.logout" (before Django flushes the session)."""
    from danbao.org.models import UserSession

    with transaction.atomic():
        if session_key:
            for tracked in UserSession.objects.filter(session_key=session_key, ended_at__isnull=True):
                tracked.ended_at = timezone.now()
                tracked.end_reason = EndReason.LOGOUT
                tracked.save(update_fields=["ended_at", "end_reason"])
        security_event("auth.logout", actor=user, object_type="org.User", object_id=user.pk)


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str, current_session_key: str) -> int:
    """The user changes their own password; all their other sessions end. Returns how many ended."""
    if not actor.check_password(old_password):
        raise errors.OLD_PASSWORD_WRONG.error()
    if old_password == new_password:
        raise errors.PASSWORD_SAME.error()
    # password_set validates against the policy and writes the one event "account.password_changed".
    password_set(user=actor, raw_password=new_password, actor=actor)
    return sessions_end_others(user=actor, keep_key=current_session_key, reason=EndReason.PASSWORD_CHANGED)


@transaction.atomic
def account_unlock(*, actor: User, user: User) -> None:
    """Lift a sign-in lockout before it runs out (security administrator or user manager)."""
    if not (actor.can("security.user.unlock") or actor.can("org.user.manage")):
        raise errors.PERMISSION_DENIED.error()
    until = lockout.locked_until(user.username)
    if until is None:
        raise errors.NOT_LOCKED.error()
    lockout.failures_clear(user.username)
    security_event(
        "auth.unlocked",
        actor=actor,
        object_type="org.User",
        object_id=user.pk,
        data={"username": user.username, "locked_until": until.isoformat()},
    )


def dormant_accounts_disable(*, today: date | None = None) -> list[str]:
    """Nightly: disable accounts unused for the policy's days and accounts past their end date.

    Idempotent (only active accounts are looked at); demo accounts are exempt; one event per account.
    """
    policy = SecurityPolicy.current()
    now = timezone.now()
    today = today or timezone.localdate()
    cutoff = now - timedelta(days=policy.dormant_account_days)
    dormant = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    candidates = User.objects.filter(is_active=True, is_demo=False).filter(dormant | Q(valid_until__lt=today))
    disabled: list[str] = []
    for pk in candidates.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=pk)
            if not user.is_active:
                continue
            reason = "expired" if user.valid_until and user.valid_until < today else "dormant"
            user.is_active = False
            user.save(update_fields=["is_active"])
            ended = end_user_sessions(user, reason=reason)
            security_event(
                "user.disabled",
                actor=None,
                object_type="org.User",
                object_id=user.pk,
                reason=reason,
                data={
                    "username": user.username,
                    "last_login": user.last_login.isoformat() if user.last_login else "",
                    "valid_until": user.valid_until.isoformat() if user.valid_until else "",
                    "sessions_ended": ended,
                },
            )
            disabled.append(user.username)
    return disabled
