"""Function-level gate for views: login plus a permission code; a refusal is logged (SECURITY B.35)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from danbao.core.events import security_event

View = Callable[..., HttpResponse]


def require_permission(*codes: str) -> Callable[[View], View]:
    """The user must be signed in and hold at least one of `codes`; else login redirect or 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if codes and not any(user.can(code) for code in codes):  # type: ignore[union-attr]
                security_event(
                    "access.denied",
                    request=request,
                    result="failure",
                    reason="permission",
                    data={"path": request.path, "required": list(codes)},
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permissions = codes  # type: ignore[attr-defined]
        return wrapped

    return decorator


def login_only(view: View) -> View:
    """Any signed-in user (pages such as the workbench, own profile, own messages)."""
    return require_permission()(view)


def safe_next_url(request: HttpRequest, candidate: str | None = None, default: str = "/") -> str:
    """Where to go after a form: `candidate` (default: the `next` parameter) when it stays on this
    site, else `default` — never an open redirect (SECURITY E.61)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = candidate if candidate is not None else (request.POST.get("next") or request.GET.get("next") or "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
