"""Signed-in sessions: tracking, the user's own session list, ending one, others or all, forced logout.

A UserSession row mirrors one Django DB session. Ending a session deletes the Django session row (the
cookie becomes worthless at once) and marks the UserSession ended with a reason.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from danbao.core.events import security_event
from danbao.org import errors
from danbao.org.models import User, UserSession

ACTIVITY_GRANULARITY = timedelta(minutes=1)  # last_activity_at is written at most once a minute


class EndReason:
    LOGOUT = "logout"
    IDLE = "idle_timeout"
    ABSOLUTE = "absolute_timeout"
    BY_USER = "ended_by_user"
    FORCED = "forced_logout"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  (a reason code, not a password)


def session_track(*, user: User, session_key: str, ip_address: str | None, user_agent: str) -> UserSession:
    """The tracking row of a session, created on first sight (login or the first request after it)."""
    tracked = UserSession.objects.filter(session_key=session_key).first()
    if tracked is not None:
        return tracked
    try:
        with transaction.atomic():
            return UserSession.objects.create(
                user=user,
                session_key=session_key,
                ip_address=ip_address or None,
                user_agent=(user_agent or "")[:255],
                last_activity_at=timezone.now(),
            )
    except IntegrityError:  # two parallel first requests of the same session
        return UserSession.objects.get(session_key=session_key)


def session_touch(tracked: UserSession) -> None:
    """Record activity, at most once a minute (UserSession is not an audited model)."""
    now = timezone.now()
    if now - tracked.last_activity_at >= ACTIVITY_GRANULARITY:
        UserSession.objects.filter(pk=tracked.pk).update(last_activity_at=now)
        tracked.last_activity_at = now


def _end(sessions: list[UserSession], reason: str) -> int:
    """Delete the Django sessions and mark the tracking rows ended; returns how many were ended."""
    now = timezone.now()
    Session.objects.filter(session_key__in=[s.session_key for s in sessions]).delete()
    for tracked in sessions:
        tracked.ended_at = now
        tracked.end_reason = reason[:32]
        tracked.save(update_fields=["ended_at", "end_reason"])
    return len(sessions)


def session_list_for(user: User) -> QuerySet[UserSession]:
    """The user's own active sessions, newest activity first."""
    return UserSession.objects.filter(user=user, ended_at__isnull=True).order_by("-last_activity_at")


def online_session_list_for(actor: User) -> QuerySet[UserSession]:
    """All active sessions, for the security administrator's online-users page."""
    if not actor.can("security.session.manage"):
        return UserSession.objects.none()
    return UserSession.objects.filter(ended_at__isnull=True).select_related("user", "user__department").order_by("-last_activity_at")


def session_end_expired(*, user: User, tracked: UserSession, reason: str) -> None:
    """End a session because of the idle or absolute timeout (called by the middleware)."""
    with transaction.atomic():
        _end([tracked], reason)
        security_event(
            "auth.session_ended",
            actor=user,
            object_type="org.UserSession",
            object_id=tracked.pk,
            reason=reason,
            data={"username": user.username},
        )


@transaction.atomic
def session_end_own(*, actor: User, session_id: int, current_key: str) -> None:
    """The user ends one of their own other sessions."""
    tracked = session_list_for(actor).filter(pk=session_id).first()
    if tracked is None:
        raise errors.SESSION_NOT_FOUND.error()
    if tracked.session_key == current_key:
        raise errors.SESSION_IS_CURRENT.error()
    _end([tracked], EndReason.BY_USER)
    security_event(
        "auth.session_ended",
        actor=actor,
        object_type="org.UserSession",
        object_id=tracked.pk,
        reason=EndReason.BY_USER,
        data={"username": actor.username, "ip_address": tracked.ip_address},
    )


def sessions_end_others(*, user: User, keep_key: str, reason: str) -> int:
    """End every session of `user` except `keep_key`; runs in the caller's transaction, no event."""
    others = list(session_list_for(user).exclude(session_key=keep_key))
    # Sessions created before tracking existed: find them by the user id stored in the session.
    tracked_keys = {s.session_key for s in UserSession.objects.filter(user=user)}
    stray = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep_key).iterator()
        if s.session_key not in tracked_keys and str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=stray).delete()
    return _end(others, reason) + len(stray)


@transaction.atomic
def sessions_end_own_others(*, actor: User, current_key: str) -> int:
    """ "Sign out everywhere else": end all the user's sessions except the current one."""
    count = sessions_end_others(user=actor, keep_key=current_key, reason=EndReason.BY_USER)
    security_event(
        "auth.session_ended",
        actor=actor,
        object_type="org.User",
        object_id=actor.pk,
        reason=EndReason.BY_USER,
        data={"username": actor.username, "sessions_ended": count, "scope": "others"},
    )
    return count


@transaction.atomic
def session_force_end(*, actor: User, session_id: int) -> UserSession:
    """The security administrator ends someone's session (forced logout)."""
    if not actor.can("security.session.manage"):
        raise errors.PERMISSION_DENIED.error()
    tracked = UserSession.objects.select_for_update().filter(pk=session_id).select_related("user").first()
    if tracked is None or tracked.ended_at is not None:
        raise errors.SESSION_NOT_FOUND.error()
    _end([tracked], EndReason.FORCED)
    security_event(
        "auth.session_ended",
        actor=actor,
        object_type="org.UserSession",
        object_id=tracked.pk,
        reason=EndReason.FORCED,
        data={"username": tracked.user.username, "ip_address": tracked.ip_address},
    )
    return tracked
