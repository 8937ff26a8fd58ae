"""Product form in sections (basic, eligibility, pricing, risk shares, monitoring, materials, approval
flows). Rates and shares are typed in percent and handed to the services as fractions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.customers.models.customer import CustomerKind
from danbao.customers.reference import industry_choices, region_choices
from danbao.products.models import BusinessType, FeeBasis, ProductStatus, ProductVersion
from danbao.products.selectors import flows_for_bands
from danbao.products.services import Band, MaterialItem
from danbao.regulatory.categories import GuaranteeClass, LoanKind
from danbao.system.selectors import dict_choices

HUNDRED = Decimal(100)
BAND_ROWS = 4
OPTIONAL_MARK = "（可选）"


def _percent(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_value=100, decimal_places=4, max_digits=9, required=required, help_text="%")


def _industry_options() -> list[tuple[str, str]]:
    return industry_choices("section") + industry_choices("division")


def _region_options() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for code, name in region_choices():
        out.append((code, name))
        out.extend((c, f"{name} {n}") for c, n in region_choices(code) if n != "市辖区")
    return out


SECTIONS: list[tuple[str, Any, list[str]]] = [
    (
        "basic",
        _("Basic information"),
        ["code", "name", "business_type", "guarantee_class", "loan_kind", "is_policy", "effective_from", "effective_to", "change_note"],
    ),
    (
        "eligibility",
        _("Eligibility"),
        ["customer_kinds", "amount_min", "amount_max", "term_min_months", "term_max_months", "industries", "regions"],
    ),
    ("pricing", _("Pricing"), ["fee_rate_min", "fee_rate_max", "fee_rate_default", "fee_basis", "review_fee_amount", "margin_ratio"]),
    ("shares", _("Default risk shares"), ["bank_share", "reguarantor_share", "fund_share", "gov_pool_share"]),
]


class ProductForm(StyledForm):
    code = forms.CharField(label=_("Product code"), max_length=32)
    name = forms.CharField(label=_("Product name"), max_length=100)
    business_type = forms.ChoiceField(label=_("Business type"), choices=BusinessType.choices)
    guarantee_class = forms.ChoiceField(label=_("Regulatory category"), choices=GuaranteeClass.choices)
    loan_kind = forms.ChoiceField(label=_("Borrowing sub-category"), choices=LoanKind.choices, initial=LoanKind.OTHER)
    is_policy = forms.BooleanField(label=_("Policy business (支小支农)"), required=False)
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput)
    effective_to = forms.DateField(label=_("Effective to"), widget=forms.DateInput, required=False)
    change_note = forms.CharField(label=_("Change note"), max_length=500, required=False)

    customer_kinds = forms.MultipleChoiceField(label=_("Customer kinds"), choices=CustomerKind.choices, widget=forms.CheckboxSelectMultiple)
    amount_min = forms.DecimalField(label=_("Minimum amount (yuan)"), min_value=0, decimal_places=2, max_digits=18)
    amount_max = forms.DecimalField(label=_("Maximum amount (yuan)"), min_value=0, decimal_places=2, max_digits=18)
    term_min_months = forms.IntegerField(label=_("Minimum term (months)"), min_value=1)
    term_max_months = forms.IntegerField(label=_("Maximum term (months)"), min_value=1)
    industries = forms.MultipleChoiceField(
        label=_("Industries (empty = all)"), required=False, widget=forms.SelectMultiple(attrs={"data-searchable": "1"})
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions (empty = all)"), required=False, widget=forms.SelectMultiple(attrs={"data-searchable": "1"})
    )

    fee_rate_min = _percent(_("Minimum fee rate"))
    fee_rate_max = _percent(_("Maximum fee rate"))
    fee_rate_default = _percent(_("Default fee rate"))
    fee_basis = forms.ChoiceField(label=_("Fee basis"), choices=FeeBasis.choices)
    review_fee_amount = forms.DecimalField(label=_("Review fee (yuan)"), min_value=0, decimal_places=2, max_digits=18, initial=0)
    margin_ratio = _percent(_("Margin ratio"))

    bank_share = _percent(_("Bank risk share"))
    reguarantor_share = _percent(_("Re-guarantor risk share"))
    fund_share = _percent(_("National fund risk share"))
    gov_pool_share = _percent(_("Government risk pool share"))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["code"]
        self.fields["industries"].choices = _industry_options()
        self.fields["regions"].choices = _region_options()
        self.risk_classes = dict_choices("risk_class") or [("01", "正常"), ("02", "关注"), ("03", "次级"), ("04", "可疑"), ("05", "损失")]
        for code, label in self.risk_classes:
            self.fields[f"monitor_{code}"] = forms.IntegerField(label=label, min_value=1, required=False, help_text=_("days"))
        for kind, label in CustomerKind.choices:
            self.fields[f"materials_{kind}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One material per line; add （可选） at the end of an optional one."),
            )
        flows = [(str(f.pk), f"{f.name}（{f.code}）") for f in flows_for_bands()]
        for i in range(1, BAND_ROWS + 1):
            self.fields[f"band_{i}_max"] = forms.DecimalField(
                label=_("Up to (yuan, empty = no limit)"), required=False, min_value=0, decimal_places=2, max_digits=18
            )
            self.fields[f"band_{i}_flow"] = forms.ChoiceField(label=_("Approval flow"), required=False, choices=[("", "—")] + flows)
        self.flow_count = len(flows)
        for name, field in self.fields.items():
            if name.startswith(("monitor_", "materials_", "band_")):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    # --- layout helpers for the template ---
    def sections(self) -> list[dict[str, Any]]:
        out = []
        for key, label, names in SECTIONS:
            out.append({"key": key, "label": label, "fields": [self[n] for n in names if n in self.fields]})
        return out

    def monitor_fields(self) -> list[Any]:
        return [self[f"monitor_{code}"] for code, _l in self.risk_classes]

    def material_fields(self) -> list[Any]:
        return [self[f"materials_{kind}"] for kind in CustomerKind.values]

    def band_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"band_{i}_max"], self[f"band_{i}_flow"]) for i in range(1, BAND_ROWS + 1)]

    # --- values for the services ---
    def terms(self) -> dict[str, Any]:
        d = self.cleaned_data
        terms = {
            name: d[name]
            for name in (
                "business_type",
                "guarantee_class",
                "loan_kind",
                "is_policy",
                "effective_from",
                "effective_to",
                "amount_min",
                "amount_max",
                "term_min_months",
                "term_max_months",
                "fee_basis",
                "review_fee_amount",
            )
        }
        terms["change_note"] = d.get("change_note") or ""
        terms["customer_kinds"] = list(d["customer_kinds"])
        terms["industries"] = list(d.get("industries") or [])
        terms["regions"] = list(d.get("regions") or [])
        for name in (
            "fee_rate_min",
            "fee_rate_max",
            "fee_rate_default",
            "margin_ratio",
            "bank_share",
            "reguarantor_share",
            "fund_share",
            "gov_pool_share",
        ):
            terms[name] = (d[name] / HUNDRED).quantize(Decimal("0.000001"))
        terms["monitoring_days"] = {code: d[f"monitor_{code}"] for code, _l in self.risk_classes if d.get(f"monitor_{code}")}
        return terms

    def materials(self) -> list[MaterialItem]:
        items = []
        for kind in CustomerKind.values:
            for line in (self.cleaned_data.get(f"materials_{kind}") or "").splitlines():
                line = line.strip()
                if not line:
                    continue
                optional = line.endswith(OPTIONAL_MARK)
                items.append(MaterialItem(kind, line.removesuffix(OPTIONAL_MARK).strip(), not optional))
        return items

    def bands(self) -> list[Band]:
        from danbao.workflow.models import FlowDefinition

        out = []
        for i in range(1, BAND_ROWS + 1):
            flow_id = self.cleaned_data.get(f"band_{i}_flow")
            if flow_id:
                out.append(Band(self.cleaned_data.get(f"band_{i}_max"), FlowDefinition.objects.get(pk=int(flow_id))))
        return out


def initial_for(version: ProductVersion) -> dict[str, Any]:
    """Form values of a version (rates shown in percent)."""
    initial: dict[str, Any] = {"name": version.product.name}
    for name in (
        "business_type",
        "guarantee_class",
        "loan_kind",
        "is_policy",
        "effective_from",
        "effective_to",
        "change_note",
        "customer_kinds",
        "amount_min",
        "amount_max",
        "term_min_months",
        "term_max_months",
        "industries",
        "regions",
        "fee_basis",
        "review_fee_amount",
    ):
        initial[name] = getattr(version, name)
    for name in (
        "fee_rate_min",
        "fee_rate_max",
        "fee_rate_default",
        "margin_ratio",
        "bank_share",
        "reguarantor_share",
        "fund_share",
        "gov_pool_share",
    ):
        initial[name] = format((getattr(version, name) * HUNDRED).normalize(), "f")
    for code, days in version.monitoring_days.items():
        initial[f"monitor_{code}"] = days
    by_kind: dict[str, list[str]] = {}
    for item in version.materials.all():
        by_kind.setdefault(item.customer_kind, []).append(item.name + ("" if item.required else OPTIONAL_MARK))
    for kind, lines in by_kind.items():
        initial[f"materials_{kind}"] = "\n".join(lines)
    for i, band in enumerate(version.bands.all(), start=1):
        if i <= BAND_ROWS:
            initial[f"band_{i}_max"] = band.amount_max
            initial[f"band_{i}_flow"] = str(band.flow_id)
    return initial


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


STATUS_ACTIONS = {
    "suspend": (ProductStatus.SUSPENDED, _("Suspend product")),
    "resume": (ProductStatus.ACTIVE, _("Resume product")),
    "retire": (ProductStatus.RETIRED, _("Retire product")),
}
