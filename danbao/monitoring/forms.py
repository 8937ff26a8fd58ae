"""Input shapes of the monitoring pages (business preconditions live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm
from danbao.monitoring.models import RISK_CLASSES, Method, RiskEventKind, Severity

TEXT = {"rows": 3}


class ReportForm(StyledForm):
    """The report body; large text boxes, one column, so it fits a phone."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    method = forms.ChoiceField(label=pgettext_lazy("monitoring", "Method"), choices=Method.choices)
    inspection_date = forms.DateField(label=_("Inspection date"), widget=forms.DateInput(attrs={"type": "date"}))
    operations = forms.CharField(label=_("Operations"), widget=forms.Textarea(attrs=TEXT), required=False)
    finances = forms.CharField(label=_("Finances"), widget=forms.Textarea(attrs=TEXT), required=False)
    collateral = forms.CharField(label=_("Collateral state"), widget=forms.Textarea(attrs=TEXT), required=False)
    loan_use = forms.CharField(label=_("Use of the loan"), widget=forms.Textarea(attrs=TEXT), required=False)
    risk_signals = forms.CharField(label=_("Risk signals found"), widget=forms.Textarea(attrs=TEXT), required=False)
    conclusion = forms.CharField(label=pgettext_lazy("monitoring", "Conclusion"), widget=forms.Textarea(attrs=TEXT), required=False)
    suggested_class = forms.ChoiceField(label=_("Suggested risk class"), choices=[(c, f"{c} {label}") for c, label in RISK_CLASSES])

    FIELDS = (
        "method",
        "inspection_date",
        "operations",
        "finances",
        "collateral",
        "loan_use",
        "risk_signals",
        "conclusion",
        "suggested_class",
    )

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class BatchForm(StyledForm):
    """The shared body of a batch inspection."""

    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. 2026年第二季度 金禾村 农户贷款集中走访"))
    method = forms.ChoiceField(label=pgettext_lazy("monitoring", "Method"), choices=Method.choices)
    inspection_date = forms.DateField(label=_("Inspection date"), widget=forms.DateInput(attrs={"type": "date"}))
    operations = forms.CharField(label=_("Operations"), widget=forms.Textarea(attrs=TEXT))
    finances = forms.CharField(label=_("Finances"), widget=forms.Textarea(attrs=TEXT), required=False)
    collateral = forms.CharField(label=_("Collateral state"), widget=forms.Textarea(attrs=TEXT), required=False)
    loan_use = forms.CharField(label=_("Use of the loan"), widget=forms.Textarea(attrs=TEXT))
    risk_signals = forms.CharField(label=_("Risk signals found"), widget=forms.Textarea(attrs=TEXT), required=False)
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("inspection_date", timezone.localdate())
        super().__init__(*args, **kwargs)

    def shared(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in ("method", "inspection_date", "operations", "finances", "collateral", "loan_use", "risk_signals")
        }


class PhotoForm(StyledForm):
    photo = forms.ImageField(label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    # Filled by the page's script from navigator.geolocation when the user allows it; checked by the service.
    latitude = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    longitude = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    accuracy = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(StyledForm):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReplanForm(StyledForm):
    risk_class = forms.ChoiceField(label=_("Risk class"), choices=[(c, f"{c} {label}") for c, label in RISK_CLASSES])
    reason = forms.CharField(label=_("Reason"), max_length=500)


class EventForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=RiskEventKind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    occurred_date = forms.DateField(label=_("Occurred on"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("occurred_date", timezone.localdate())
        super().__init__(*args, **kwargs)


class EntryForm(StyledForm):
    entry_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    action = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("entry_date", timezone.localdate())
        super().__init__(*args, **kwargs)


class CloseForm(StyledForm):
    conclusion = forms.CharField(label=pgettext_lazy("monitoring", "Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
