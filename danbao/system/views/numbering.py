"""Numbering-rule pages: list with a preview of the next number, add and edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, ListSpec, render_list
from danbao.system import selectors
from danbao.system.forms import NumberingRuleForm
from danbao.system.services import numbering as services

PERMISSION = "system.numbering.manage"

RULE_LIST = ListSpec(
    name="system-numbering",
    columns=[
        Column("name", pgettext_lazy("system", "Name"), sort_field="name", link=lambda r: reverse("system:numbering-edit", args=[r.pk])),
        Column("code", gettext_lazy("Code"), sort_field="code"),
        Column("preview", gettext_lazy("Next number"), display=lambda r: services.number_preview(r)),
        Column("reset", gettext_lazy("Restart"), display=lambda r: r.get_reset_display()),
        Column("is_active", gettext_lazy("Active"), sort_field="is_active"),
        Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime"),
    ],
    search_fields=["code", "name", "prefix"],
    default_sort="code",
)


@require_permission(PERMISSION)
def numbering_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, RULE_LIST, selectors.numbering_rule_list(), "system/numbering_list.html")


def _save(request: HttpRequest, form: NumberingRuleForm, rule: object | None) -> HttpResponse | None:
    data = {**form.cleaned_data}
    try:
        if rule is None:
            saved = services.numbering_rule_create(actor=request.user, **data)
        else:
            saved = services.numbering_rule_update(actor=request.user, rule=rule, **data)  # type: ignore[arg-type]
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(
        request,
        _("Numbering rule %(name)s was saved; the next number is %(number)s.")
        % {"name": saved.name, "number": services.number_preview(saved)},
    )
    return redirect("system:numbering-list")


@require_permission(PERMISSION)
def numbering_add(request: HttpRequest) -> HttpResponse:
    form = NumberingRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, None)
        if response is not None:
            return response
    return render(request, "system/numbering_form.html", {"form": form})


@require_permission(PERMISSION)
def numbering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.numbering_rule_get(pk)
    initial = {f: getattr(rule, f) for f in services.RULE_FIELDS}
    form = NumberingRuleForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, rule)
        if response is not None:
            return response
    return render(request, "system/numbering_form.html", {"form": form, "rule": rule, "preview": services.number_preview(rule)})
