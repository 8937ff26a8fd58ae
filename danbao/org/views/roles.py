"""Role pages of the system administrator: list, create/edit a business role, deactivate/re-activate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.org import permissions as p
from danbao.org.forms_admin import RoleForm
from danbao.org.models import Role
from danbao.org.selectors import business_permission_groups, role_get, role_list
from danbao.org.services import roles as services


def _form(request: HttpRequest, role: Role | None) -> RoleForm:
    initial: dict[str, Any] = {"data_scope": "self"}
    if role is not None:
        initial = {
            "name": role.name,
            "description": role.description,
            "data_scope": role.data_scope,
            "departments": list(role.custom_departments.all()),
            "permissions": list(role.permissions),
        }
    return RoleForm(request.POST or None, initial=initial, editing=role is not None)


def _context(form: RoleForm, role: Role | None) -> dict[str, Any]:
    if form.is_bound:
        checked = set(form.data.getlist("permissions"))
    else:
        checked = set(form.initial.get("permissions", []))
    groups = [
        {
            "key": g.key,
            "label": g.label,
            "permissions": [{"code": c, "label": label, "checked": c in checked} for c, label in g.permissions],
        }
        for g in business_permission_groups()
    ]
    for group in groups:
        group["all_checked"] = bool(group["permissions"]) and all(perm["checked"] for perm in group["permissions"])
    return {"form": form, "role": role, "groups": groups}


@require_permission("org.role.manage")
def role_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "org/role_list.html", {"roles": role_list()})


@require_permission("org.role.manage")
def role_create(request: HttpRequest) -> HttpResponse:
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = services.role_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                description=data["description"],
                data_scope=data["data_scope"],
                permissions=data["permissions"],
                departments=data["departments"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Role %(name)s created.") % {"name": role.name})
            return redirect("org:role-list")
    return render(request, "org/role_form.html", _context(form, None))


@require_permission("org.role.manage")
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = role_get(pk)
    if role.admin_kind:
        # The administrator roles are read-only: show what they hold, no form.
        labels = p.all_codes()
        rows = [(code, labels.get(code, code)) for code in role.permissions]
        return render(request, "org/role_readonly.html", {"role": role, "permission_rows": rows})
    form = _form(request, role)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_update(
                actor=request.user,
                role=role,
                name=data["name"],
                description=data["description"],
                data_scope=data["data_scope"],
                permissions=data["permissions"],
                departments=data["departments"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Role %(name)s saved; holders get the change on their next request.") % {"name": role.name})
            return redirect("org:role-list")
    return render(request, "org/role_form.html", _context(form, role))


@require_POST
@require_permission("org.role.manage")
def role_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    role = role_get(pk)
    try:
        services.role_set_active(actor=request.user, role=role, active=not role.is_active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = _("Role %(name)s re-activated.") if not role.is_active else _("Role %(name)s deactivated.")
        messages.success(request, text % {"name": role.name})
    return redirect("org:role-list")
