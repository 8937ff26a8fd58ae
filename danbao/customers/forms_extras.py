"""Forms of statements, related parties, watch lists, screening hits and credit records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.customers.models import CreditEntry, FinancialStatement, RelatedParty, ScreeningHit, WatchList
from danbao.customers.models.financials import STATEMENT_FIELDS


def _amount_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=18, decimal_places=2, required=False, widget=forms.NumberInput(attrs={"step": "0.01"})
    )


class _StatementFormBase(StyledForm):
    period_type = forms.ChoiceField(label=_("Period type"), choices=FinancialStatement.PeriodType.choices)
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput())
    audited = forms.BooleanField(label=_("Audited"), required=False)
    auditor = forms.CharField(label=_("Auditor"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def sections(self) -> list[dict[str, Any]]:
        from danbao.customers.models.financials import SECTION_LABELS

        return [{"label": SECTION_LABELS[s], "fields": [self[name] for name, _l in rows]} for s, rows in STATEMENT_FIELDS]

    def meta_fields(self) -> list[Any]:
        return [self[n] for n in ("period_type", "period_end", "audited", "auditor", "note")]


StatementForm = type(
    "StatementForm",
    (_StatementFormBase,),
    {"__module__": __name__, **{name: _amount_field(label) for _s, rows in STATEMENT_FIELDS for name, label in rows}},
)


class StatementUploadForm(StyledForm):
    file = forms.FileField(label=_("Filled template (.xlsx)"))


class HouseholdForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    annual_income_amount = _amount_field(_("Annual income"))
    annual_expenses_amount = _amount_field(_("Annual expenses"))
    total_assets_amount = _amount_field(_("Total assets"))
    total_liabilities_amount = _amount_field(_("Total liabilities"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RelationForm(StyledForm):
    kind = forms.ChoiceField(label=_("Relation"), choices=RelatedParty.Kind.choices)
    share_percent = forms.DecimalField(
        label=_("Share (%)"), max_digits=7, decimal_places=4, required=False, help_text=_("Shareholders only.")
    )
    party_customer = forms.ModelChoiceField(
        label=_("Party is a customer"), queryset=None, required=False, help_text=_("Or leave empty and enter the name and code below.")
    )
    party_type = forms.ChoiceField(label=_("Party type"), choices=RelatedParty.PartyType.choices)
    party_name = forms.CharField(label=_("Party name"), max_length=200, required=False)
    party_id_code = forms.CharField(
        label=_("Identity code"), max_length=32, required=False, help_text=_("Credit code of a company or ID number of a person.")
    )
    started_on = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_customer"].queryset = customers


class RelationEndForm(StyledForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=500)


class WatchListImportForm(StyledForm):
    source = forms.ChoiceField(label=_("Source"), choices=WatchList.Source.choices)
    list_name = forms.CharField(label=_("List name"), max_length=200, help_text=_("An existing list of this name is replaced by the file."))
    file = forms.FileField(label=_("File (CSV or .xlsx)"))
    accept_good_rows = forms.BooleanField(label=_("Import the good rows and skip the bad ones"), required=False)


class BlacklistEntryForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    id_code = forms.CharField(label=_("Identity code"), max_length=32, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class HitHandleForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ScreeningHit.Status.CONFIRMED, _("Confirm: it is the listed party")),
            (ScreeningHit.Status.DISMISSED, _("Dismiss: not the listed party")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(StyledForm):
    person_name = forms.CharField(
        label=_("Authorising person"), max_length=100, required=False, help_text=_("Empty when the customer itself signed.")
    )
    person_id_code = forms.CharField(label=_("Identity code of the person"), max_length=32, required=False)
    text_version = forms.CharField(label=_("Authorisation text version"), max_length=50)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput())
    scope = forms.CharField(label=_("Scope"), max_length=500, initial="贷前审查、保后管理")
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput())


class CreditReportForm(StyledForm):
    query_date = forms.DateField(label=_("Query date"), widget=forms.DateInput())
    purpose = forms.CharField(label=_("Purpose"), max_length=200, initial="担保资格审查")
    file = forms.FileField(label=_("Entries file (CSV or .xlsx, optional)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CreditEntryForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CreditEntry.Kind.choices)
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=2, required=False, min_value=0)
    balance = forms.DecimalField(label=_("Balance"), max_digits=18, decimal_places=2, required=False, min_value=0)
    status = forms.CharField(label=_("Status"), max_length=50, required=False)
    overdue_amount = forms.DecimalField(label=_("Overdue amount"), max_digits=18, decimal_places=2, required=False, min_value=0)
    overdue_days = forms.IntegerField(label=_("Overdue days"), required=False, min_value=0)
    overdue_months = forms.IntegerField(label=_("Overdue months"), required=False, min_value=0)


CreditEntryFormSet = forms.formset_factory(CreditEntryForm, extra=3)
