"""Input shapes of the scoring pages (business checks are in the services)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.customers.models.customer import CustomerKind
from danbao.products.models import Product
from danbao.scoring.calculate import GRADES, FactorDef, format_bins, format_options, parse_bins, parse_options
from danbao.scoring.measures import CREDIT, FINANCIAL
from danbao.scoring.models import Factor, FactorKind


def _product_choices() -> list[tuple[str, str]]:
    return [(p.code, f"{p.name}（{p.code}）") for p in Product.objects.order_by("code")]


class TemplateForm(StyledForm):
    code = forms.CharField(label=_("Template code"), max_length=32, help_text=_("Letters, digits, - and _; cannot be changed later."))
    name = forms.CharField(label=_("Template name"), max_length=100)
    customer_kinds = forms.MultipleChoiceField(label=_("Customer kinds"), choices=CustomerKind.choices, widget=forms.CheckboxSelectMultiple)
    product_codes = forms.MultipleChoiceField(
        label=_("Products"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the template serves every product for these customer kinds."),
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_codes"].choices = _product_choices()
        if editing:
            del self.fields["code"]


def _source_choices() -> list[tuple[str, Any]]:
    return [
        ("", "—"),
        (_("Financial measure"), [(k, f"{m.label}") for k, m in FINANCIAL.items()]),
        (_("Credit record"), [(k, f"{m.label}") for k, m in CREDIT.items()]),
    ]


class FactorForm(StyledForm):
    code = forms.CharField(label=_("Factor code"), max_length=32)
    name = forms.CharField(label=_("Factor name"), max_length=100)
    kind = forms.ChoiceField(label=_("Factor kind"), choices=FactorKind.choices)
    weight = forms.DecimalField(label=_("Weight (%)"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal(100))
    source = forms.ChoiceField(
        label=_("Measure"), required=False, help_text=_("For financial-measure and credit-record factors: which figure is scored.")
    )
    bins = forms.CharField(
        label=_("Scoring bins"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
        help_text=_(
            "One bin a line: interval = points (0–100). [ and ] include the edge, ( and ) exclude it; "
            "leave the first lower and the last upper edge as -∞ / +∞. Ratios are fractions (0.6 = 60 %). "
            "Example: (-∞, 0.5) = 100"
        ),
    )
    question = forms.CharField(label=_("Question"), max_length=300, required=False)
    options = forms.CharField(
        label=_("Answer options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "font-monospace"}),
        help_text=_("For qualitative factors, one answer a line: code | text | points (0–100). Example: good | 良好 | 80"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = _source_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind == "qualitative":
            options, errors = parse_options(data.get("options") or "")
            for error in errors:
                self.add_error("options", error)
            data["parsed_options"], data["parsed_bins"] = options, []
        elif kind:
            bins, errors = parse_bins(data.get("bins") or "")
            for error in errors:
                self.add_error("bins", error)
            if kind in ("financial", "credit") and not data.get("source"):
                self.add_error("source", _("Choose what the factor measures."))
            data["parsed_bins"], data["parsed_options"] = bins, []
        return data

    def factor(self) -> FactorDef:
        d = self.cleaned_data
        return FactorDef(
            code=d["code"].strip(),
            name=d["name"].strip(),
            kind=d["kind"],
            weight=d["weight"],
            source=d.get("source") or "",
            question=d.get("question") or "",
            bins=tuple(d.get("parsed_bins") or ()),
            options=tuple(d.get("parsed_options") or ()),
        )


def factor_initial(factor: Factor, definition: FactorDef) -> dict[str, Any]:
    return {
        "code": factor.code,
        "name": factor.name,
        "kind": factor.kind,
        "weight": factor.weight,
        "source": factor.source,
        "question": factor.question,
        "bins": format_bins(definition.bins),
        "options": format_options(definition.options),
    }


def _number() -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control", "step": "any"})


class GradesForm(StyledForm):
    """One row per grade: the lowest score of the grade (empty = grade not used), amount and fee band."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for grade in GRADES:
            self.fields[f"{grade}_min"] = forms.DecimalField(
                label=_("%(grade)s from (points)") % {"grade": grade},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                widget=_number(),
            )
            self.fields[f"{grade}_amount"] = forms.DecimalField(
                label=_("Suggested maximum amount (yuan)"), required=False, min_value=0, decimal_places=2, max_digits=18, widget=_number()
            )
            self.fields[f"{grade}_fee_min"] = forms.DecimalField(
                label=_("Fee rate from (%)"), required=False, min_value=0, max_value=100, decimal_places=4, widget=_number()
            )
            self.fields[f"{grade}_fee_max"] = forms.DecimalField(
                label=_("Fee rate to (%)"), required=False, min_value=0, max_value=100, decimal_places=4, widget=_number()
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "grade": g,
                "min": self[f"{g}_min"],
                "amount": self[f"{g}_amount"],
                "fee_min": self[f"{g}_fee_min"],
                "fee_max": self[f"{g}_fee_max"],
            }
            for g in GRADES
        ]

    def bands(self) -> list[Any]:
        """GradeDefs: each used grade runs from its minimum to the next better grade's minimum (100 for the best)."""
        from danbao.scoring.calculate import GradeDef

        d = self.cleaned_data
        used = [g for g in GRADES if d.get(f"{g}_min") is not None]  # best first
        bands = []
        upper = Decimal(100)
        for grade in used:
            low = d[f"{grade}_min"]
            fee_min, fee_max = d.get(f"{grade}_fee_min"), d.get(f"{grade}_fee_max")
            bands.append(
                GradeDef(
                    grade,
                    low,
                    upper,
                    d.get(f"{grade}_amount"),
                    None if fee_min is None else fee_min / 100,
                    None if fee_max is None else fee_max / 100,
                )
            )
            upper = low
        return bands


def grades_initial(bands: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for band in bands:
        data[f"{band.grade}_min"] = band.min_score
        data[f"{band.grade}_amount"] = band.max_amount
        data[f"{band.grade}_fee_min"] = None if band.fee_rate_min is None else (band.fee_rate_min * 100).normalize()
        data[f"{band.grade}_fee_max"] = None if band.fee_rate_max is None else (band.fee_rate_max * 100).normalize()
    return data


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ChangeNoteForm(StyledForm):
    change_note = forms.CharField(label=_("Change note"), max_length=500, required=False)


class RunForm(StyledForm):
    """Answer the scorecard's qualitative questions and give the counter-guarantee coverage."""

    coverage = forms.DecimalField(
        label=_("Counter-guarantee coverage (%)"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=9,
        help_text=_("Value of the counter-guarantees (collateral, guarantors) / the amount guaranteed. Empty: scored 0 and flagged."),
    )

    def __init__(self, *args: Any, factors: tuple[FactorDef, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.qualitative = [f for f in factors if f.kind == "qualitative"]
        for factor in self.qualitative:
            self.fields[f"answer_{factor.code}"] = forms.ChoiceField(
                label=f"{factor.name}：{factor.question}",
                required=False,
                choices=[("", "—"), *[(o.code, f"{o.label}（{o.points.normalize():f}）") for o in factor.options]],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        if not any(f.kind == "coverage" for f in factors):
            del self.fields["coverage"]

    def answers(self) -> dict[str, str]:
        return {f.code: self.cleaned_data.get(f"answer_{f.code}") or "" for f in self.qualitative}

    def coverage_ratio(self) -> Decimal | None:
        value = self.cleaned_data.get("coverage")
        return None if value is None else value / 100


class AdjustForm(StyledForm):
    """A new answer for one qualitative factor, and why."""

    new_answer = forms.ChoiceField(label=_("New answer"))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, factor: FactorDef, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_answer"].choices = [(o.code, f"{o.label}（{o.points.normalize():f}）") for o in factor.options]
