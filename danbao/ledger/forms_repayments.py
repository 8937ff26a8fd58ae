"""Input shapes of the repayment pages (business checks live in ledger.repayments)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm
from danbao.ledger.repayment_import import DEFAULT_COLUMNS

MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": Decimal(0)}


class RepaymentForm(StyledForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    loan = forms.TypedChoiceField(label=pgettext_lazy("repayment", "Loan tranche"), coerce=int)
    paid_on = forms.DateField(label=_("Repayment date"), widget=forms.DateInput)
    principal = forms.DecimalField(label=_("Principal repaid (yuan)"), initial=0, **MONEY)
    interest = forms.DecimalField(label=_("Interest repaid (yuan)"), initial=0, **MONEY)
    penalty = forms.DecimalField(label=_("Penalty interest repaid (yuan)"), initial=0, **MONEY)
    reference = forms.CharField(label=_("Bank reference"), max_length=80, required=False)

    def __init__(self, *args: Any, loans: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["loan"].choices = [(loan.pk, f"{loan.sequence} · {loan.contract_number}") for loan in loans]
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class ReverseForm(StyledForm):
    reason = forms.CharField(label=pgettext_lazy("repayment", "Reason for the reversal"), max_length=500)


COLUMN_LABELS = {
    "contract": _("Column: loan contract number"),
    "paid_on": _("Column: repayment date"),
    "principal": _("Column: principal"),
    "interest": _("Column: interest"),
    "penalty": _("Column: penalty interest"),
    "reference": _("Column: bank reference"),
}


class ImportForm(StyledForm):
    bank = forms.TypedChoiceField(label=pgettext_lazy("repayment import", "Bank"), coerce=int)
    file = forms.FileField(label=_("Bank repayment file (Excel .xlsx)"))

    def __init__(self, *args: Any, banks: Any = (), columns: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = list(banks)
        for key, label in COLUMN_LABELS.items():
            self.fields[f"col_{key}"] = forms.CharField(
                label=label, max_length=40, required=False, initial=(columns or DEFAULT_COLUMNS)[key]
            )

    def columns(self) -> dict[str, str]:
        return {key: (self.cleaned_data.get(f"col_{key}") or DEFAULT_COLUMNS[key]).strip() for key in COLUMN_LABELS}


class ExtensionForm(StyledForm):
    loan = forms.TypedChoiceField(label=pgettext_lazy("repayment", "Loan tranche"), coerce=int)
    new_maturity = forms.DateField(label=_("Extended maturity date"), widget=forms.DateInput)
    reason = forms.CharField(label=_("Reason for the extension"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, loans: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["loan"].choices = [
            (loan.pk, f"{loan.sequence} · {loan.contract_number} · {loan.maturity_date:%Y-%m-%d}") for loan in loans
        ]
