"""Input shape of the documents panel: one upload form per kind, one void form per file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm


class AttachmentUploadForm(StyledForm):
    owner = forms.CharField(widget=forms.HiddenInput, max_length=100)
    owner_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    kind = forms.CharField(widget=forms.HiddenInput, max_length=64)
    file = forms.FileField(label=_("File"), max_length=255)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AttachmentVoidForm(StyledForm):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=200)
