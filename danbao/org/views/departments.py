"""Department tree pages: tree, create, edit/move, deactivate and re-activate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.org.forms_admin import DepartmentForm
from danbao.org.selectors import department_get, department_tree
from danbao.org.services import departments as services


@require_permission("org.dept.manage")
def department_list(request: HttpRequest) -> HttpResponse:
    tree = department_tree()
    return render(request, "org/department_list.html", {"tree": tree, "active_count": sum(1 for d in tree if d.is_active)})


@require_permission("org.dept.manage")
def department_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if parent_id := request.GET.get("parent", ""):
        if parent_id.isdigit():
            initial["parent"] = parent_id
    form = DepartmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Department %(name)s created.") % {"name": department.name})
            return redirect("org:department-list")
    return render(request, "org/department_form.html", {"form": form, "department": None})


@require_permission("org.dept.manage")
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = department_get(pk)
    initial = {
        "code": department.code,
        "name": department.name,
        "kind": department.kind,
        "parent": department.parent_id,
        "sort_order": department.sort_order,
        "phone": department.phone,
    }
    form = DepartmentForm(request.POST or None, initial=initial, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_update(actor=request.user, department=department, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Department %(name)s saved.") % {"name": department.name})
            return redirect("org:department-list")
    return render(request, "org/department_form.html", {"form": form, "department": department})


@require_POST
@require_permission("org.dept.manage")
def department_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    department = department_get(pk)
    try:
        services.department_deactivate(actor=request.user, department=department)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Department %(name)s deactivated.") % {"name": department.name})
    return redirect("org:department-list")


@require_POST
@require_permission("org.dept.manage")
def department_activate(request: HttpRequest, pk: int) -> HttpResponse:
    department = department_get(pk)
    try:
        services.department_activate(actor=request.user, department=department)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Department %(name)s re-activated.") % {"name": department.name})
    return redirect("org:department-list")
