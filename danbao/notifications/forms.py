"""Input shape of the compose and template pages; business rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.notifications.models import Channel, is_relative_link
from danbao.notifications.registry import templated_kind_choices
from danbao.org.models import Department, Role, User


class _PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        dept = obj.department.name if obj.department_id else ""
        return f"{obj.real_name or obj.username}（{obj.username}{'，' + dept if dept else ''}）"


def _searchable(placeholder: Any) -> forms.SelectMultiple:
    return forms.SelectMultiple(attrs={"data-searchable": "", "placeholder": placeholder})


class ComposeForm(StyledForm):
    # Querysets and choices are declared here, not set in __init__: StyledForm validates while styling.
    users = _PersonChoice(
        label=_("Users"),
        queryset=User.objects.filter(is_active=True).select_related("department").order_by("username"),
        required=False,
        widget=_searchable(_("Search by name or login")),
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"),
        queryset=Role.objects.filter(is_active=True).order_by("code"),
        required=False,
        widget=_searchable(_("Choose roles")),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.filter(is_active=True).order_by("path"),
        required=False,
        widget=_searchable(_("Choose departments")),
    )
    include_subdepartments = forms.BooleanField(label=_("Include sub-departments"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=5000)
    link = forms.CharField(
        label=_("Link"),
        max_length=500,
        required=False,
        help_text=_("Optional: a page of this system, such as /projects/12/."),
    )

    def clean_link(self) -> str:
        link = self.cleaned_data["link"].strip()
        if not is_relative_link(link):
            raise forms.ValidationError(_("The link must be a path inside this system, starting with a single /."))
        return link

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("users") or data.get("roles") or data.get("departments")):
            raise forms.ValidationError(_("Choose at least one user, role or department."))
        return data


class TemplateForm(StyledForm):
    kind = forms.ChoiceField(label=_("Message kind"), choices=templated_kind_choices)  # callable: kinds registered later count too
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text=_("Use {placeholder} fields such as {name} or {project_no}; they are filled in when the message is sent."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
