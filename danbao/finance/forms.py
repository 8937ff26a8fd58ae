"""Input shapes of the finance pages (business rules live in the services)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm
from danbao.finance.models import ReceiptMethod


class PlanForm(StyledForm):
    issue_date = forms.DateField(
        label=_("Expected issue date"), help_text=_("The first fees fall due on this date; later annual instalments on its anniversaries.")
    )


class ReceiptForm(StyledForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    amount = forms.DecimalField(label=_("Amount received (yuan)"), max_digits=18, decimal_places=2, min_value=0)
    received_on = forms.DateField(label=_("Received on"))
    method = forms.ChoiceField(label=pgettext_lazy("receipt", "Method"), choices=ReceiptMethod.choices)
    payer = forms.CharField(label=_("Payer"), max_length=200)
    reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, receivables: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.receivables = list(receivables)
        for row in self.receivables:
            field = forms.DecimalField(
                label=f"{row.label} · {row.due_date.isoformat()}",
                max_digits=18,
                decimal_places=2,
                min_value=0,
                required=False,
            )
            field.widget.attrs.update({"class": "form-control text-end", "data-outstanding": f"{row.outstanding:.2f}"})
            self.fields[f"alloc_{row.pk}"] = field
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            self.initial.setdefault("received_on", timezone.localdate())

    def allocation_fields(self) -> list[tuple[Any, Any]]:
        return [(row, self[f"alloc_{row.pk}"]) for row in self.receivables]

    def allocations(self) -> dict[int, Any]:
        return {row.pk: self.cleaned_data.get(f"alloc_{row.pk}") for row in self.receivables}


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class DeferralForm(StyledForm):
    until = forms.DateField(label=_("Defer until"))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(StyledForm):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
