"""Sign-in, sign-out, password change, the lockout page and the user's own account page."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from danbao.core import stepup
from danbao.core.access import login_only, safe_next_url
from danbao.core.errors import DomainError
from danbao.org import errors, lockout
from danbao.org.forms import LoginForm, PasswordChangeForm
from danbao.org.models import SecurityPolicy, User
from danbao.org.services import auth as auth_services
from danbao.org.services.otp import backup_codes_left, otp_enrolled, otp_mandatory
from danbao.org.services.passwords import password_expired
from danbao.org.services.sessions import session_list_for


def _reason_messages() -> dict[str, str]:
    """Why the user landed on the login page (?reason=… from the account-security middleware)."""
    return {
        "idle": _("Your session has timed out because of inactivity. Please sign in again."),
        "absolute": _("Your session has reached its maximum length. Please sign in again."),
        "ended": _("Your session was ended. Please sign in again."),
    }


def _safe_next(request: HttpRequest) -> str:
    return safe_next_url(request, default=reverse("core:workbench"))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Password step of the sign-in; the middleware then asks for the second factor when needed."""
    if request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request))
    notice = _reason_messages().get(request.GET.get("reason", ""), "")
    form = LoginForm(request)
    status = 200
    error = ""
    if request.method == "POST":
        # The pre-checks come before the form is bound: binding a styled form validates it, which
        # authenticates (and would count a failure).
        username = request.POST.get("username", "").strip()[:150]
        ip = lockout.client_ip(request)
        until = lockout.locked_until(username)
        if lockout.ip_throttled(ip):
            auth_services.login_record_failure(username=username, reason=auth_services.Reason.IP_THROTTLED)
            error = _("Too many failed sign-in attempts from your network. Please try again later.")
            status = 429
        elif until is not None:
            # Locked: the password is not even checked, so a right one is refused too (SECURITY A.6).
            auth_services.login_record_failure(username=username, reason=auth_services.Reason.LOCKED)
            return locked_out(request, username=username)
        elif (form := LoginForm(request, data=request.POST)).is_valid():
            user: User = form.get_user()
            refusal = auth_services.login_refusal(user)
            if refusal is None:
                login(request, user)
                stepup.mark(request)
                auth_services.login_record_success(
                    user=user,
                    session_key=request.session.session_key or "",
                    ip_address=ip or None,
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
                return HttpResponseRedirect(_safe_next(request))
            reason, code = refusal
            auth_services.login_record_failure(username=username, reason=reason)
            error = str(code.message)
        else:
            reason = auth_services.Reason.BAD_CREDENTIALS
            account = User.objects.filter(username=username).first()
            if account is not None and not account.is_active and account.check_password(request.POST.get("password", "")):
                # The right password for a disabled account may say so; a wrong one may not.
                reason = auth_services.Reason.DISABLED
                error = str(errors.LOGIN_DISABLED.message)
            lockout.ip_failure_register(ip)
            # django-axes counted the failure; when it locked the account its middleware shows the lock page.
            locked = bool(getattr(request, "axes_locked_out", False))
            auth_services.login_record_failure(username=username, reason=reason, locked=locked)
    return render(
        request,
        "org/login.html",
        {
            "form": LoginForm(request, initial={"username": request.POST.get("username", "")[:150]}) if error else form,
            "error": error,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "notice": notice,
        },
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        auth_services.login_record_logout(user=request.user, session_key=request.session.session_key)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("org:login")


def locked_out(request: HttpRequest, username: str = "") -> HttpResponse:
    """Shown (with status 403) while the account is locked after too many failed logins."""
    until: datetime | None = lockout.locked_until(username) if username else None
    minutes = SecurityPolicy.current().lockout_minutes
    until_text = time_format(timezone.localtime(until), "H:i") if until else ""
    return render(request, "org/locked_out.html", {"minutes": minutes, "until": until_text}, status=403)


@sensitive_post_parameters()
@login_only
def password_change(request: HttpRequest) -> HttpResponse:
    """Change own password (forced at first login, after a reset and when the password is too old)."""
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ended = auth_services.password_change(
                actor=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                current_session_key=request.session.session_key or "",
            )
        except DomainError as exc:
            field = "old_password" if exc.code in ("org.old_password_wrong",) else "new_password1"
            form.add_error(field, exc.message)
        else:
            update_session_auth_hash(request, user)
            text = _("Your password has been changed.")
            if ended:
                text += " " + _("%(count)d other sessions were signed out.") % {"count": ended}
            messages.success(request, text)
            return redirect("org:profile")
    reason = ""
    if user.must_change_password:
        reason = _("You are using a temporary password. Choose your own password to continue.")
    elif password_expired(user):
        reason = _("Your password has expired. Choose a new password to continue.")
    return render(request, "org/password_change.html", {"form": form, "reason": reason})


@login_only
def profile(request: HttpRequest) -> HttpResponse:
    """My account: roles, department, password age, two-factor status, sessions."""
    user: User = request.user  # type: ignore[assignment]
    policy = SecurityPolicy.current()
    age_days = (timezone.now() - user.password_changed_at).days if user.password_changed_at else None
    context = {
        "account": user,
        "password_age_days": age_days,
        "password_days_left": (policy.password_max_age_days - age_days) if age_days is not None else None,
        "otp_enrolled": otp_enrolled(user),
        "otp_mandatory": otp_mandatory(user, policy),
        "backup_codes_left": backup_codes_left(user),
        "session_count": session_list_for(user).count(),
    }
    return render(request, "org/profile.html", context)
