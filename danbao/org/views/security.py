"""Security pages: policy, online users and forced logout, own sessions, unlock, two-factor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from danbao.core import stepup
from danbao.core.access import login_only, require_permission, safe_next_url
from danbao.core.errors import DomainError
from danbao.core.events import security_event
from danbao.core.listing import Column, ListSpec, render_list
from danbao.org.forms import OtpDisableForm, OtpTokenForm, ReauthForm, SecurityPolicyForm
from danbao.org.models import Role, SecurityPolicy, User
from danbao.org.services import auth as auth_services
from danbao.org.services import otp as otp_services
from danbao.org.services import policy as policy_services
from danbao.org.services import sessions as session_services

# ---------------------------------------------------------------- security policy


@require_permission("security.policy.manage")
def policy(request: HttpRequest) -> HttpResponse:
    """Edit the security policy and the per-role two-factor switches; shows the change history."""
    current = SecurityPolicy.current()
    form = SecurityPolicyForm(request.POST or None, instance=SecurityPolicy.current())
    roles = list(Role.objects.filter(is_active=True).order_by("admin_kind", "code"))
    if request.method == "POST" and form.is_valid():
        try:
            policy_services.policy_update(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            wanted = {int(pk) for pk in request.POST.getlist("require_2fa") if pk.isdigit()}
            for role in roles:
                if not role.admin_kind:
                    policy_services.role_require_2fa_set(actor=request.user, role=role, required=role.pk in wanted)  # type: ignore[arg-type]
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The security policy has been saved."))
            return redirect("org:policy")
    history = []
    records = list(current.history.select_related("history_user").order_by("-history_date", "-history_id")[:11])
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older)
        history.append(
            {
                "at": newer.history_date,
                "by": newer.history_user,
                "changes": [
                    {"field": SecurityPolicy._meta.get_field(c.field).verbose_name, "old": c.old, "new": c.new}
                    for c in delta.changes
                    if c.field != "updated_at"
                ],
            }
        )
    return render(request, "org/policy.html", {"form": form, "roles": roles, "history": [h for h in history if h["changes"]]})


# ---------------------------------------------------------------- online users (security administrator)


ONLINE_SPEC = ListSpec(
    name="online-users",
    columns=(
        Column("user__username", gettext_lazy("Login name"), sort_field="user__username"),
        Column("user__real_name", gettext_lazy("Real name"), sort_field="user__real_name"),
        Column("user__department__name", gettext_lazy("Department")),
        Column("ip_address", gettext_lazy("IP address")),
        Column("user_agent", gettext_lazy("Browser"), default=False),
        Column("created_at", gettext_lazy("Signed in"), sort_field="created_at", kind="datetime"),
        Column("last_activity_at", gettext_lazy("Last activity"), sort_field="last_activity_at", kind="datetime"),
    ),
    search_fields=("user__username", "user__real_name", "ip_address"),
    search_placeholder=gettext_lazy("Login name, name or IP address"),
    default_sort="-last_activity_at",
    select_related=("user", "user__department"),
)


@require_permission("security.session.manage")
def online_users(request: HttpRequest) -> HttpResponse:
    """Everyone signed in now, with forced logout."""
    queryset = session_services.online_session_list_for(request.user)  # type: ignore[arg-type]
    return render_list(request, ONLINE_SPEC, queryset, "org/online_users.html", {"current_key": request.session.session_key})


@require_POST
@require_permission("security.session.manage")
def session_force_end(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        tracked = session_services.session_force_end(actor=request.user, session_id=pk)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(user)s has been signed out.") % {"user": tracked.user})
    return redirect("org:online-users")


# ---------------------------------------------------------------- own sessions


@login_only
def own_sessions(request: HttpRequest) -> HttpResponse:
    rows = list(session_services.session_list_for(request.user))  # type: ignore[arg-type]
    return render(request, "org/sessions.html", {"sessions": rows, "current_key": request.session.session_key})


@require_POST
@login_only
def own_session_end(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        session_services.session_end_own(actor=request.user, session_id=pk, current_key=request.session.session_key or "")  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The session has been signed out."))
    return redirect("org:sessions")


@require_POST
@login_only
def own_sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = session_services.sessions_end_own_others(actor=request.user, current_key=request.session.session_key or "")  # type: ignore[arg-type]
    messages.success(request, _("%(count)d other sessions have been signed out.") % {"count": count})
    return redirect("org:sessions")


# ---------------------------------------------------------------- unlock


@require_POST
@require_permission("security.user.unlock", "org.user.manage")
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404
    try:
        auth_services.account_unlock(actor=request.user, user=account)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(user)s has been unlocked.") % {"user": account})
    try:
        return redirect(reverse("org:user-detail", args=[account.pk]))
    except NoReverseMatch:
        return redirect("org:online-users")


# ---------------------------------------------------------------- two-factor


def _next(request: HttpRequest) -> str:
    return safe_next_url(request, default=reverse("core:workbench"))


@never_cache
@login_only
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code and key, confirmed with a first code; backup codes once."""
    user: User = request.user  # type: ignore[assignment]
    if otp_services.otp_enrolled(user):
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("org:profile")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp_services.totp_setup_confirm(actor=user, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", exc.message)
        else:
            otp_login(request, otp_services.totp_device_for(user))
            return render(request, "org/otp_backup_codes.html", {"codes": codes, "next": _next(request)})
    enrolment = otp_services.totp_setup_begin(actor=user)
    context: dict[str, Any] = {
        "form": form,
        "enrolment": enrolment,
        "mandatory": otp_services.otp_mandatory(user),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "org/otp_setup.html", context)


@sensitive_post_parameters("token")
@never_cache
@login_only
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of the sign-in for users with an authenticator."""
    user: User = request.user  # type: ignore[assignment]
    if not otp_services.otp_enrolled(user):
        return redirect("org:otp-setup")
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_next(request))
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_services.otp_verify(actor=user, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", exc.message)
        else:
            otp_login(request, device)
            stepup.mark(request)
            return HttpResponseRedirect(_next(request))
    return render(request, "org/otp_verify.html", {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")})


@sensitive_post_parameters("password")
@require_POST
@login_only
def otp_disable(request: HttpRequest) -> HttpResponse:
    form = OtpDisableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter your password."))
        return redirect("org:profile")
    try:
        otp_services.otp_disable(actor=request.user, password=form.cleaned_data["password"])  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Two-factor authentication has been turned off."))
    return redirect("org:profile")


# ---------------------------------------------------------------- step-up


REAUTH_MAX_FAILURES = 5


@sensitive_post_parameters("password")
@never_cache
@login_only
def reauth(request: HttpRequest) -> HttpResponse:
    """Re-enter the password (or an authenticator code) before a sensitive action (SECURITY A.18)."""
    user: User = request.user  # type: ignore[assignment]
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = form.cleaned_data["password"]
        ok = user.check_password(secret)
        if not ok and otp_services.otp_enrolled(user) and secret.isdigit():
            try:
                otp_services.otp_verify(actor=user, token=secret)
                ok = True
            except DomainError:
                ok = False
        if ok:
            stepup.mark(request)
            request.session.pop("danbao_reauth_failures", None)
            security_event("auth.reauthenticated", actor=user, object_type="org.User", object_id=user.pk)
            return HttpResponseRedirect(_next(request))
        failures = int(request.session.get("danbao_reauth_failures", 0)) + 1
        request.session["danbao_reauth_failures"] = failures
        security_event(
            "auth.reauth_failed", actor=user, result="failure", reason="bad_credentials", object_type="org.User", object_id=user.pk
        )
        if failures >= REAUTH_MAX_FAILURES:
            from django.contrib.auth import logout

            logout(request)
            messages.error(request, _("Too many wrong entries: you have been signed out."))
            return redirect("org:login")
        form.add_error("password", _("The password or code is not correct."))
    return render(request, "org/reauth.html", {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")})
