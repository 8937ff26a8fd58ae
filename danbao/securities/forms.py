"""Input shapes of the securities pages, and the per-type attribute forms that validate a collateral's
typed attributes (the services call them too, so every entry point gets the same checks)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm
from danbao.securities.models import CollateralType, MeasureKind, PartyType, ProviderSource

DATE = forms.DateInput(attrs={"type": "date"})


class AttributeForm(StyledForm):
    """Base of the per-type attribute forms: `stored()` gives JSON-safe values (dates and decimals as text)."""

    def stored(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            out[name] = value.isoformat() if hasattr(value, "isoformat") else (str(value) if isinstance(value, Decimal) else value)
        return out


class RealEstateForm(AttributeForm):
    address = forms.CharField(label=_("Address"), max_length=300)
    certificate_no = forms.CharField(label=_("Property certificate number"), max_length=100)
    area = forms.DecimalField(label=_("Floor area (m²)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    use = forms.CharField(label=_("Use"), max_length=100, required=False, help_text=_("e.g. 住宅, 商业, 工业"))


class LandForm(AttributeForm):
    parcel = forms.CharField(label=_("Parcel (location and number)"), max_length=300)
    certificate_no = forms.CharField(label=_("Land certificate number"), max_length=100, required=False)
    area = forms.DecimalField(label=_("Land area (m²)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    term_end = forms.DateField(label=_("Land-use right ends on"), widget=DATE)


class EquipmentForm(AttributeForm):
    model = forms.CharField(label=_("Make and model"), max_length=200)
    serial = forms.CharField(label=_("Serial number"), max_length=100)
    year = forms.IntegerField(label=_("Year of manufacture"), min_value=1950, max_value=2100)


class VehicleForm(AttributeForm):
    plate = forms.CharField(label=_("Number plate"), max_length=20)
    vin = forms.CharField(label=_("VIN"), min_length=17, max_length=17)

    def clean_vin(self) -> str:
        vin = self.cleaned_data["vin"].strip().upper()
        if any(ch in "IOQ" for ch in vin) or not vin.isalnum():
            raise forms.ValidationError(_("A VIN has 17 letters and digits, without I, O or Q."))
        return vin


class ReceivableForm(AttributeForm):
    debtor = forms.CharField(label=_("Debtor"), max_length=200)
    amount = forms.DecimalField(label=_("Receivable amount (yuan)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    due = forms.DateField(label=_("Due date"), widget=DATE)


class EquityForm(AttributeForm):
    company = forms.CharField(label=pgettext_lazy("equity", "Company"), max_length=200)
    share_percent = forms.DecimalField(
        label=_("Share pledged (%)"), max_digits=7, decimal_places=4, min_value=Decimal("0.0001"), max_value=Decimal("100")
    )


class DepositForm(AttributeForm):
    bank = forms.CharField(label=pgettext_lazy("deposit", "Bank"), max_length=200)
    account = forms.CharField(label=_("Account number"), max_length=40, help_text=_("Shown masked on every page."))
    amount = forms.DecimalField(label=_("Deposit amount (yuan)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01"))

    def clean_account(self) -> str:
        account = "".join(self.cleaned_data["account"].split())
        if not account.isdigit() or not 8 <= len(account) <= 32:
            raise forms.ValidationError(_("An account number has 8 to 32 digits."))
        return account


class WarehouseReceiptForm(AttributeForm):
    warehouse = forms.CharField(label=_("Warehouse"), max_length=200)
    goods = forms.CharField(label=_("Goods"), max_length=200)
    quantity = forms.CharField(label=_("Quantity (with unit)"), max_length=100)


ATTRIBUTE_FORMS: dict[str, type[AttributeForm]] = {
    CollateralType.REAL_ESTATE: RealEstateForm,
    CollateralType.LAND: LandForm,
    CollateralType.EQUIPMENT: EquipmentForm,
    CollateralType.VEHICLE: VehicleForm,
    CollateralType.RECEIVABLE: ReceivableForm,
    CollateralType.EQUITY: EquityForm,
    CollateralType.DEPOSIT: DepositForm,
    CollateralType.WAREHOUSE_RECEIPT: WarehouseReceiptForm,
}
MASKED_ATTRIBUTES = {"account"}


def attribute_form_for(collateral_type: str, *, data: Any = None, initial: Any = None, prefix: str | None = None) -> AttributeForm:
    return ATTRIBUTE_FORMS[collateral_type](data=data, initial=initial, prefix=prefix)


def attributes_display(collateral: Any) -> list[tuple[str, str]]:
    """(label, value) pairs of a collateral's attributes in form order; account numbers masked."""
    form_class = ATTRIBUTE_FORMS.get(collateral.type)
    if form_class is None:
        return []
    attrs = collateral.attributes if isinstance(collateral.attributes, dict) else {}
    rows = []
    for name, field in form_class.base_fields.items():
        value = attrs.get(name, "")
        if name in MASKED_ATTRIBUTES and value:
            value = f"****{str(value)[-4:]}"
        rows.append((str(field.label), str(value) if value != "" else "—"))
    return rows


class MeasureForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind of measure"), choices=MeasureKind.choices)
    requirement = forms.ChoiceField(label=_("Requirement of the approval it fulfils"), required=False)
    provider_source = forms.ChoiceField(label=_("Provided by"), choices=ProviderSource.choices, widget=forms.RadioSelect)
    related_party = forms.TypedChoiceField(label=_("Related party"), required=False, coerce=int, empty_value=None)
    provider_type = forms.ChoiceField(label=_("Third party is a"), choices=PartyType.choices, required=False)
    provider_name = forms.CharField(label=_("Third party's name"), max_length=200, required=False)
    provider_id_code = forms.CharField(
        label=_("Third party's ID number or credit code"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted; shown masked."),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        max_digits=18,
        decimal_places=2,
        required=False,
        help_text=_("Required for a margin deposit; optional otherwise (e.g. a guarantee cap)."),
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, requirements: list[str] = (), related_parties: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [("", "—")] + [(line, line) for line in requirements]
        self.fields["related_party"].choices = [("", "—")] + [(p.pk, f"{p.get_kind_display()}：{p.display_name}") for p in related_parties]

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.fields if name != "version"}
        data["requirement"] = data.get("requirement") or ""
        return data


class CollateralForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    type = forms.ChoiceField(label=_("Collateral type"), choices=CollateralType.choices)
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. 长沙市岳麓区xx小区3栋1201室住宅"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class OwnerForm(StyledForm):
    party_type = forms.ChoiceField(label=_("Owner type"), choices=PartyType.choices)
    name = forms.CharField(label=_("Owner name"), max_length=200)
    id_code = forms.CharField(
        label=_("ID number or credit code"), max_length=32, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    share_percent = forms.DecimalField(label=pgettext_lazy("ownership", "Share (%)"), max_digits=7, decimal_places=4, required=False)


class AppraisalForm(StyledForm):
    value = forms.DecimalField(label=_("Appraised value (yuan)"), max_digits=18, decimal_places=2)
    appraiser = forms.CharField(label=_("Appraiser"), max_length=200)
    appraised_on = forms.DateField(label=_("Appraisal date"), widget=DATE)
    method = forms.CharField(
        label=pgettext_lazy("appraisal", "Method"), max_length=100, required=False, help_text=_("e.g. 市场比较法, 收益法")
    )
    report = forms.FileField(label=_("Appraisal report"), required=False)


class RejectForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class RegistrationForm(StyledForm):
    registry_office = forms.CharField(label=_("Registry office"), max_length=200)
    certificate_no = forms.CharField(label=_("Registration certificate number"), max_length=100)
    registered_on = forms.DateField(label=_("Registration date"), widget=DATE)
    priority = forms.IntegerField(label=_("Priority (rank)"), min_value=1, initial=1)
    secured_amount = forms.DecimalField(label=_("Secured amount (yuan)"), max_digits=18, decimal_places=2, required=False)


class InsuranceForm(StyledForm):
    insurer = forms.CharField(label=_("Insurer"), max_length=200)
    policy_no = forms.CharField(label=_("Policy number"), max_length=100)
    amount = forms.DecimalField(label=_("Insured amount (yuan)"), max_digits=18, decimal_places=2)
    starts_on = forms.DateField(label=_("Insured from"), widget=DATE)
    ends_on = forms.DateField(label=_("Insured until"), widget=DATE)
    first_beneficiary = forms.CharField(label=_("First beneficiary"), max_length=200)


class CustodyForm(StyledForm):
    document = forms.CharField(label=_("Title document"), max_length=200, help_text=_("e.g. 不动产权证书原件, 他项权证"))
    location = forms.CharField(label=_("Kept at / taken to"), max_length=200)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    expected_return = forms.DateField(label=_("Expected back on"), widget=DATE, required=False)


class AllocationForm(StyledForm):
    collateral = forms.TypedChoiceField(label=_("Collateral"), coerce=int)
    allocated_value = forms.DecimalField(label=_("Allocated value (yuan)"), max_digits=18, decimal_places=2)

    def __init__(self, *args: Any, collateral: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["collateral"].choices = [(c.pk, f"{c.number} {c.name}（{c.get_type_display()}）") for c in collateral]
