"""Role grants (security administrator): who holds which role, and setting a user's business roles."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.org.forms_admin import GrantForm
from danbao.org.selectors import user_get, user_list
from danbao.org.views.users import _department_choices, _role_choices


def _grant_actions(obj, user):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    return [(_("Set roles"), reverse("org:grant-edit", args=[obj.pk]))]


GRANT_LIST = ListSpec(
    name="org-grants",
    columns=[
        Column("username", gettext_lazy("Login name"), sort_field="username"),
        Column("real_name", gettext_lazy("Real name"), sort_field="real_name"),
        Column("department__name", gettext_lazy("Department"), sort_field="department__path"),
        Column("roles", gettext_lazy("Roles held"), display=lambda u: "、".join(r.name for r in u.roles.all())),
        Column("is_active", gettext_lazy("Active"), sort_field="is_active", kind="bool"),
    ],
    filters=[
        Filter("department", gettext_lazy("Department"), "department", _department_choices),
        Filter("role", gettext_lazy("Role"), "roles", _role_choices),
    ],
    search_fields=["username", "real_name", "employee_no"],
    search_placeholder=gettext_lazy("Login name, name or employee number"),
    default_sort="username",
    select_related=["department"],
    row_actions=_grant_actions,
)


@require_permission("security.role.grant")
def grant_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, GRANT_LIST, user_list(), "org/grant_list.html")


@require_permission("security.role.grant")
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from danbao.org.services.roles import user_roles_set

    account = user_get(pk)
    admin_roles = [r for r in account.roles.all() if r.admin_kind]
    form = GrantForm(request.POST or None, initial={"roles": [r for r in account.roles.all() if not r.admin_kind]})
    if request.method == "POST" and form.is_valid():
        try:
            changed = user_roles_set(actor=request.user, user=account, roles=form.cleaned_data["roles"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if changed:
                messages.success(request, _("Roles of %(user)s saved; they take effect on the next request.") % {"user": account})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("org:grant-list")
    context = {"form": form, "account": account, "admin_roles": admin_roles, "is_self": account.pk == request.user.pk}
    return render(request, "org/grant_form.html", context)
