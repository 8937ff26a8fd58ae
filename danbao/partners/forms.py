"""Partner forms: input shape only (business rules are the services'). Rates are typed in percent
("20" = 20 %) and handed to the services as fractions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.org.models import User
from danbao.partners.models import Agreement, Bank, ChannelKind, Partner, PartnerKind

HUNDRED = Decimal(100)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d")


class PercentField(forms.DecimalField):
    """A rate typed in percent with up to 4 decimals; `clean` returns the fraction."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("step", "0.0001")

    def clean(self, value: Any) -> Decimal | None:
        number = super().clean(value)
        return None if number is None else number / HUNDRED


def as_percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * HUNDRED).normalize()


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.real_name or obj.username}（{obj.department or '—'}）"


def business_users() -> Any:
    return (
        User.objects.filter(is_active=True, roles__is_active=True, roles__admin_kind="")
        .distinct()
        .select_related("department")
        .order_by("department__path", "real_name")
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class BankForm(StyledForm):
    code = forms.CharField(
        label=_("Bank code"), max_length=32, help_text=_("Unique; the code in-force guarantees record as the lending bank.")
    )
    name = forms.CharField(label=_("Bank name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    parent = forms.ModelChoiceField(
        label=_("Head office"),
        queryset=Bank.objects.none(),
        required=False,
        help_text=_("Leave empty for a head office; choose the head office for a branch."),
    )
    licence_no = forms.CharField(label=_("Financial licence number"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Bank.objects.filter(parent__isnull=True, is_active=True).order_by("code")  # type: ignore[attr-defined]


class ContactForm(StyledForm):
    name = forms.CharField(label=_("Contact name"), max_length=50)
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class AgreementForm(StyledForm):
    """The terms of a bank cooperation agreement."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Bank.objects.none())
    number = forms.CharField(label=_("Agreement number"), max_length=50)
    title = forms.CharField(label=_("Agreement title"), max_length=200, required=False)
    signed_date = forms.DateField(label=_("Signing date"), required=False, widget=_date_widget())
    valid_from = forms.DateField(label=_("Valid from"), widget=_date_widget())
    valid_to = forms.DateField(label=_("Valid to"), widget=_date_widget())
    credit_line_amount = forms.DecimalField(label=_("Credit line (yuan)"), max_digits=18, decimal_places=2)
    single_cap_amount = forms.DecimalField(label=_("Single guarantee cap (yuan)"), max_digits=18, decimal_places=2, required=False)
    bank_share_rate = PercentField(label=_("Bank risk share (%)"), initial=0)
    margin_rate = PercentField(label=_("Margin ratio (%)"), initial=0)
    grace_days = forms.IntegerField(label=_("Claim allowed after days overdue"), min_value=0, max_value=3650, initial=90)
    payment_days = forms.IntegerField(label=_("Claim paid within days"), min_value=0, max_value=3650, initial=30)
    covers_principal = forms.BooleanField(label=_("Compensation covers principal"), required=False, initial=True)
    covers_interest = forms.BooleanField(label=_("Compensation covers interest"), required=False)
    covers_penalty = forms.BooleanField(label=_("Compensation covers penalty interest"), required=False)
    covers_fees = forms.BooleanField(label=_("Compensation covers fees"), required=False)
    loss_rate_cap = PercentField(
        label=_("Compensation rate cap (%)"),
        required=False,
        help_text=_("限率代偿: beyond this portfolio loss rate the bank bears the losses. Leave empty when not agreed."),
    )
    product_codes = forms.CharField(
        label=_("Products covered"), required=False, help_text=_("Product codes separated by commas; empty = all products.")
    )
    manager = UserChoiceField(label=_("Responsible manager"), queryset=User.objects.none())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = Bank.objects.filter(is_active=True).select_related("parent").order_by("code")  # type: ignore[attr-defined]
        self.fields["manager"].queryset = business_users()  # type: ignore[attr-defined]
        if editing:
            self.fields["bank"].disabled = True

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("bank", None)
        return data


def agreement_initial(agreement: Agreement) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(agreement, name) for name in AgreementForm.base_fields if hasattr(agreement, name)}
    for name in ("bank_share_rate", "margin_rate", "loss_rate_cap"):
        data[name] = as_percent(getattr(agreement, name))
    data["product_codes"] = ", ".join(agreement.product_codes or [])
    data["bank"] = agreement.bank_id
    data["manager"] = agreement.manager_id
    return data


class PartnerForm(StyledForm):
    code = forms.CharField(label=_("Partner code"), max_length=32)
    name = forms.CharField(label=_("Partner name"), max_length=100)
    kind = forms.ChoiceField(label=_("Partner kind"), choices=PartnerKind.choices)
    share_rate = PercentField(label=_("Risk share (% of the defaulted loan)"))
    cap_amount = forms.DecimalField(label=_("Compensation cap (yuan)"), max_digits=18, decimal_places=2, required=False)
    loss_rate_cap = PercentField(label=_("Compensation rate cap (%)"), required=False)
    fee_band_amount = forms.DecimalField(
        label=_("Fee band: single guarantee up to (yuan)"), max_digits=18, decimal_places=2, initial=Decimal("5000000")
    )
    fee_rate_low = PercentField(
        label=_("Fee rate up to the band (%)"),
        required=False,
        help_text=_("Leave empty for the national fund and re-guarantors to use the dated system parameter."),
    )
    fee_rate_high = PercentField(label=_("Fee rate above the band (%)"), required=False)
    agreement_number = forms.CharField(label=_("Agreement number"), max_length=50, required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=_date_widget())
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=_date_widget())
    contact_name = forms.CharField(label=_("Contact name"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def partner_initial(partner: Partner) -> dict[str, Any]:
    data = {name: getattr(partner, name) for name in PartnerForm.base_fields}
    for name in ("share_rate", "loss_rate_cap", "fee_rate_low", "fee_rate_high"):
        data[name] = as_percent(getattr(partner, name))
    return data


class ChannelForm(StyledForm):
    code = forms.CharField(label=_("Channel code"), max_length=32)
    name = forms.CharField(label=_("Channel name"), max_length=100)
    kind = forms.ChoiceField(label=_("Channel kind"), choices=ChannelKind.choices)
    contact_name = forms.CharField(label=_("Contact name"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    arrangement = forms.CharField(label=_("Agreement and fee arrangement"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
