"""What a factor can score: the catalogue of measures (financial ratios from customers' calculations,
a few more computed here, household figures, years in business) and credit-record figures.
Pure: labels, units and the small formulas that customers' calculations do not have."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from danbao.customers.calculations import HOUSEHOLD_RATIO_LABELS, RATIO_LABELS

Q4 = Decimal("0.0001")


@dataclass(frozen=True)
class Measure:
    key: str
    label: object  # a lazy translation
    unit: str  # ratio (fraction, shown as %) | times | amount (yuan) | years | count | days | months
    definition: object = ""

    def __str__(self) -> str:
        return str(self.label)


def _m(key: str, label: object, unit: str, definition: object = "") -> tuple[str, Measure]:
    return key, Measure(key, label, unit, definition)


RATIO_UNITS = {
    "current_ratio": "times",
    "quick_ratio": "times",
    "receivables_turnover": "times",
    "inventory_turnover": "times",
    "interest_coverage": "times",
}

# Financial measures: every ratio of customers' calculations, then our own.
FINANCIAL: dict[str, Measure] = dict(
    [_m(key, label.label, RATIO_UNITS.get(key, "ratio"), label.definition) for key, label in RATIO_LABELS.items()]
    + [
        _m("revenue_growth", _("Revenue growth"), "ratio", _("(Revenue − previous revenue) / previous revenue")),
        _m("years_in_business", _("Years in business"), "years", _("Whole years from the establishment date to the assessment date")),
        _m(
            "household_net_worth",
            _("Household net worth"),
            "amount",
            _("Total assets − total liabilities of the latest household statement"),
        ),
        _m("household_income", _("Household annual income"), "amount", _("Annual income of the latest household statement")),
        _m(
            "household_net_income",
            _("Household net income"),
            "amount",
            _("Annual income − annual expenses of the latest household statement"),
        ),
    ]
    + [_m(f"household_{key}", label.label, "ratio", label.definition) for key, label in HOUSEHOLD_RATIO_LABELS.items()]
)

CREDIT: dict[str, Measure] = dict(
    [
        _m("overdue_count_24m", _("Overdue records in 24 months"), "count", _("Credit entries with any overdue in the last 24 months")),
        _m("worst_overdue_months_24m", _("Worst overdue (months) in 24 months"), "months", _("Longest overdue in the last 24 months")),
        _m("worst_overdue_days_24m", _("Worst overdue (days) in 24 months"), "days", _("Longest overdue in the last 24 months")),
        _m("current_overdue_amount", _("Current overdue amount"), "amount", _("Overdue amount in the latest credit report")),
    ]
)

COVERAGE = Measure("coverage", _("Counter-guarantee coverage"), "ratio", _("Value of counter-guarantees / guaranteed amount"))


def measure_for(kind: str, source: str) -> Measure | None:
    if kind == "financial":
        return FINANCIAL.get(source)
    if kind == "credit":
        return CREDIT.get(source)
    if kind == "coverage":
        return COVERAGE
    return None


def compute_growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(current − previous) / previous, 4 places half-up; None when missing or previous ≤ 0."""
    if current is None or previous is None or previous <= 0:
        return None
    return ((current - previous) / previous).quantize(Q4, rounding=ROUND_HALF_UP)


def compute_years(start: date | None, on: date) -> Decimal | None:
    """Whole years from `start` to `on` (an anniversary counts on its day); None without a start."""
    if start is None or start > on:
        return None
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return Decimal(years)


def format_value(value: object, unit: str) -> str:
    """A raw value for people: ratios as percentages, amounts with separators."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            return str(value)
    if unit == "ratio":
        return f"{value * 100:,.2f}%"
    if unit == "amount":
        return f"{value:,.2f}"
    if unit == "times":
        return f"{value:,.2f}"
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:,.2f}"


@dataclass(frozen=True)
class CreditLine:
    """One credit-bureau entry as the scorecard needs it."""

    when: date
    overdue_days: int
    overdue_months: int
    overdue_amount: Decimal
    is_overdue_record: bool = False

    @property
    def overdue(self) -> bool:
        return self.is_overdue_record or self.overdue_days > 0 or self.overdue_months > 0 or self.overdue_amount > 0


def months_back(on: date, months: int) -> date:
    """The same day `months` earlier (the 28th at most, so every month has it)."""
    total = on.year * 12 + on.month - 1 - months
    return date(total // 12, total % 12 + 1, min(on.day, 28))


def compute_credit_figures(history: list[CreditLine], latest: list[CreditLine] | None, on: date) -> dict[str, Decimal | None]:
    """The CREDIT measures: over every entry of the last 24 months (`history`) and the latest report's
    entries (`latest`, None when the customer has no credit report: every figure is then None)."""
    if latest is None:
        return dict.fromkeys(CREDIT)
    since = months_back(on, 24)
    recent = [line for line in history if since <= line.when <= on]
    return {
        "overdue_count_24m": Decimal(sum(1 for line in recent if line.overdue)),
        "worst_overdue_months_24m": Decimal(max((line.overdue_months for line in recent), default=0)),
        "worst_overdue_days_24m": Decimal(max((line.overdue_days for line in recent), default=0)),
        "current_overdue_amount": sum((line.overdue_amount for line in latest), Decimal(0)),
    }
