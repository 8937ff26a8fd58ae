"""Rule pages: catalogue (filters, export), rule detail with parameters and history, rule edit,
parameter add, trial evaluation (试算, nothing stored), stored evaluations list and detail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list
from danbao.customers.selectors import customer_get_for, customer_list_for
from danbao.products.models import VersionStatus
from danbao.products.selectors import product_get_for, product_list_for, product_version_current
from danbao.rules import registry, selectors, services
from danbao.rules.forms import ParameterForm, RuleForm, TrialForm, rule_initial
from danbao.rules.inputs import RuleInput
from danbao.rules.models import Evaluation, Rule, Severity, Stage

VIEW = "rules.rule.view"
MANAGE = "rules.rule.manage"


def _rule_link(rule: Rule) -> str:
    return reverse("rules:rule-detail", args=[rule.pk])


def _products(rule: Rule) -> str:
    return _("All products") if rule.all_products else "、".join(rule.product_codes)


RULE_LIST = ListSpec(
    name="rules",
    columns=[
        Column("code", gettext_lazy("Rule code"), sort_field="code", link=_rule_link),
        Column("name", gettext_lazy("Rule name"), sort_field="name", link=_rule_link),
        Column("severity", gettext_lazy("Severity"), sort_field="severity", display=lambda r: r.get_severity_display()),
        Column("stages", gettext_lazy("Stages"), display=lambda r: r.stage_labels()),
        Column("products", pgettext_lazy("rule", "Products"), display=_products),
        Column("reason_zh", gettext_lazy("Reason (Chinese)"), default=False),
        Column("active", pgettext_lazy("rule", "Active"), sort_field="active"),
        Column("version", gettext_lazy("Version"), sort_field="version"),
        Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime"),
    ],
    filters=[
        Filter("severity", gettext_lazy("Severity"), "severity", Severity.choices),
        Filter("stage", gettext_lazy("Stage"), "stages__icontains", Stage.choices),
        Filter("active", pgettext_lazy("rule", "Active"), "active", [("True", gettext_lazy("Yes")), ("False", gettext_lazy("No"))]),
    ],
    search_fields=["code", "name", "reason_zh"],
    search_placeholder=gettext_lazy("Code, name or reason"),
    default_sort="code",
    export_name=gettext_lazy("Business rules"),
    export_permission=VIEW,
)


@require_permission(VIEW)
def rule_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, RULE_LIST, selectors.rule_list_for(request.user), "rules/rule_list.html")


@require_permission(VIEW)
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_for(request.user, pk)
    spec = registry.get(rule.code)
    context = {
        "rule": rule,
        "spec": spec,
        "parameters": selectors.rule_parameters(rule),
        "own_parameters": selectors.rule_parameter_rows(rule),
        "history": selectors.rule_history(rule),
        "can_manage": request.user.can(MANAGE),  # type: ignore[union-attr]
    }
    return render(request, "rules/rule_detail.html", context)


def _apply_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@require_permission(MANAGE)
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_for(request.user, pk)
    form = RuleForm(request.POST or None, initial=rule_initial(rule))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rule_update(
                actor=request.user,
                rule=rule,
                expected_version=data["version"],
                reason=data["reason"],
                name=data["name"],
                reason_zh=data["reason_zh"],
                reason_en=data["reason_en"],
                severity=data["severity"],
                stages=list(data["stages"]),
                all_products=data["all_products"],
                product_codes=list(data["product_codes"]),
                active=data["active"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Rule %(code)s saved.") % {"code": rule.code})
            return redirect("rules:rule-detail", pk=rule.pk)
    return render(request, "rules/rule_form.html", {"form": form, "rule": rule})


@require_permission(MANAGE)
def rule_parameter_add(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_for(request.user, pk)
    spec = registry.get(rule.code)
    if spec is None or not spec.params:
        raise Http404
    form = ParameterForm(request.POST or None, spec=spec)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rule_parameter_add(
                actor=request.user,
                rule=rule,
                key=data["key"],
                value_text=data["value"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                note=data["note"],
                reason=data["reason"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Parameter value saved."))
            return redirect("rules:rule-detail", pk=rule.pk)
    return render(request, "rules/rule_parameter_form.html", {"form": form, "rule": rule, "parameters": selectors.rule_parameters(rule)})


@require_permission(VIEW)
def trial(request: HttpRequest) -> HttpResponse:
    """试算: the user's inputs are evaluated against the live catalogue; nothing is stored."""
    user = request.user
    products = list(product_list_for(user).order_by("code"))
    customers = [(c.pk, f"{c.name}（{c.get_kind_display()}）") for c in customer_list_for(user).order_by("name")[:1000]]
    form = TrialForm(request.POST or None, products=products, customers=customers)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        product = product_get_for(user, data["product"])
        version = (
            product_version_current(product, data["on"])
            or product.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
        )
        customer = customer_get_for(user, data["customer"], request) if data.get("customer") else None
        if version is None:
            form.add_error("product", _("This product has no published version yet."))
        else:
            rule_input = RuleInput(
                stage=data["stage"],
                on=data["on"],
                amount=data["amount"],
                term_months=data.get("term_months"),
                fee_rate=form.fee_fraction(),
                product_version=version,
                customer=customer,
                customer_kind="" if customer else data.get("customer_kind") or "",
                industry_code="" if customer else data.get("industry_code") or "",
                region_code="" if customer else data.get("region_code") or "",
            )
            try:
                result = services.rules_trial(actor=user, rule_input=rule_input)
            except DomainError as exc:
                _apply_error(form, exc)
    return render(request, "rules/trial.html", {"form": form, "result": result})


def _evaluation_link(evaluation: Evaluation) -> str:
    return reverse("rules:evaluation-detail", args=[evaluation.pk])


EVALUATION_LIST = ListSpec(
    name="rule_evaluations",
    columns=[
        Column("created_at", gettext_lazy("Evaluated at"), sort_field="created_at", kind="datetime", link=_evaluation_link),
        Column("subject_label", pgettext_lazy("rule evaluation", "Subject"), sort_field="subject_label", link=_evaluation_link),
        Column("stage", gettext_lazy("Stage"), sort_field="stage", display=lambda e: e.get_stage_display()),
        Column("on_date", gettext_lazy("Business date"), sort_field="on_date", kind="date"),
        Column("hit_count", gettext_lazy("Hits"), sort_field="hit_count"),
        Column("blocked", gettext_lazy("Blocked"), sort_field="blocked"),
        Column("needs_approval", gettext_lazy("Needs extra approval"), sort_field="needs_approval"),
        Column("created_by__real_name", gettext_lazy("Evaluated by")),
    ],
    filters=[
        Filter("stage", gettext_lazy("Stage"), "stage", Stage.choices),
        Filter("blocked", gettext_lazy("Blocked"), "blocked", [("True", gettext_lazy("Yes")), ("False", gettext_lazy("No"))]),
    ],
    date_ranges=[DateRange("created", gettext_lazy("Evaluated at"), "created_at")],
    search_fields=["subject_label"],
    search_placeholder=pgettext_lazy("rule evaluation", "Subject"),
    default_sort="-created_at",
    select_related=["created_by"],
)


@require_permission(VIEW)
def evaluation_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, EVALUATION_LIST, selectors.evaluation_list_for(request.user), "rules/evaluation_list.html")


@require_permission(VIEW)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for(request.user, pk)
    return render(request, "rules/evaluation_detail.html", {"evaluation": evaluation, "results": evaluation.results})
