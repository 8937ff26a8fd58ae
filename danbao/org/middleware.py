"""Account security on every request of a signed-in user (SECURITY A.4, A.8, A.12, A.13).

In order: the session must still exist (forced logout), be younger than the absolute limit and not
idle too long; then a user who must change the password may reach only that page; then a user who
needs a second factor may reach only the two-factor pages until verified. API and htmx requests get
403 (or an HX-Redirect) instead of a page redirect. Polling requests (header X-Danbao-Poll: 1) do not
count as activity.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.org import lockout
from danbao.org.models import SecurityPolicy
from danbao.org.services import sessions
from danbao.org.services.otp import otp_enrolled, otp_mandatory
from danbao.org.services.passwords import password_expired

POLL_HEADER = "HTTP_X_DANBAO_POLL"


def _always_open() -> tuple[str, ...]:
    return (
        reverse("org:logout"),
        reverse("set_language"),
        reverse("core:healthz"),
        settings.STATIC_URL,
    )


def _is_background(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or bool(getattr(request, "htmx", False)) or request.headers.get("HX-Request") == "true"


def _refuse(request: HttpRequest, target: str, message: str) -> HttpResponse:
    """A redirect for pages; 403 (with HX-Redirect for htmx) for API and htmx requests."""
    if _is_background(request):
        response: HttpResponse = JsonResponse({"code": "org.account_action_required", "message": message}, status=403)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not request.session.session_key:
            return self.get_response(request)
        policy = SecurityPolicy.current()
        tracked = sessions.session_track(
            user=user,  # type: ignore[arg-type]
            session_key=request.session.session_key,
            ip_address=lockout.client_ip(request) or None,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        now = timezone.now()
        if tracked.ended_at is not None:
            return self._signed_out(request, "ended")
        if now - tracked.created_at > timedelta(seconds=settings.SESSION_COOKIE_AGE):
            sessions.session_end_expired(user=user, tracked=tracked, reason=sessions.EndReason.ABSOLUTE)  # type: ignore[arg-type]
            return self._signed_out(request, "absolute")
        privileged = any(role.admin_kind for role in user.active_roles)  # type: ignore[union-attr]
        idle = policy.privileged_idle_timeout_minutes if privileged else policy.idle_timeout_minutes
        if now - tracked.last_activity_at > timedelta(minutes=idle):
            sessions.session_end_expired(user=user, tracked=tracked, reason=sessions.EndReason.IDLE)  # type: ignore[arg-type]
            return self._signed_out(request, "idle")
        if request.META.get(POLL_HEADER) != "1":
            sessions.session_touch(tracked)

        path = request.path
        open_paths = _always_open()
        if path.startswith(open_paths):
            return self.get_response(request)

        enrolled = otp_enrolled(user)  # type: ignore[arg-type]
        verified = user.is_verified()  # type: ignore[union-attr]
        verify_url, setup_url = reverse("org:otp-verify"), reverse("org:otp-setup")
        # An enrolled user proves the second factor first, so a password alone cannot change the password.
        if enrolled and not verified:
            return self._gate(request, verify_url, (verify_url,))
        if user.must_change_password or password_expired(user, policy):  # type: ignore[arg-type]
            target = reverse("org:password-change")
            if path != target:
                return _refuse(request, target, _("Please change your password before you continue."))
            return self.get_response(request)
        if not verified and otp_mandatory(user, policy):  # type: ignore[arg-type]
            return self._gate(request, setup_url, (setup_url, verify_url))
        return self.get_response(request)

    def _gate(self, request: HttpRequest, target: str, allowed: tuple[str, ...]) -> HttpResponse:
        """Only the two-factor pages in `allowed` are reachable until the user is verified."""
        if request.path in allowed:
            return self.get_response(request)
        if request.method == "GET" and not _is_background(request):
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return _refuse(request, target, _("Please complete two-factor authentication first."))

    @staticmethod
    def _signed_out(request: HttpRequest, reason: str) -> HttpResponse:
        """Sign out and send to the login page, which explains why (?reason=…; see views.auth)."""
        logout(request)
        query = {"reason": reason}
        if request.method == "GET" and not _is_background(request):
            query["next"] = request.get_full_path()
        target = f"{reverse('org:login')}?{urlencode(query)}"
        if _is_background(request):
            response = HttpResponse(status=401)
            response["HX-Redirect"] = reverse("org:login")
            return response
        return HttpResponseRedirect(target)
