"""Financial statements of a customer: enterprise statements per period and the simplified
income-and-assets statement of a household (farmer, natural person)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danbao.core.history import audited_history

__all__ = ["STATEMENT_FIELDS", "FinancialStatement", "HouseholdStatement"]


def _amount(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=18, decimal_places=2, null=True, blank=True)


# (section, [(field, label)]) in the order of the Chinese statements.
STATEMENT_FIELDS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "balance_sheet",
        [
            ("cash_amount", _("Cash and cash equivalents")),
            ("accounts_receivable_amount", _("Accounts receivable")),
            ("inventory_amount", _("Inventory")),
            ("current_assets_amount", _("Total current assets")),
            ("fixed_assets_amount", _("Fixed assets")),
            ("total_assets_amount", _("Total assets")),
            ("short_term_loans_amount", _("Short-term loans")),
            ("accounts_payable_amount", _("Accounts payable")),
            ("current_liabilities_amount", _("Total current liabilities")),
            ("long_term_loans_amount", _("Long-term loans")),
            ("total_liabilities_amount", _("Total liabilities")),
            ("equity_amount", _("Owners' equity")),
        ],
    ),
    (
        "income_statement",
        [
            ("revenue_amount", _("Operating revenue")),
            ("cost_of_sales_amount", _("Cost of sales")),
            ("operating_profit_amount", _("Operating profit")),
            ("interest_expense_amount", _("Interest expense")),
            ("profit_before_tax_amount", _("Profit before tax")),
            ("net_profit_amount", _("Net profit")),
        ],
    ),
    (
        "cash_flow",
        [
            ("operating_cash_flow_amount", _("Net cash flow from operating activities")),
            ("investing_cash_flow_amount", _("Net cash flow from investing activities")),
            ("financing_cash_flow_amount", _("Net cash flow from financing activities")),
        ],
    ),
]
SECTION_LABELS = {
    "balance_sheet": _("Balance sheet"),
    "income_statement": _("Income statement"),
    "cash_flow": _("Cash flow statement"),
}
FIGURE_FIELDS = [name for _s, rows in STATEMENT_FIELDS for name, _l in rows]


class FinancialStatement(models.Model):
    class PeriodType(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        HALF_YEAR = "half_year", _("Half-year")
        QUARTERLY = "quarterly", _("Quarterly")

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="statements", verbose_name=_("Customer"))
    period_type = models.CharField(_("Period type"), max_length=16, choices=PeriodType.choices, default=PeriodType.ANNUAL)
    period_end = models.DateField(_("Period end"))
    audited = models.BooleanField(_("Audited"), default=False)
    auditor = models.CharField(_("Auditor"), max_length=200, blank=True)
    is_draft = models.BooleanField(_("Draft"), default=False)
    note = models.CharField(_("Note"), max_length=500, blank=True)

    cash_amount = _amount(_("Cash and cash equivalents"))
    accounts_receivable_amount = _amount(_("Accounts receivable"))
    inventory_amount = _amount(_("Inventory"))
    current_assets_amount = _amount(_("Total current assets"))
    fixed_assets_amount = _amount(_("Fixed assets"))
    total_assets_amount = _amount(_("Total assets"))
    short_term_loans_amount = _amount(_("Short-term loans"))
    accounts_payable_amount = _amount(_("Accounts payable"))
    current_liabilities_amount = _amount(_("Total current liabilities"))
    long_term_loans_amount = _amount(_("Long-term loans"))
    total_liabilities_amount = _amount(_("Total liabilities"))
    equity_amount = _amount(_("Owners' equity"))
    revenue_amount = _amount(_("Operating revenue"))
    cost_of_sales_amount = _amount(_("Cost of sales"))
    operating_profit_amount = _amount(_("Operating profit"))
    interest_expense_amount = _amount(_("Interest expense"))
    profit_before_tax_amount = _amount(_("Profit before tax"))
    net_profit_amount = _amount(_("Net profit"))
    operating_cash_flow_amount = _amount(_("Net cash flow from operating activities"))
    investing_cash_flow_amount = _amount(_("Net cash flow from investing activities"))
    financing_cash_flow_amount = _amount(_("Net cash flow from financing activities"))

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = audited_history()

    class Meta:
        verbose_name = _("financial statement")
        verbose_name_plural = _("financial statements")
        ordering = ["customer", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "period_type", "period_end"], name="customers_statement_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_period_type_display()} {self.period_end:%Y-%m-%d}"


class HouseholdStatement(models.Model):
    """Simplified income-and-assets statement (收支及资产情况) of a farmer household or a person, per year."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="household_statements", verbose_name=_("Customer")
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    annual_income_amount = _amount(_("Annual income"))
    annual_expenses_amount = _amount(_("Annual expenses"))
    total_assets_amount = _amount(_("Total assets"))
    total_liabilities_amount = _amount(_("Total liabilities"))
    note = models.CharField(_("Note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = audited_history()

    class Meta:
        verbose_name = _("household statement")
        verbose_name_plural = _("household statements")
        ordering = ["customer", "year"]
        constraints = [models.UniqueConstraint(fields=["customer", "year"], name="customers_household_unique_year")]

    def __str__(self) -> str:
        return str(self.year)
