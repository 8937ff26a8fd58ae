"""Input shapes of the archive pages (business preconditions live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.archive.models import BorrowForm, BorrowMode, Received
from danbao.core.forms import StyledForm


class ItemForm(StyledForm):
    received = forms.ChoiceField(label=pgettext_lazy("archive", "Paper received"), choices=Received.choices, required=False)
    pages = forms.IntegerField(label=pgettext_lazy("archive", "Pages"), min_value=1, max_value=9999, required=False)
    note = forms.CharField(label=pgettext_lazy("archive", "Note"), max_length=200, required=False)


class WaiveForm(StyledForm):
    reason = forms.CharField(label=_("Reason for the waiver"), max_length=300)


class ArchiveForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    box = forms.CharField(label=pgettext_lazy("archive", "Box"), max_length=40)
    room = forms.CharField(label=pgettext_lazy("archive", "Room"), max_length=40)
    cabinet = forms.CharField(label=pgettext_lazy("archive", "Cabinet"), max_length=40)
    shelf = forms.CharField(label=pgettext_lazy("archive", "Shelf"), max_length=40, required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=pgettext_lazy("archive", "Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(StyledForm):
    comment = forms.CharField(label=pgettext_lazy("archive", "Comment"), max_length=300, required=False)


class BorrowRequestForm(StyledForm):
    purpose = forms.CharField(label=pgettext_lazy("archive", "Purpose"), max_length=300)
    items = forms.CharField(label=_("Documents wanted (empty = the whole file)"), max_length=500, required=False)
    form = forms.ChoiceField(label=pgettext_lazy("archive", "Original or copy"), choices=BorrowForm.choices, initial=BorrowForm.COPY)
    mode = forms.ChoiceField(label=pgettext_lazy("archive", "On site or take out"), choices=BorrowMode.choices, initial=BorrowMode.ON_SITE)
    expected_return = forms.DateField(
        label=pgettext_lazy("archive", "Expected return date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReturnForm(StyledForm):
    condition = forms.CharField(label=pgettext_lazy("archive", "Condition on return"), max_length=300, initial="完好")
