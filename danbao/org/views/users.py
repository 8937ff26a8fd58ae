"""Account pages of the system administrator: list/export, detail, create, edit, disable/enable, reset.

One-time passwords are rendered straight into the response of the POST that created them (never
stored, never redirected through the session) with `Cache-Control: no-store`, so they are shown once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.org.forms_admin import ReasonForm, UserForm
from danbao.org.models import Department, Role, User
from danbao.org.selectors import user_get, user_list, user_lock_state
from danbao.org.services import users as services


def _department_choices(user: Any) -> list[tuple[int, str]]:
    return [(d.pk, "\u3000" * d.depth + d.name) for d in Department.objects.order_by("path")]


def _role_choices(user: Any) -> list[tuple[int, str]]:
    return [(r.pk, r.name) for r in Role.objects.order_by("code")]


def _row_actions(obj: User, user: Any) -> list[tuple[str, str]]:
    # The login name already links to the account page; managers also get a direct edit link.
    return [(_("Edit"), reverse("org:user-edit", args=[obj.pk]))] if user.can("org.user.manage") else []


USER_LIST = ListSpec(
    name="org-users",
    columns=[
        Column("username", gettext_lazy("Login name"), sort_field="username", link=lambda u: reverse("org:user-detail", args=[u.pk])),
        Column("real_name", gettext_lazy("Real name"), sort_field="real_name"),
        Column("employee_no", gettext_lazy("Employee number"), sort_field="employee_no"),
        Column("mobile", gettext_lazy("Mobile"), display=lambda u: services.mask_mobile(u.mobile)),
        Column("email", gettext_lazy("E-mail"), sort_field="email", default=False),
        Column("department__name", gettext_lazy("Department"), sort_field="department__path"),
        Column("roles", gettext_lazy("Roles held"), display=lambda u: "、".join(r.name for r in u.roles.all())),
        Column("is_active", gettext_lazy("Active"), sort_field="is_active", kind="bool"),
        Column("is_locked", gettext_lazy("Locked"), kind="bool"),
        Column("last_login", gettext_lazy("Last sign-in"), sort_field="last_login", kind="datetime"),
        Column("valid_until", gettext_lazy("Valid until"), sort_field="valid_until", kind="date", default=False),
        Column("is_demo", gettext_lazy("Demo account"), kind="bool", default=False),
    ],
    filters=[
        Filter("department", gettext_lazy("Department"), "department", _department_choices),
        Filter("role", gettext_lazy("Role"), "roles", _role_choices),
        Filter("active", gettext_lazy("Status"), "is_active", [("True", gettext_lazy("Active")), ("False", gettext_lazy("Disabled"))]),
        Filter("locked", gettext_lazy("Lockout"), "is_locked", [("True", gettext_lazy("Locked")), ("False", gettext_lazy("Not locked"))]),
    ],
    search_fields=["username", "real_name", "mobile", "employee_no"],
    search_placeholder=gettext_lazy("Login name, name, mobile or employee number"),
    default_sort="username",
    select_related=["department"],
    export_name=gettext_lazy("Users"),
    export_permission="org.user.export",
    row_actions=_row_actions,
)


@require_permission("org.user.view")
def user_list_view(request: HttpRequest) -> HttpResponse:
    return render_list(request, USER_LIST, user_list(), "org/user_list.html")


@require_permission("org.user.view")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = user_get(pk)
    try:
        unlock_url = reverse("org:user-unlock", args=[account.pk])
    except NoReverseMatch:
        unlock_url = ""
    locked, locked_until = user_lock_state(account)
    password_age = (timezone.now() - account.password_changed_at).days if account.password_changed_at else None
    context = {
        "account": account,
        "locked": locked,
        "locked_until": locked_until,
        "unlock_url": unlock_url,
        "password_age": password_age,
        "is_self": account.pk == request.user.pk,
    }
    return render(request, "org/user_detail.html", context)


def _profile_data(form: UserForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["email"] = data.get("email") or ""
    return data


@never_cache
@require_permission("org.user.manage")
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.user_create(actor=request.user, **_profile_data(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            context = {"account": account, "password": password, "created": True}
            return render(request, "org/user_password.html", context)
    return render(request, "org/user_form.html", {"form": form, "account": None})


@require_permission("org.user.manage")
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = user_get(pk)
    initial = {
        "real_name": account.real_name,
        "employee_no": account.employee_no,
        "mobile": account.mobile,
        "email": account.email,
        "department": account.department_id,
        "positions": list(account.positions.all()),
        "valid_until": account.valid_until,
    }
    form = UserForm(request.POST or None, initial=initial, editing=True, current_department=account.department)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=account, **_profile_data(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Account %(user)s saved.") % {"user": account.username})
            return redirect("org:user-detail", pk=account.pk)
    return render(request, "org/user_form.html", {"form": form, "account": account})


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    account = user_get(pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_active(actor=request.user, user=account, active=active, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            text = _("Account %(user)s enabled.") if active else _("Account %(user)s disabled and signed out everywhere.")
            messages.success(request, text % {"user": account.username})
        return redirect("org:user-detail", pk=account.pk)
    return render(request, "org/user_status.html", {"form": form, "account": account, "enable": active})


@require_permission("org.user.manage")
def user_disable(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@require_permission("org.user.manage")
def user_enable(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


@never_cache
@require_POST
@require_permission("org.user.manage")
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = user_get(pk)
    try:
        password = services.user_reset_password(actor=request.user, user=account)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("org:user-detail", pk=account.pk)
    return render(request, "org/user_password.html", {"account": account, "password": password, "created": False})
