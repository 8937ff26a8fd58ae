"""Parameter pages: all parameters with their current value; one parameter's versions and edit form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.system import selectors, values
from danbao.system.forms import ParameterValueForm
from danbao.system.models import GRADE_EXPLANATIONS, EvidenceGrade, Parameter
from danbao.system.services import parameters as services

PERMISSION = "system.param.manage"


def _current(parameter: Parameter) -> str:
    version = selectors.parameter_version_on(parameter, timezone.localdate())
    if version is None:
        return _("(no value in force)")
    unit = f" {parameter.unit}" if parameter.unit and parameter.kind != Parameter.Kind.PERCENT else ""
    return values.display(parameter.kind, version.value) + unit


def _grade(parameter: Parameter) -> str:
    return parameter.get_grade_display() if parameter.grade else ""


def grade_legend() -> list[dict[str, str]]:
    """The grades with their explanations, for the legend of the list and the badge of the detail page."""
    return [{"code": g.value, "label": str(g.label), "explanation": str(GRADE_EXPLANATIONS[g])} for g in EvidenceGrade]


def _categories(user: object) -> list[tuple[str, str]]:
    return [(c, c) for c in Parameter.objects.order_by("category").values_list("category", flat=True).distinct() if c]


PARAM_LIST = ListSpec(
    name="system-parameters",
    columns=[
        Column("name", pgettext_lazy("system", "Name"), sort_field="name", link=lambda p: reverse("system:param-detail", args=[p.pk])),
        Column("code", gettext_lazy("Code"), sort_field="code"),
        Column("category", gettext_lazy("Category"), sort_field="category"),
        Column("current", gettext_lazy("Current value"), display=_current),
        Column("legal_force", gettext_lazy("Legal force"), sort_field="legal_force"),
        Column("grade", gettext_lazy("Evidence grade"), sort_field="grade", display=_grade),
        Column("versions", gettext_lazy("Versions"), display=lambda p: len(p.versions.all())),
        Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime", default=False),
    ],
    filters=[
        Filter("category", gettext_lazy("Category"), "category", _categories),
        Filter("legal", gettext_lazy("Legal force"), "legal_force", [("True", gettext_lazy("Yes")), ("False", gettext_lazy("No"))]),
        Filter("grade", gettext_lazy("Evidence grade"), "grade", EvidenceGrade.choices),
    ],
    search_fields=["code", "name", "description"],
    search_placeholder=gettext_lazy("Code, name or description"),
    default_sort="category",
    prefetch_related=["versions"],
    export_name=gettext_lazy("System parameters"),
    export_permission=PERMISSION,
)


@require_permission(PERMISSION)
def param_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, PARAM_LIST, selectors.parameter_list(), "system/param_list.html", {"grades": grade_legend()})


@require_permission(PERMISSION)
def param_detail(request: HttpRequest, pk: int) -> HttpResponse:
    parameter = selectors.parameter_get(pk)
    today = timezone.localdate()
    current = selectors.parameter_version_on(parameter, today)
    initial = {"value": values.editable(parameter.kind, current.value) if current else ""}
    form = ParameterValueForm(request.POST or None, initial=initial, parameter=parameter)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.parameter_set(
                actor=request.user,
                parameter=parameter,
                value=data["value"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                source=data["source"],
                article=data["article"],
                note=data["note"],
            )
        except DomainError as exc:
            form.add_error("value" if exc.code == "system.param_invalid_value" else None, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s: the new value %(value)s applies from %(date)s.")
                % {"name": parameter.name, "value": values.display(parameter.kind, version.value), "date": version.valid_from},
            )
            return redirect("system:param-detail", pk=parameter.pk)
    versions = [
        {
            "version": v,
            "display": values.display(parameter.kind, v.value),
            "in_force": current is not None and v.pk == current.pk,
            "future": v.valid_from is not None and v.valid_from > today,
        }
        for v in sorted(parameter.versions.all(), key=lambda v: (v.valid_from is not None, v.valid_from), reverse=True)
    ]
    return render(
        request,
        "system/param_detail.html",
        {"parameter": parameter, "versions": versions, "form": form, "current": current, "current_display": _current(parameter)},
    )
