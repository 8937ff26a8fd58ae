"""Customer forms: one form per kind with only that kind's fields; searchable industry and region."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.customers.models.customer import ORGANISATION_KINDS, Customer, CustomerKind, SizeClass
from danbao.customers.reference import industry_choices, region_get
from danbao.customers.services import SENSITIVE_FIELDS, fields_for_kind
from danbao.org.models import Department, User

# Fields a kind must fill in besides name, code, department and manager.
REQUIRED_BY_KIND: dict[str, tuple[str, ...]] = {
    CustomerKind.ENTERPRISE: ("legal_rep_name", "industry_code", "region_code"),
    CustomerKind.COOPERATIVE: ("legal_rep_name", "industry_code", "region_code"),
    CustomerKind.FAMILY_FARM: ("legal_rep_name", "region_code"),
    CustomerKind.INDIVIDUAL_BUSINESS: ("legal_rep_name", "region_code"),
    CustomerKind.FARMER: ("mobile", "region_code", "household_address"),
    CustomerKind.NATURAL_PERSON: ("mobile",),
}
# Individual businesses and family farms have an operator (经营者) rather than a legal representative.
OPERATOR_KINDS = (CustomerKind.INDIVIDUAL_BUSINESS, CustomerKind.FAMILY_FARM)


@cache
def industry_options() -> list[tuple[str, str]]:
    """Divisions, each followed by its groups (GB/T 4754-2017), for one searchable select."""
    divisions = industry_choices("division")
    groups = industry_choices("group")
    out: list[tuple[str, str]] = [("", "—")]
    for code, label in divisions:
        out.append((code, label))
        out.extend((g, "\u3000" + glabel) for g, glabel in groups if g.startswith(code))
    return out


@cache
def region_options() -> list[tuple[str, str]]:
    """Every province, city and county with its full name (searchable by name or code)."""
    from danbao.customers.reference import _regions

    rows = sorted(_regions().values(), key=lambda r: r.code)
    return [("", "—")] + [(r.code, f"{r.code} {r.full_name or r.name}") for r in rows]


def manager_queryset() -> Any:
    """Active business users (not the three administrators)."""
    return (
        User.objects.filter(is_active=True, roles__is_active=True, roles__admin_kind="")
        .distinct()
        .select_related("department")
        .order_by("department__path", "real_name")
    )


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.real_name or obj.username}（{obj.department or '—'}）"


class KindForm(StyledForm):
    kind = forms.ChoiceField(label=_("Customer kind"), choices=CustomerKind.choices, widget=forms.RadioSelect)


class CustomerForm(StyledForm):
    """The profile fields of one kind. `editing` hides the personal numbers from users who may not
    see them in full (they keep their values)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, kind: str, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        names = [n for n in fields_for_kind(kind) if not (editing and n in SENSITIVE_FIELDS and not user.can("customers.sensitive.view"))]
        required = {"name", "identity_code", "department", "manager", *REQUIRED_BY_KIND.get(kind, ())}
        for name in names:
            self.fields[name] = self._field(name)
            self.fields[name].required = name in required
        if not editing:
            self.fields.pop("version")
        if "legal_rep_name" in self.fields and kind in OPERATOR_KINDS:
            self.fields["legal_rep_name"].label = _("operator")
            self.fields["legal_rep_id"].label = _("operator's ID number")
        code_label = _("unified social credit code") if kind in ORGANISATION_KINDS else _("resident ID number")
        if "identity_code" in self.fields:
            self.fields["identity_code"].label = code_label
            self.fields["identity_code"].widget.attrs.update(
                {"autocomplete": "off", "spellcheck": "false", "class": "form-control font-monospace"}
            )
        for name in ("registered_capital", "annual_revenue", "total_assets"):
            if name in self.fields:
                self.fields[name].help_text = _("In yuan.")
        if "annual_revenue" in self.fields:
            self.fields["annual_revenue"].help_text = _("In yuan; last year's operating revenue. Used for the size class.")
        if "industry_code" in self.fields:
            self.fields["industry_code"].help_text = _("GB/T 4754-2017; type a code or a name to search.")
        self._style()  # the base class styled only the fields that existed before

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            classes = widget.attrs.get("class", "")
            if css not in classes:
                widget.attrs["class"] = f"{classes} {css}".strip()

    def _field(self, name: str) -> forms.Field:
        if name == "department":
            return forms.ModelChoiceField(
                label=_("managing department"), queryset=Department.objects.filter(is_active=True).order_by("path")
            )
        if name in ("manager", "b_manager"):
            label = _("customer manager") if name == "manager" else _("B-role manager")
            return UserChoiceField(label=label, queryset=manager_queryset(), widget=forms.Select(attrs={"data-searchable": ""}))
        if name == "industry_code":
            return forms.ChoiceField(label=_("industry"), choices=industry_options(), widget=forms.Select(attrs={"data-searchable": ""}))
        if name == "region_code":
            return forms.ChoiceField(label=_("region"), choices=region_options(), widget=forms.Select(attrs={"data-searchable": ""}))
        field = Customer._meta.get_field(name).formfield()
        if name == "business_scope":
            field.widget = forms.Textarea(attrs={"rows": 3})
        if name == "established_on":
            field.widget = forms.DateInput(attrs={"type": "date"})
        return field

    def changes(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("industry_code", "region_code"):
            if key in data:
                data[key] = data[key] or ""
        return data


def initial_for(customer: Customer) -> dict[str, Any]:
    data = {name: getattr(customer, name) for name in fields_for_kind(customer.kind)}
    for name in ("department", "manager", "b_manager"):
        data[name] = getattr(customer, f"{name}_id")
    data["version"] = customer.version
    return data


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(ReasonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SizeOverrideForm(StyledForm):
    size_class = forms.ChoiceField(
        label=_("Size class (override)"),
        choices=[("", _("No override: use the computed class")), *SizeClass.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UnmaskForm(StyledForm):
    field = forms.ChoiceField(choices=[(f, f) for f in SENSITIVE_FIELDS], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for viewing"), max_length=255)


def region_label(code: str) -> str:
    region = region_get(code)
    return region.full_name if region else code
