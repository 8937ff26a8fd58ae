"""Sign-in, sign-out, password change and the lockout page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from danbao.core.access import login_only
from danbao.org.forms import LoginForm, PasswordChangeForm
from danbao.org.models import SecurityPolicy


class LoginView(auth_views.LoginView):
    template_name = "org/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "org/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("core:workbench")


def locked_out(request: HttpRequest) -> HttpResponse:
    """Shown (with status 403) while the account is locked after too many failed logins."""
    minutes = SecurityPolicy.current().lockout_minutes
    return render(request, "org/locked_out.html", {"minutes": minutes}, status=403)


@login_only
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "org/profile.html", {"account": request.user})
