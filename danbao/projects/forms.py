"""Input shapes of the project pages (business preconditions live in the services)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.customers.selectors import customer_list_for
from danbao.org.models import Department, User
from danbao.partners.models import Bank, Channel
from danbao.products.models import Product, ProductStatus
from danbao.projects.models import RepaymentMethod, RiskRecommendation
from danbao.projects.services.common import INTAKE

HUNDRED = Decimal(100)


def _person(user: User) -> str:
    return user.real_name or user.username


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{_person(obj)}（{obj.department.name if obj.department_id else '-'}）"


def managers() -> Any:
    """Active users whose roles grant project intake (the choice list; the service re-checks)."""
    users = User.objects.filter(is_active=True, roles__is_active=True).select_related("department").distinct().order_by("real_name")
    return User.objects.filter(pk__in=[u.pk for u in users if u.can(INTAKE)]).select_related("department").order_by("real_name")


class IntakeForm(StyledForm):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)  # type: ignore[arg-type]
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.filter(status=ProductStatus.ACTIVE).order_by("code"))
    amount = forms.DecimalField(label=_("Amount applied for (yuan)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=600)
    fee_rate = forms.DecimalField(
        label=_("Proposed fee rate (%)"),
        max_digits=8,
        decimal_places=4,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        help_text=_("Empty: the product version's default rate."),
    )
    purpose = forms.CharField(label=_("Loan purpose"), max_length=500)
    repayment_method = forms.ChoiceField(label=_("Repayment method"), choices=RepaymentMethod.choices)
    bank = forms.ModelChoiceField(label=_("Lending bank"), queryset=Bank.objects.filter(parent__isnull=True, is_active=True))
    branch = forms.ModelChoiceField(
        label=_("Lending branch"),
        queryset=Bank.objects.filter(parent__isnull=False, is_active=True).select_related("parent"),
        required=False,
    )
    channel = forms.ModelChoiceField(label=_("Source channel"), queryset=Channel.objects.filter(is_active=True), required=False)
    manager_a = PersonChoice(label=_("A-role manager"), queryset=None)  # type: ignore[arg-type]
    manager_b = PersonChoice(label=_("B-role manager"), queryset=None)  # type: ignore[arg-type]
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(is_active=True).order_by("path"), required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    override_reason = forms.CharField(
        label=_("Reason for an exception"),
        max_length=500,
        required=False,
        help_text=_("Only needed when a rule asks for an exception approval; a second person decides it."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customer_list_for(user).filter(status="active").order_by("name")
        people = managers()
        self.fields["manager_a"].queryset = people
        self.fields["manager_b"].queryset = people

    def clean_fee_rate(self) -> Decimal | None:
        value = self.cleaned_data.get("fee_rate")
        return value / HUNDRED if value is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("manager_a") and data.get("manager_a") == data.get("manager_b"):
            self.add_error("manager_b", _("The A-role and B-role managers must be two different people (separation of duties)."))
        return data


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(StyledForm):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Accept the exception")), ("reject", _("Decline the application"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(StyledForm):
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=RiskRecommendation.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("Review opinion"), widget=forms.Textarea(attrs={"rows": 5}))
    risk_points = forms.CharField(label=_("Main risks and mitigants"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    suggested_conditions = forms.CharField(label=_("Suggested conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TermsForm(StyledForm):
    amount = forms.DecimalField(label=_("Approved amount (yuan)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    term_months = forms.IntegerField(label=_("Approved term (months)"), min_value=1, max_value=600)
    fee_rate = forms.DecimalField(
        label=_("Approved fee rate (%)"), max_digits=8, decimal_places=4, min_value=Decimal(0), max_value=Decimal(100)
    )
    counter_guarantees = forms.CharField(label=_("Required counter-guarantees"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conditions = forms.CharField(label=_("Conditions precedent"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_fee_rate(self) -> Decimal:
        return self.cleaned_data["fee_rate"] / HUNDRED


class ChangeForm(StyledForm):
    amount = forms.DecimalField(label=_("New amount (yuan)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    term_months = forms.IntegerField(label=_("New term (months)"), min_value=1, max_value=600)
    bank = forms.ModelChoiceField(label=_("Lending bank"), queryset=Bank.objects.filter(parent__isnull=True, is_active=True))
    branch = forms.ModelChoiceField(
        label=_("Lending branch"),
        queryset=Bank.objects.filter(parent__isnull=False, is_active=True).select_related("parent"),
        required=False,
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def branch_label_filter(queryset: Any, bank: Bank | None) -> Any:
    return queryset.filter(Q(parent=bank)) if bank is not None else queryset
