"""Finance inputs of the regulatory metrics: one balance-sheet record per month, entered by finance.

Corrections change the record in place with a version counter; simple-history keeps every earlier
version, and nothing is deleted (a regulator may ask what the figures were when a report was made).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danbao.core.history import audited_history

MONEY = {"max_digits": 18, "decimal_places": 2, "default": 0}

# (field, label, section) in form order; sections group the entry page. Labels are the report's terms.
BALANCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("net_assets_amount", _("Net assets (book, non-consolidated)")),
    ("equity_in_guarantors_amount", _("Equity investments in other guarantee and re-guarantee companies")),
    ("total_assets_amount", _("Total assets")),
    ("comp_receivable_amount", _("Compensation receivable (应收代偿款)")),
    ("entrusted_gov_funds_amount", _("Entrusted government or fiscal special funds")),
)
LEVEL1_FIELDS: tuple[tuple[str, str], ...] = (
    ("cash_and_deposits_amount", _("Cash and bank deposits (own funds)")),
    ("margin_deposits_amount", _("Margin deposited with banks (存出保证金)")),
    ("money_market_funds_amount", _("Money-market funds")),
    ("gov_and_financial_bonds_amount", _("Government and financial bonds")),
    ("wmp_short_amount", _("Bank wealth-management products redeemable any time or maturing within 3 months")),
    ("bonds_aaa_amount", _("Bonds rated AAA")),
    ("other_monetary_funds_amount", _("Other monetary funds")),
)
LEVEL2_FIELDS: tuple[tuple[str, str], ...] = (
    ("wmp_other_amount", _("Other bank wealth-management products")),
    ("bonds_aa_amount", _("Bonds rated AA or AA+")),
    ("client_equity_amount", _("Equity investments in in-force clients (20% level II, 80% level III)")),
    ("client_entrusted_loans_short_amount", _("Entrusted loans to in-force clients, term up to 6 months (40% level II, 60% level III)")),
    ("self_use_property_amount", _("Self-used property (level II up to 30% of net assets, the rest level III)")),
)
LEVEL3_FIELDS: tuple[tuple[str, str], ...] = (
    ("other_equity_amount", _("Other equity investments")),
    ("bonds_low_amount", _("Bonds rated AA- or lower, or unrated")),
    ("trust_and_am_products_amount", _("Trust products, asset-management plans, fund products, ABS")),
    ("other_entrusted_loans_amount", _("Other entrusted loans")),
    ("non_self_use_property_amount", _("Property not for own use")),
    ("other_receivables_amount", _("Other receivables")),
)
RESERVE_FIELDS: tuple[tuple[str, str], ...] = (
    ("fee_income_ytd_amount", _("Guarantee-fee income, year to date")),
    ("comp_reserve_opening_amount", _("Compensation reserve at the start of the year")),
    ("comp_reserve_used_ytd_amount", _("Compensation reserve used for write-offs, year to date")),
)
RATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("released_ytd_amount", _("Guarantees released by repayment, year to date")),
    ("compensated_ytd_amount", _("Compensation paid, year to date")),
    ("recovered_ytd_amount", _("Recovered after compensation, year to date")),
    ("loss_ytd_amount", _("Losses confirmed, year to date")),
    ("released_total_amount", _("Guarantees released by repayment since founding")),
    ("compensated_total_amount", _("Compensation paid since founding")),
    ("recovered_total_amount", _("Recovered after compensation since founding")),
    ("loss_total_amount", _("Losses confirmed since founding")),
)
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("balance", _("Balance sheet"), BALANCE_FIELDS),
    ("level1", _("Level I assets"), LEVEL1_FIELDS),
    ("level2", _("Level II assets"), LEVEL2_FIELDS),
    ("level3", _("Level III assets"), LEVEL3_FIELDS),
    ("reserves", _("Reserves"), RESERVE_FIELDS),
    ("rates", _("Compensation, recovery and loss"), RATE_FIELDS),
)
AMOUNT_FIELDS: tuple[str, ...] = tuple(name for _key, _label, fields in SECTIONS for name, _l in fields)


class FinanceInput(models.Model):
    """The month-end figures finance enters for one period (the first day of the month names it)."""

    period = models.DateField(_("period"), unique=True, help_text=_("The month; figures are as at its last day."))
    net_assets_amount = models.DecimalField(_("net assets"), **MONEY)
    equity_in_guarantors_amount = models.DecimalField(_("equity in other guarantors"), **MONEY)
    total_assets_amount = models.DecimalField(_("total assets"), **MONEY)
    comp_receivable_amount = models.DecimalField(_("compensation receivable"), **MONEY)
    entrusted_gov_funds_amount = models.DecimalField(_("entrusted government funds"), **MONEY)
    cash_and_deposits_amount = models.DecimalField(_("cash and bank deposits"), **MONEY)
    margin_deposits_amount = models.DecimalField(_("margin deposits"), **MONEY)
    money_market_funds_amount = models.DecimalField(_("money-market funds"), **MONEY)
    gov_and_financial_bonds_amount = models.DecimalField(_("government and financial bonds"), **MONEY)
    wmp_short_amount = models.DecimalField(_("short wealth-management products"), **MONEY)
    bonds_aaa_amount = models.DecimalField(_("AAA bonds"), **MONEY)
    other_monetary_funds_amount = models.DecimalField(_("other monetary funds"), **MONEY)
    wmp_other_amount = models.DecimalField(_("other wealth-management products"), **MONEY)
    bonds_aa_amount = models.DecimalField(_("AA bonds"), **MONEY)
    client_equity_amount = models.DecimalField(_("equity in in-force clients"), **MONEY)
    client_entrusted_loans_short_amount = models.DecimalField(_("short entrusted loans to in-force clients"), **MONEY)
    self_use_property_amount = models.DecimalField(_("self-used property"), **MONEY)
    other_equity_amount = models.DecimalField(_("other equity"), **MONEY)
    bonds_low_amount = models.DecimalField(_("low-rated bonds"), **MONEY)
    trust_and_am_products_amount = models.DecimalField(_("trust and asset-management products"), **MONEY)
    other_entrusted_loans_amount = models.DecimalField(_("other entrusted loans"), **MONEY)
    non_self_use_property_amount = models.DecimalField(_("property not for own use"), **MONEY)
    other_receivables_amount = models.DecimalField(_("other receivables"), **MONEY)
    fee_income_ytd_amount = models.DecimalField(_("fee income YTD"), **MONEY)
    comp_reserve_opening_amount = models.DecimalField(_("compensation reserve opening"), **MONEY)
    comp_reserve_used_ytd_amount = models.DecimalField(_("compensation reserve used YTD"), **MONEY)
    released_ytd_amount = models.DecimalField(_("released YTD"), **MONEY)
    compensated_ytd_amount = models.DecimalField(_("compensated YTD"), **MONEY)
    recovered_ytd_amount = models.DecimalField(_("recovered YTD"), **MONEY)
    loss_ytd_amount = models.DecimalField(_("loss YTD"), **MONEY)
    released_total_amount = models.DecimalField(_("released since founding"), **MONEY)
    compensated_total_amount = models.DecimalField(_("compensated since founding"), **MONEY)
    recovered_total_amount = models.DecimalField(_("recovered since founding"), **MONEY)
    loss_total_amount = models.DecimalField(_("loss since founding"), **MONEY)
    note = models.CharField(_("note"), max_length=500, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-period"]
        verbose_name = _("finance input")
        verbose_name_plural = _("finance inputs")

    def __str__(self) -> str:
        return self.period.strftime("%Y-%m")
