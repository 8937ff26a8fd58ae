"""Position pages: list, create, edit, deactivate and re-activate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.org.forms_admin import PositionForm
from danbao.org.selectors import position_get, position_list
from danbao.org.services import positions as services


@require_permission("org.position.manage")
def position_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "org/position_list.html", {"positions": position_list()})


@require_permission("org.position.manage")
def position_create(request: HttpRequest) -> HttpResponse:
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Position %(name)s created.") % {"name": position.name})
            return redirect("org:position-list")
    return render(request, "org/position_form.html", {"form": form, "position": None})


@require_permission("org.position.manage")
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = position_get(pk)
    initial = {"code": position.code, "name": position.name, "description": position.description}
    form = PositionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_update(actor=request.user, position=position, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Position %(name)s saved.") % {"name": position.name})
            return redirect("org:position-list")
    return render(request, "org/position_form.html", {"form": form, "position": position})


@require_POST
@require_permission("org.position.manage")
def position_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    position = position_get(pk)
    try:
        services.position_set_active(actor=request.user, position=position, active=not position.is_active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = _("Position %(name)s re-activated.") if not position.is_active else _("Position %(name)s deactivated.")
        messages.success(request, text % {"name": position.name})
    return redirect("org:position-list")
