"""Financial statement checks and ratios. Pure functions on Decimal figures (yuan), no database.

A statement is a ``StatementFigures``; any line may be None (not reported). Checks report the totals
that disagree; ratios are None (never an exception) when a figure is missing or a denominator is 0.
Balance-sheet figures are averaged over opening and closing balances when the previous statement is
given (turnover, ROE, OCF to liabilities), else the closing balance is used.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

__all__ = [
    "HOUSEHOLD_RATIO_LABELS",
    "RATIO_LABELS",
    "Disagreement",
    "RatioLabel",
    "HouseholdFigures",
    "StatementFigures",
    "balance_check",
    "compute_ratios",
    "household_ratios",
]

Q4 = Decimal("0.0001")


@dataclass(frozen=True)
class StatementFigures:
    cash_amount: Decimal | None = None
    accounts_receivable_amount: Decimal | None = None
    inventory_amount: Decimal | None = None
    current_assets_amount: Decimal | None = None
    fixed_assets_amount: Decimal | None = None
    total_assets_amount: Decimal | None = None
    short_term_loans_amount: Decimal | None = None
    accounts_payable_amount: Decimal | None = None
    current_liabilities_amount: Decimal | None = None
    long_term_loans_amount: Decimal | None = None
    total_liabilities_amount: Decimal | None = None
    equity_amount: Decimal | None = None
    revenue_amount: Decimal | None = None
    cost_of_sales_amount: Decimal | None = None
    operating_profit_amount: Decimal | None = None
    interest_expense_amount: Decimal | None = None
    profit_before_tax_amount: Decimal | None = None
    net_profit_amount: Decimal | None = None
    operating_cash_flow_amount: Decimal | None = None
    investing_cash_flow_amount: Decimal | None = None
    financing_cash_flow_amount: Decimal | None = None

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_object(cls, obj: object) -> StatementFigures:
        """Build from any object (a model row, a form's cleaned data wrapper) with the same attribute names."""
        if isinstance(obj, dict):
            return cls(**{name: obj.get(name) for name in cls.field_names()})
        return cls(**{name: getattr(obj, name, None) for name in cls.field_names()})


@dataclass(frozen=True)
class Disagreement:
    code: str
    message: str
    left: Decimal
    right: Decimal
    difference: Decimal


def _sum(*values: Decimal | None) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum(values, Decimal(0))  # type: ignore[arg-type]


def balance_check(f: StatementFigures, tolerance: Decimal = Decimal("1.00")) -> list[Disagreement]:
    """Totals that disagree. Checks whose figures are missing are skipped (nothing to compare).

    * ``balance``: total assets = total liabilities + equity, within ``tolerance``;
    * ``current_assets``: current assets ≤ total assets;
    * ``current_liabilities``: current liabilities ≤ total liabilities;
    * ``current_items``: cash + receivables + inventory ≤ current assets.
    """
    out: list[Disagreement] = []
    rhs = _sum(f.total_liabilities_amount, f.equity_amount)
    if f.total_assets_amount is not None and rhs is not None:
        diff = f.total_assets_amount - rhs
        if abs(diff) > tolerance:
            out.append(
                Disagreement(
                    "balance",
                    str(_("Total assets differ from total liabilities plus equity by %(diff)s.") % {"diff": f"{diff:,.2f}"}),
                    f.total_assets_amount,
                    rhs,
                    diff,
                )
            )
    if f.current_assets_amount is not None and f.total_assets_amount is not None:
        diff = f.current_assets_amount - f.total_assets_amount
        if diff > tolerance:
            out.append(
                Disagreement(
                    "current_assets",
                    str(_("Current assets exceed total assets by %(diff)s.") % {"diff": f"{diff:,.2f}"}),
                    f.current_assets_amount,
                    f.total_assets_amount,
                    diff,
                )
            )
    if f.current_liabilities_amount is not None and f.total_liabilities_amount is not None:
        diff = f.current_liabilities_amount - f.total_liabilities_amount
        if diff > tolerance:
            out.append(
                Disagreement(
                    "current_liabilities",
                    str(_("Current liabilities exceed total liabilities by %(diff)s.") % {"diff": f"{diff:,.2f}"}),
                    f.current_liabilities_amount,
                    f.total_liabilities_amount,
                    diff,
                )
            )
    items = [v for v in (f.cash_amount, f.accounts_receivable_amount, f.inventory_amount) if v is not None]
    if items and f.current_assets_amount is not None:
        left = sum(items, Decimal(0))
        diff = left - f.current_assets_amount
        if diff > tolerance:
            out.append(
                Disagreement(
                    "current_items",
                    str(_("Cash, receivables and inventory together exceed current assets by %(diff)s.") % {"diff": f"{diff:,.2f}"}),
                    left,
                    f.current_assets_amount,
                    diff,
                )
            )
    return out


def _div(num: Decimal | None, den: Decimal | None) -> Decimal | None:
    if num is None or den is None or den == 0:
        return None
    try:
        return (Decimal(num) / Decimal(den)).quantize(Q4, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ArithmeticError):
        return None


def _avg(current: StatementFigures, previous: StatementFigures | None, name: str) -> Decimal | None:
    closing = getattr(current, name)
    if previous is None:
        return closing
    opening = getattr(previous, name)
    if closing is None or opening is None:
        return closing
    return (closing + opening) / 2


class RatioLabel(NamedTuple):
    """Label and one-line definition of a ratio; ``str()`` gives the label."""

    label: str
    definition: str

    def __str__(self) -> str:
        return str(self.label)


RATIO_LABELS = {
    "debt_to_asset": RatioLabel(_("Debt-to-asset ratio"), _("Total liabilities / total assets")),
    "current_ratio": RatioLabel(_("Current ratio"), _("Current assets / current liabilities")),
    "quick_ratio": RatioLabel(_("Quick ratio"), _("(Current assets − inventory) / current liabilities")),
    "gross_margin": RatioLabel(_("Gross margin"), _("(Revenue − cost of sales) / revenue")),
    "net_margin": RatioLabel(_("Net margin"), _("Net profit / revenue")),
    "roe": RatioLabel(_("Return on equity"), _("Net profit / average equity")),
    "receivables_turnover": RatioLabel(_("Receivables turnover"), _("Revenue / average accounts receivable (times per period)")),
    "inventory_turnover": RatioLabel(_("Inventory turnover"), _("Cost of sales / average inventory (times per period)")),
    "interest_coverage": RatioLabel(_("Interest coverage"), _("(Profit before tax + interest expense) / interest expense")),
    "ocf_to_liabilities": RatioLabel(_("Operating cash flow to liabilities"), _("Operating cash flow / average total liabilities")),
}


def compute_ratios(current: StatementFigures, previous: StatementFigures | None = None) -> dict[str, Decimal | None]:
    """The ratios of RATIO_LABELS, 4 decimal places half-up (0.4523 = 45.23 %), None when not computable.

    Point-in-time ratios (debt-to-asset, current, quick) use the closing balances; ratios that put a
    period flow over a balance use the average of opening (``previous``) and closing balances."""
    c = current
    quick_assets = None
    if c.current_assets_amount is not None and c.inventory_amount is not None:
        quick_assets = c.current_assets_amount - c.inventory_amount
    gross = None
    if c.revenue_amount is not None and c.cost_of_sales_amount is not None:
        gross = c.revenue_amount - c.cost_of_sales_amount
    ebit = None
    if c.profit_before_tax_amount is not None and c.interest_expense_amount is not None:
        ebit = c.profit_before_tax_amount + c.interest_expense_amount
    avg_equity = _avg(c, previous, "equity_amount")
    roe = _div(c.net_profit_amount, avg_equity) if avg_equity is not None and avg_equity > 0 else None
    return {
        "debt_to_asset": _div(c.total_liabilities_amount, c.total_assets_amount),
        "current_ratio": _div(c.current_assets_amount, c.current_liabilities_amount),
        "quick_ratio": _div(quick_assets, c.current_liabilities_amount),
        "gross_margin": _div(gross, c.revenue_amount),
        "net_margin": _div(c.net_profit_amount, c.revenue_amount),
        "roe": roe,
        "receivables_turnover": _div(c.revenue_amount, _avg(c, previous, "accounts_receivable_amount")),
        "inventory_turnover": _div(c.cost_of_sales_amount, _avg(c, previous, "inventory_amount")),
        "interest_coverage": _div(ebit, c.interest_expense_amount),
        "ocf_to_liabilities": _div(c.operating_cash_flow_amount, _avg(c, previous, "total_liabilities_amount")),
    }


# --- households (farmers, natural persons) -------------------------------------------------------


@dataclass(frozen=True)
class HouseholdFigures:
    """Simplified income-and-assets statement of a farmer household or a person (yuan, per year)."""

    annual_income_amount: Decimal | None = None
    annual_expenses_amount: Decimal | None = None
    total_assets_amount: Decimal | None = None
    total_liabilities_amount: Decimal | None = None

    @property
    def net_income_amount(self) -> Decimal | None:
        if self.annual_income_amount is None or self.annual_expenses_amount is None:
            return None
        return self.annual_income_amount - self.annual_expenses_amount

    @property
    def net_worth_amount(self) -> Decimal | None:
        if self.total_assets_amount is None or self.total_liabilities_amount is None:
            return None
        return self.total_assets_amount - self.total_liabilities_amount


HOUSEHOLD_RATIO_LABELS = {
    "debt_to_asset": RatioLabel(_("Debt-to-asset ratio"), _("Total liabilities / total assets")),
    "expense_ratio": RatioLabel(_("Expense ratio"), _("Annual expenses / annual income")),
    "net_income_to_liabilities": RatioLabel(_("Net income to liabilities"), _("(Annual income − annual expenses) / total liabilities")),
}


def household_ratios(f: HouseholdFigures) -> dict[str, Decimal | None]:
    return {
        "debt_to_asset": _div(f.total_liabilities_amount, f.total_assets_amount),
        "expense_ratio": _div(f.annual_expenses_amount, f.annual_income_amount),
        "net_income_to_liabilities": _div(f.net_income_amount, f.total_liabilities_amount),
    }
