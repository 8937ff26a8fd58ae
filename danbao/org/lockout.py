"""django-axes hooks: lockout limits from the security policy and a clear lockout message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from danbao.org.models import SecurityPolicy


def failure_limit(request: HttpRequest | None = None, credentials: Any = None) -> int:
    return SecurityPolicy.current().lockout_threshold


def cooloff_time(request: HttpRequest | None = None) -> timedelta:
    return timedelta(minutes=SecurityPolicy.current().lockout_minutes)


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    from danbao.org.views.auth import locked_out

    return locked_out(request)


__all__ = ["failure_limit", "cooloff_time", "lockout_response", "render"]
