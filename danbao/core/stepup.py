"""Step-up authentication (SECURITY A.18): sensitive actions need the password (or an authenticator
code) entered within the last few minutes — exports of personal data, unmasking, changing one's own
contact data or second factor. Signing in counts as entering it. The re-entry page is `org:reauth`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

SESSION_KEY = "danbao_auth_at"
WINDOW = timedelta(minutes=5)


def mark(request: HttpRequest) -> None:
    """Record that the user has just proved their identity (sign-in, re-entry, second factor)."""
    request.session[SESSION_KEY] = timezone.now().timestamp()


def is_recent(request: HttpRequest) -> bool:
    stamp = request.session.get(SESSION_KEY)
    if stamp is None:
        return False
    return timezone.now().timestamp() - float(stamp) <= WINDOW.total_seconds()


def challenge(request: HttpRequest) -> HttpResponse:
    """Send the user to the re-entry page and back to where they were (htmx: a client redirect)."""
    target = request.get_full_path()
    if request.method != "GET":
        target = request.META.get("HTTP_REFERER", "") or "/"
    url = f"{reverse('org:reauth')}?next={quote(target, safe='')}"
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


def require_recent_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: challenge unless the password was entered within WINDOW."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not is_recent(request):
            return challenge(request)
        return view(request, *args, **kwargs)

    return wrapped
