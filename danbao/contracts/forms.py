"""Input shapes of the contracts pages (business preconditions live in the services)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm


class SignForm(StyledForm):
    signed_on = forms.DateField(label=pgettext_lazy("contracts", "Signing date"), widget=forms.DateInput(attrs={"type": "date"}))
    signatories = forms.CharField(
        label=_("Signed by (each party)"),
        max_length=500,
        help_text=_("Who signed and sealed for each party, e.g. 甲方：张三（法定代表人）；乙方：李四（授权代表）"),
    )
    scan = forms.FileField(label=_("Signed scan (PDF or image)"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()


class VoidForm(StyledForm):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=500)


class VersionForm(StyledForm):
    """A draft template version: title, wording with {{placeholders}} and what changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Contract title"), max_length=100)
    body = forms.CharField(
        label=_("Wording"),
        widget=forms.Textarea(attrs={"rows": 28, "class": "form-control font-monospace", "spellcheck": "false"}),
        strip=False,
    )
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)
