"""Unread message count for the top bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "htmx", False):
        return {}
    from danbao.notifications.selectors import unread_count_for

    return {"unread_count": unread_count_for(user)}
