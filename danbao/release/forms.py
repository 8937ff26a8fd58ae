"""Input shapes of the release pages (business preconditions live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm


class RegisterForm(StyledForm):
    notice_date = forms.DateField(label=_("Date of the bank's notice"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference of the bank's notice"), max_length=80)
    scan = forms.FileField(label=_("Scan of the bank's release notice"))
    confirms_full_repayment = forms.BooleanField(
        label=_("The bank's notice confirms full repayment (the loan balance is set to 0)"), required=False
    )
    note = forms.CharField(label=pgettext_lazy("release", "Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(StyledForm):
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"}))
    registry_office = forms.CharField(label=_("Registry office"), max_length=200, required=False)
    certificate_returned = forms.BooleanField(label=_("Registration certificate returned"), required=False)
    location = forms.CharField(label=_("Returned to"), max_length=200, required=False)
    evidence = forms.CharField(label=_("Evidence"), max_length=200, required=False)
    note = forms.CharField(label=pgettext_lazy("release", "Note"), max_length=500, required=False)
