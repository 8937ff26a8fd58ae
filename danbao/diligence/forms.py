"""Input shapes of the diligence pages (business preconditions live in the services)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.diligence.models import SECTIONS, Recommendation


class ReportForm(StyledForm):
    """The report's sections and proposed terms; the fee rate is typed in per cent."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=[("", "—"), *Recommendation.choices], required=False)
    proposed_amount = forms.DecimalField(label=_("Proposed amount (yuan)"), max_digits=18, decimal_places=2, required=False)
    proposed_term_months = forms.IntegerField(label=_("Proposed term (months)"), required=False)
    proposed_fee_rate_percent = forms.DecimalField(label=_("Proposed fee rate (%)"), max_digits=7, decimal_places=4, required=False)
    proposed_conditions = forms.CharField(label=_("Proposed conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field, label in reversed(SECTIONS):
            self.fields = {field: forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 5}), required=False), **self.fields}
        # Re-apply the styling to the section fields added after StyledForm's __init__.
        for name, _label in SECTIONS:
            self.fields[name].widget.attrs["class"] = "form-control"

    def changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name, "") for name, _label in SECTIONS}
        rate = self.cleaned_data.get("proposed_fee_rate_percent")
        data.update(
            {
                "recommendation": self.cleaned_data.get("recommendation") or "",
                "proposed_amount": self.cleaned_data.get("proposed_amount"),
                "proposed_term_months": self.cleaned_data.get("proposed_term_months"),
                "proposed_fee_rate": (rate / Decimal(100)) if rate is not None else None,
                "proposed_conditions": self.cleaned_data.get("proposed_conditions") or "",
            }
        )
        return data


def report_initial(report: Any) -> dict[str, Any]:
    initial = {name: getattr(report, name) for name, _label in SECTIONS}
    initial.update(
        {
            "version": report.version,
            "recommendation": report.recommendation,
            "proposed_amount": report.proposed_amount,
            "proposed_term_months": report.proposed_term_months,
            "proposed_fee_rate_percent": (report.proposed_fee_rate * 100).normalize() if report.proposed_fee_rate is not None else None,
            "proposed_conditions": report.proposed_conditions,
        }
    )
    return initial


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(StyledForm):
    opinion = forms.CharField(label=_("Your opinion as the B-role"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class UploadForm(StyledForm):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class VisitForm(StyledForm):
    visit_date = forms.DateField(label=_("Visit date"), widget=forms.DateInput)
    place = forms.CharField(label=_("Place"), max_length=300)
    participants = forms.ModelMultipleChoiceField(label=_("Staff present"), queryset=None, required=False)  # type: ignore[arg-type]
    other_participants = forms.CharField(label=_("Other people present"), max_length=500, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("visit_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = users
        self.fields["participants"].label_from_instance = lambda u: u.real_name or u.username


class PhotoForm(StyledForm):
    photo = forms.ImageField(label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    # Filled by the page's script from navigator.geolocation when the user allows it; checked by the service.
    latitude = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    longitude = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    accuracy = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
