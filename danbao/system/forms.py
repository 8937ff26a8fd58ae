"""Input shapes of the system pages (business rules are checked by the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm
from danbao.system.models import CalendarDay, DictItem, DictType, NumberingRule, Parameter


class CalendarDayForm(StyledForm):
    date = forms.DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(
        label=pgettext_lazy("system", "Name"), max_length=50, required=False, help_text=_("For example 国庆节 or 国庆节调休上班.")
    )


class CalendarDayEditForm(StyledForm):
    """The date is the entry's identity: to move an entry, delete it and add it again."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=pgettext_lazy("system", "Name"), max_length=50, required=False)


def _fields_changed(form: forms.Form) -> None:
    """StyledForm validates while styling in __init__; forget those errors after changing fields."""
    form._errors = None  # type: ignore[assignment]  # recomputed on the next access


class CalendarImportForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2004, max_value=2100)


class CalendarYearForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2004, max_value=2100)
    maintained = forms.BooleanField(label=_("All holidays and make-up working days of this year are entered"), required=False)


class WorkdayCalculatorForm(StyledForm):
    start = forms.DateField(label=_("Start date"))
    days = forms.IntegerField(label=_("Working days"), min_value=-3650, max_value=3650, help_text=_("Negative to count backwards."))


class DictTypeForm(StyledForm):
    code = forms.SlugField(label=_("Code"), max_length=50)
    name = forms.CharField(label=pgettext_lazy("system", "Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True
            _fields_changed(self)


class DictItemForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=50)
    label = forms.CharField(label=_("Label"), max_length=100)
    sort_order = forms.IntegerField(label=_("Sort order"), min_value=0, required=False, help_text=_("Leave empty to add at the end."))
    parent = forms.ModelChoiceField(
        label=_("Parent item"), queryset=DictItem.objects.none(), required=False, help_text=_("Only for two-level dictionaries.")
    )

    def __init__(self, *args: Any, dict_type: DictType, item: DictItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = dict_type.items.filter(parent__isnull=True).order_by("sort_order", "id")
        if item is not None:
            parents = parents.exclude(pk=item.pk)
            self.fields["code"].disabled = True
        self.fields["parent"].queryset = parents
        _fields_changed(self)


class ParameterValueForm(StyledForm):
    value = forms.CharField(label=_("New value"), max_length=2000)
    valid_from = forms.DateField(label=_("Valid from"), required=False)
    valid_to = forms.DateField(label=_("Valid to"), required=False, help_text=_("Leave empty: until the next version, or open-ended."))
    source = forms.CharField(
        label=_("Source document"), max_length=200, required=False, help_text=_("Regulation, article or internal decision.")
    )
    article = forms.CharField(label=_("Article"), max_length=100, required=False, help_text=_("For example 第十五条."))
    note = forms.CharField(label=_("Reason for the change"), max_length=500, required=False)

    def __init__(self, *args: Any, parameter: Parameter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = parameter.kind
        field = self.fields["value"]
        if kind == Parameter.Kind.CHOICE:
            self.fields["value"] = forms.ChoiceField(label=_("New value"), choices=[(c, c) for c in parameter.choices])
        elif kind == Parameter.Kind.BOOL:
            self.fields["value"] = forms.ChoiceField(label=_("New value"), choices=[("true", _("Yes")), ("false", _("No"))])
        elif kind == Parameter.Kind.JSON:
            field.widget = forms.Textarea(attrs={"rows": 3})
        elif kind == Parameter.Kind.PERCENT:
            field.label = _("New value (%)")
            field.help_text = _("In percent: 1.5 means 1.5%.")
        elif kind == Parameter.Kind.DATE:
            field.help_text = _("As YYYY-MM-DD.")
        if parameter.legal_force:
            self.fields["valid_from"].required = True
            self.fields["valid_from"].help_text = _("The date from which the regulation applies.")
        else:
            self.fields["valid_from"].help_text = _("Leave empty: from today.")
        # The value widget may have been replaced after StyledForm styled the fields: style it again.
        widget = self.fields["value"].widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        _fields_changed(self)
        widget.attrs["class"] = f"{css}{' is-invalid' if self.is_bound and 'value' in self.errors else ''}"


class NumberingRuleForm(StyledForm):
    code = forms.SlugField(label=_("Code"), max_length=50, help_text=_("How business modules name the rule, e.g. project."))
    name = forms.CharField(label=pgettext_lazy("system", "Name"), max_length=100)
    prefix = forms.CharField(label=_("Prefix"), max_length=20, required=False)
    date_pattern = forms.ChoiceField(label=_("Date part"), choices=NumberingRule.DATE_PATTERNS, required=False)
    separator = forms.ChoiceField(label=_("Separator"), choices=NumberingRule._meta.get_field("separator").choices, required=False)
    sequence_width = forms.IntegerField(label=_("Sequence digits"), min_value=2, max_value=10, initial=4)
    reset = forms.ChoiceField(label=_("Restart the sequence"), choices=NumberingRule.Reset.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True
            _fields_changed(self)
