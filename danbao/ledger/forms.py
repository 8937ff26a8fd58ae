"""Input shapes of the ledger pages (business preconditions live in the services)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.ledger.models import RepaymentMethod


class DisbursementForm(StyledForm):
    """One tranche as the bank's disbursement notice (放款通知书) states it; the rate is typed in per cent."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    loan_contract_number = forms.CharField(label=_("Bank loan contract number"), max_length=60)
    amount = forms.DecimalField(label=_("Loan amount (yuan)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    loan_date = forms.DateField(label=_("Loan date"), widget=forms.DateInput)
    maturity_date = forms.DateField(label=_("Maturity date"), widget=forms.DateInput)
    interest_rate_percent = forms.DecimalField(
        label=_("Annual interest rate (%)"), max_digits=7, decimal_places=4, min_value=Decimal(0), max_value=Decimal("99.9999")
    )
    repayment_method = forms.ChoiceField(label=_("Repayment method"), choices=RepaymentMethod.choices)
    schedule_file = forms.FileField(
        label=_("Bank's schedule (Excel: due date, principal, interest)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "loan_contract_number": data["loan_contract_number"],
            "amount": data["amount"],
            "loan_date": data["loan_date"],
            "maturity_date": data["maturity_date"],
            "interest_rate": data["interest_rate_percent"] / Decimal(100),
            "repayment_method": data["repayment_method"],
            "idempotency_key": data.get("idempotency_key") or "",
        }
