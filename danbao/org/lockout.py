"""Sign-in throttling: per-account lockout (django-axes, limits from the security policy) and per-IP throttling.

Axes counts failures per login name, whether or not the name exists, so unknown and real accounts
behave identically (no enumeration). Per-IP throttling is a cache counter: it survives neither a
restart nor a second cache, which is acceptable for a brake on password spraying.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt
from django.core.cache import cache
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from danbao.org.models import SecurityPolicy, User

IP_KEY = "org:login-failures:ip:{ip}"


def failure_limit(request: HttpRequest | None = None, credentials: Any = None) -> int:
    return SecurityPolicy.current().lockout_threshold


def cooloff_time(request: HttpRequest | None = None) -> timedelta:
    return timedelta(minutes=SecurityPolicy.current().lockout_minutes)


def locked_until(username: str) -> datetime | None:
    """When the lock on `username` ends, or None when it is not locked (same rule as axes)."""
    if not username:
        return None
    policy = SecurityPolicy.current()
    since = timezone.now() - timedelta(minutes=policy.lockout_minutes)
    stats = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    if (stats["failures"] or 0) >= policy.lockout_threshold and stats["last"] is not None:
        return stats["last"] + timedelta(minutes=policy.lockout_minutes)
    return None


def is_locked(user: User) -> datetime | None:
    """Lock status for the user pages: the unlock time, or None."""
    return locked_until(user.username)


def failures_clear(username: str) -> int:
    """Forget the failed attempts of `username` (used by the unlock service)."""
    deleted, _detail = AccessAttempt.objects.filter(username=username).delete()
    return deleted


def client_ip(request: HttpRequest) -> str:
    return (request.META.get("REMOTE_ADDR") or "").strip()


def ip_failure_register(ip: str) -> int:
    """Count one failed sign-in from `ip` in the policy's lockout window; returns the new count."""
    if not ip:
        return 0
    key = IP_KEY.format(ip=ip)
    window = SecurityPolicy.current().lockout_minutes * 60
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def ip_throttled(ip: str) -> bool:
    """True when `ip` has reached the policy's failure limit across all login names."""
    return bool(ip) and (cache.get(IP_KEY.format(ip=ip)) or 0) >= SecurityPolicy.current().ip_failure_limit


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Axes calls this when an attempt has just locked the account: the page with the unlock time."""
    from danbao.org.views.auth import locked_out

    credentials = kwargs.get("credentials") or (args[-1] if args and isinstance(args[-1], dict) else None) or {}
    username = credentials.get("username") or request.POST.get("username", "")
    return locked_out(request, username=username)
