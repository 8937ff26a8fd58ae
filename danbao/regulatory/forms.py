"""Input shapes of the regulatory pages (business rules are checked by the services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.regulatory.categories import GuaranteeClass, LoanKind
from danbao.regulatory.models import SECTIONS

AMOUNT = {"max_digits": 18, "decimal_places": 2, "required": False}


class DateForm(StyledForm):
    on = forms.DateField(label=_("As at"), required=False)


class FinanceInputForm(StyledForm):
    """The month and every amount (yuan); empty amounts count as zero."""

    period = forms.CharField(label=_("Month"), max_length=7, help_text=_("As YYYY-MM."), widget=forms.TextInput(attrs={"type": "month"}))
    note = forms.CharField(label=_("Note / reason for a correction"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for _key, _title, fields in SECTIONS:
            for name, label in fields:
                self.fields[name] = forms.DecimalField(
                    label=label, **AMOUNT, widget=forms.NumberInput(attrs={"step": "0.01", "class": "form-control text-end"})
                )
        if editing:
            self.fields["period"].disabled = True
        self._errors = None  # type: ignore[assignment]  # fields were added after StyledForm's styling

    def clean_period(self) -> date:
        text = (self.cleaned_data.get("period") or "").strip()
        try:
            year, month = text.split("-")[:2]
            return date(int(year), int(month), 1)
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Enter the month as YYYY-MM, for example 2026-10.")) from None

    def sections(self) -> list[dict[str, Any]]:
        return [{"key": key, "title": title, "fields": [self[name] for name, _l in fields]} for key, title, fields in SECTIONS]


class WhatIfForm(StyledForm):
    customer = forms.ModelChoiceField(label=_("Guaranteed party"), queryset=None, empty_label=_("Choose a customer"))  # type: ignore[arg-type]
    guarantee_class = forms.ChoiceField(label=_("Business class"), choices=GuaranteeClass.choices, initial=GuaranteeClass.LOAN)
    loan_kind = forms.ChoiceField(
        label=_("Borrowing sub-class"),
        choices=[("", _("From the customer (size and kind)")), *LoanKind.choices],
        required=False,
    )
    bond_aa_or_better = forms.BooleanField(label=_("Issuer rated AA or better (bond guarantees)"), required=False)
    amount = forms.DecimalField(label=_("Guaranteed loan amount (yuan)"), max_digits=18, decimal_places=2, min_value=0)
    own_share = forms.DecimalField(
        label=_("Own share (%)"),
        max_digits=7,
        decimal_places=4,
        min_value=0,
        max_value=100,
        initial=100,
        help_text=_("After the bank's share, e.g. 80."),
    )
    reguarantee_share = forms.DecimalField(
        label=_("Re-guaranteed share (%)"), max_digits=7, decimal_places=4, min_value=0, max_value=100, initial=0, required=False
    )
    on = forms.DateField(label=_("As at"), required=False)

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
        self.fields["customer"].label_from_instance = lambda c: c.name
        self._errors = None  # type: ignore[assignment]
