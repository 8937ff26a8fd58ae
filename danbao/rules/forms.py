"""Rule edit, rule parameter and trial-evaluation forms (input shape only; the services decide)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm
from danbao.customers.models.customer import CustomerKind
from danbao.customers.reference import industry_choices, region_choices
from danbao.products.models import Product
from danbao.rules.models import Rule, Severity, Stage
from danbao.rules.registry import RuleSpec


class RuleForm(StyledForm):
    name = forms.CharField(label=_("Rule name"), max_length=100)
    reason_zh = forms.CharField(label=_("Reason (Chinese)"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    reason_en = forms.CharField(label=_("Reason (English)"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    stages = forms.MultipleChoiceField(label=_("Stages"), choices=Stage.choices, widget=forms.CheckboxSelectMultiple)
    all_products = forms.BooleanField(label=_("Applies to all products"), required=False)
    product_codes = forms.MultipleChoiceField(
        label=pgettext_lazy("rule", "Products"), required=False, widget=forms.SelectMultiple(attrs={"data-searchable": "1"})
    )
    active = forms.BooleanField(label=pgettext_lazy("rule", "Active"), required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_codes"].choices = [(p.code, f"{p.name}（{p.code}）") for p in Product.objects.order_by("code")]
        self.fields["reason_zh"].help_text = _("Placeholders such as %(amount)s are filled from the check's details.")


def rule_initial(rule: Rule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "reason_zh": rule.reason_zh,
        "reason_en": rule.reason_en,
        "severity": rule.severity,
        "stages": rule.stages,
        "all_products": rule.all_products,
        "product_codes": rule.product_codes,
        "active": rule.active,
        "version": rule.version,
    }


class ParameterForm(StyledForm):
    key = forms.ChoiceField(label=_("Parameter"))
    value = forms.CharField(
        label=_("Value"), max_length=200, help_text=_("Percentages in percent (1 = 1%); ranges as JSON, e.g. [100000, 3000000].")
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput)
    valid_to = forms.DateField(label=_("Valid to"), widget=forms.DateInput, required=False)
    note = forms.CharField(label=_("Source document or note"), max_length=300, required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=500)

    def __init__(self, *args: Any, spec: RuleSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(p.key, str(p.label)) for p in spec.params]


class TrialForm(StyledForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Business date"), widget=forms.DateInput)
    product = forms.ChoiceField(label=_("Product"))
    customer = forms.ChoiceField(label=_("Customer (optional)"), required=False, widget=forms.Select(attrs={"data-searchable": "1"}))
    customer_kind = forms.ChoiceField(
        label=_("Customer kind (without a customer)"), required=False, choices=[("", "—")] + CustomerKind.choices
    )
    industry_code = forms.ChoiceField(
        label=_("Industry (without a customer)"), required=False, widget=forms.Select(attrs={"data-searchable": "1"})
    )
    region_code = forms.ChoiceField(
        label=_("Region (without a customer)"), required=False, widget=forms.Select(attrs={"data-searchable": "1"})
    )
    amount = forms.DecimalField(label=_("Guarantee amount (yuan)"), min_value=0, decimal_places=2, max_digits=18)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, required=False)
    fee_rate = forms.DecimalField(label=_("Fee rate (%)"), min_value=0, max_value=100, decimal_places=4, max_digits=9, required=False)

    def __init__(self, *args: Any, products: list[Product], customers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["product"].choices = [(str(p.pk), f"{p.name}（{p.code}）") for p in products]
        self.fields["customer"].choices = [("", "—")] + [(str(pk), label) for pk, label in customers]
        self.fields["industry_code"].choices = [("", "—")] + industry_choices("division")
        regions: list[tuple[str, str]] = [("", "—")]
        for code, name in region_choices():
            regions.append((code, name))
            regions.extend((c, f"{name} {n}") for c, n in region_choices(code) if n != "市辖区")
        self.fields["region_code"].choices = regions

    def fee_fraction(self) -> Decimal | None:
        rate = self.cleaned_data.get("fee_rate")
        return None if rate is None else (rate / 100).quantize(Decimal("0.000001"))
