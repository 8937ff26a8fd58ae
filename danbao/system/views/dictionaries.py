"""Dictionary pages: the list of dictionaries and the items of one dictionary."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, ListSpec, render_list
from danbao.system import selectors
from danbao.system.forms import DictItemForm, DictTypeForm
from danbao.system.services import dictionaries as services

PERMISSION = "system.dict.manage"

DICT_LIST = ListSpec(
    name="system-dictionaries",
    columns=[
        Column("code", gettext_lazy("Code"), sort_field="code", link=lambda t: reverse("system:dict-detail", args=[t.pk])),
        Column("name", pgettext_lazy("system", "Name"), sort_field="name", link=lambda t: reverse("system:dict-detail", args=[t.pk])),
        Column("description", gettext_lazy("Description")),
        Column("active_count", gettext_lazy("Active items"), sort_field="active_count"),
        Column("item_count", gettext_lazy("All items"), sort_field="item_count", default=False),
        Column("is_system", gettext_lazy("Built-in"), sort_field="is_system"),
        Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime"),
    ],
    search_fields=["code", "name", "items__label"],
    search_placeholder=gettext_lazy("Code, name or item label"),
    default_sort="code",
    export_name=gettext_lazy("Dictionaries"),
    export_permission=PERMISSION,
)


@require_permission(PERMISSION)
def dict_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, DICT_LIST, selectors.dict_type_list().distinct(), "system/dict_list.html")


@require_permission(PERMISSION)
def dict_type_add(request: HttpRequest) -> HttpResponse:
    form = DictTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dict_type = services.dict_type_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, _("Dictionary %(name)s was created.") % {"name": dict_type.name})
            return redirect("system:dict-detail", pk=dict_type.pk)
    return render(request, "system/dict_type_form.html", {"form": form})


@require_permission(PERMISSION)
def dict_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dict_type = selectors.dict_type_get(pk)
    initial = {"code": dict_type.code, "name": dict_type.name, "description": dict_type.description}
    form = DictTypeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        services.dict_type_update(
            actor=request.user, dict_type=dict_type, name=form.cleaned_data["name"], description=form.cleaned_data["description"]
        )
        messages.success(request, _("Dictionary %(name)s was saved.") % {"name": form.cleaned_data["name"]})
        return redirect("system:dict-detail", pk=dict_type.pk)
    return render(request, "system/dict_type_form.html", {"form": form, "dict_type": dict_type})


@require_permission(PERMISSION)
def dict_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dict_type = selectors.dict_type_get(pk)
    form = DictItemForm(request.POST or None, dict_type=dict_type)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.dict_item_create(
                actor=request.user,
                dict_type=dict_type,
                code=data["code"],
                label=data["label"],
                sort_order=data["sort_order"],
                parent=data["parent"],
            )
        except DomainError as exc:
            form.add_error("code" if "code" in exc.code else None, exc.message)
        else:
            messages.success(request, _("Item %(label)s was added.") % {"label": item.label})
            return redirect("system:dict-detail", pk=dict_type.pk)
    items = selectors.dict_items_of(dict_type)
    return render(
        request, "system/dict_detail.html", {"dict_type": dict_type, "items": items, "form": form, "open_form": request.method == "POST"}
    )


@require_permission(PERMISSION)
def dict_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    dict_type = selectors.dict_type_get(pk)
    item = selectors.dict_item_get(dict_type, item_pk)
    initial = {"code": item.code, "label": item.label, "sort_order": item.sort_order, "parent": item.parent_id}
    form = DictItemForm(request.POST or None, initial=initial, dict_type=dict_type, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dict_item_update(
                actor=request.user,
                item=item,
                label=data["label"],
                sort_order=data["sort_order"] if data["sort_order"] is not None else item.sort_order,
                parent=data["parent"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Item %(label)s was saved.") % {"label": data["label"]})
            return redirect("system:dict-detail", pk=dict_type.pk)
    return render(request, "system/dict_item_form.html", {"form": form, "dict_type": dict_type, "item": item})


@require_permission(PERMISSION)
@require_POST
def dict_item_toggle(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    dict_type = selectors.dict_type_get(pk)
    item = selectors.dict_item_get(dict_type, item_pk)
    item = services.dict_item_set_active(actor=request.user, item=item, active=not item.is_active)
    if item.is_active:
        messages.success(request, _("Item %(label)s is active again.") % {"label": item.label})
    else:
        messages.success(
            request, _("Item %(label)s was deactivated: records that use it keep it, new entries cannot choose it.") % {"label": item.label}
        )
    return redirect("system:dict-detail", pk=dict_type.pk)


@require_permission(PERMISSION)
@require_POST
def dict_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    dict_type = selectors.dict_type_get(pk)
    item = selectors.dict_item_get(dict_type, item_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.dict_item_move(actor=request.user, item=item, direction=direction)
    return redirect("system:dict-detail", pk=dict_type.pk)
