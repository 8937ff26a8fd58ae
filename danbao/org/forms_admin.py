"""Input shape of the administration pages; business rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.org import permissions as p
from danbao.org.models import DataScope, Department, Position
from danbao.org.selectors import department_choices, grantable_roles
from danbao.org.services.roles import BUSINESS_SCOPES


class TreeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A department picker indented by depth."""

    def label_from_instance(self, obj: Department) -> str:
        return "\u3000" * obj.depth + obj.name


class TreeMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Department) -> str:
        return "\u3000" * obj.depth + obj.name


class DepartmentForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Department name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Department.Kind.choices)
    parent = TreeChoiceField(label=_("Parent department"), queryset=department_choices(), required=False)
    sort_order = forms.IntegerField(label=_("Sort order"), min_value=0, initial=100)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def __init__(self, *args: Any, department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if department is not None:
            # A department cannot be placed under itself or below (the service checks it again).
            self.fields["parent"].queryset = department_choices(exclude=department)
            self._errors = None  # StyledFormMixin validated with the wider queryset; validate again


class PositionForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Position name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


class UserForm(StyledForm):
    username = forms.CharField(
        label=_("Login name"), max_length=30, help_text=_("3 to 30 letters, digits, dots, underscores or hyphens; cannot be changed later.")
    )
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    employee_no = forms.CharField(label=_("Employee number"), max_length=32)
    mobile = forms.CharField(label=_("Mobile"), max_length=11, min_length=11)
    email = forms.EmailField(label=_("E-mail"), required=False)
    department = TreeChoiceField(label=_("Department"), queryset=department_choices())
    positions = forms.ModelMultipleChoiceField(
        label=_("Positions held"),
        queryset=Position.objects.filter(is_active=True).order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    valid_until = forms.DateField(label=_("Account valid until"), required=False, help_text=_("Leave empty for no end date."))

    def __init__(self, *args: Any, editing: bool = False, current_department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current_department is not None and not current_department.is_active:
            # Keep a deactivated current department selectable so the rest of the profile can be saved.
            self.fields["department"].queryset = Department.objects.filter(Q(is_active=True) | Q(pk=current_department.pk)).order_by("path")
            self._errors = None
        if editing:
            del self.fields["username"]
            self._errors = None  # validated by StyledFormMixin with the field still present


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class RoleForm(StyledForm):
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("Lower-case letters, digits and underscores; cannot be changed later.")
    )
    name = forms.CharField(label=_("Role name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    data_scope = forms.ChoiceField(
        label=_("Data scope"),
        choices=[(s.value, s.label) for s in BUSINESS_SCOPES],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    departments = TreeMultipleChoiceField(
        label=_("Chosen departments"),
        queryset=department_choices(),
        required=False,
        help_text=_("Only for the data scope “chosen departments”; each includes its sub-departments."),
    )
    # Any known code is accepted as input; the service refuses administrator codes with a clear message.
    permissions = forms.MultipleChoiceField(label=_("Permissions"), choices=lambda: [(c, c) for c in p.all_codes()], required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
            self._errors = None


class GrantForm(StyledForm):
    roles = forms.ModelMultipleChoiceField(
        label=_("Business roles"),
        queryset=grantable_roles(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


DATA_SCOPE_LABELS = dict(DataScope.choices)
