"""Pure fee arithmetic over Decimal and date (no ORM). Regulation: the fee is collected before the
guarantee letter (shared/domain/regulation.md §7 step 9: fee = amount × annual rate × term); policy
caps per 国办发〔2019〕6号 (gov_fee_cap_le_5m / gt_5m) and 财农〔2020〕15号 (nongdan_fee_cap).

Rounding rule (one place): yuan amounts are rounded half-up to the cent by `core.money.to_money`.
Instalments use *cumulative* rounding: instalment k = round(A·r·M_k/12) − round(A·r·M_(k−1)/12), where
M_k is the number of months covered up to and including period k. The instalments therefore add up to
the rounded total exactly, none is negative (rounding is monotonic), and each is within one cent of
its unrounded value.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from danbao.core.money import to_money

ANNUAL = "annual"
ONE_OFF = "one_off"
MONTHS_PER_PERIOD = 12


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month (29 Feb → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def instalment_count(term_months: int, fee_basis: str) -> int:
    """One-off: 1; annual: ceil(term / 12)."""
    if term_months <= 0:
        raise ValueError("term must be positive")
    if fee_basis == ONE_OFF:
        return 1
    return -(-term_months // MONTHS_PER_PERIOD)


def compute_guarantee_fee_total(amount: Decimal, rate: Decimal, term_months: int, fee_basis: str) -> Decimal:
    """One-off: amount × rate (the rate covers the whole term); annual: amount × rate × term / 12."""
    if fee_basis == ONE_OFF:
        return to_money(amount * rate)
    return to_money(amount * rate * term_months / MONTHS_PER_PERIOD)


def compute_annualised_rate(rate: Decimal, term_months: int, fee_basis: str) -> Decimal:
    """The rate per year, to compare with the annual policy caps: one-off rate × 12 / term."""
    if fee_basis == ONE_OFF:
        return (rate * MONTHS_PER_PERIOD / term_months).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    return rate


@dataclass(frozen=True)
class Instalment:
    number: int
    months: int  # months of guarantee this instalment pays for
    period_start: dt.date
    period_end: dt.date  # last day covered
    due_date: dt.date
    amount: Decimal


def compute_fee_instalments(
    amount: Decimal,
    rate: Decimal,
    term_months: int,
    fee_basis: str,
    issue_date: dt.date,
    later_due_offset_days: int = 0,
) -> list[Instalment]:
    """The guarantee fee by instalment. The first is due on the expected issue date (collected before
    the letter is issued); with an annual basis each later one covers the next 12 months (the last the
    remaining months) and is due on that anniversary of the issue date, `later_due_offset_days` earlier."""
    count = instalment_count(term_months, fee_basis)
    total = compute_guarantee_fee_total(amount, rate, term_months, fee_basis)
    term_end = add_months(issue_date, term_months) - dt.timedelta(days=1)
    if count == 1:
        return [Instalment(1, term_months, issue_date, term_end, issue_date, total)]
    out: list[Instalment] = []
    previous = Decimal("0.00")
    for number in range(1, count + 1):
        covered = min(number * MONTHS_PER_PERIOD, term_months)
        months = covered - (number - 1) * MONTHS_PER_PERIOD
        cumulative = to_money(amount * rate * covered / MONTHS_PER_PERIOD)
        start = add_months(issue_date, (number - 1) * MONTHS_PER_PERIOD)
        end = add_months(issue_date, covered) - dt.timedelta(days=1)
        due = issue_date if number == 1 else start - dt.timedelta(days=later_due_offset_days)
        out.append(Instalment(number, months, start, end, due, cumulative - previous))
        previous = cumulative
    assert previous == total  # cumulative rounding: the parts add up to the total exactly
    return out


def compute_margin(amount: Decimal, margin_ratio: Decimal) -> Decimal:
    """Margin deposit = approved amount × the product's margin ratio, to the cent."""
    return to_money(amount * margin_ratio)


def fee_cap_for(
    *,
    amount: Decimal,
    is_policy: bool,
    is_agri_policy: bool,
    band: Decimal,
    cap_le: Decimal,
    cap_gt: Decimal,
    nongdan_cap: Decimal | None,
) -> Decimal | None:
    """The annual fee cap that applies (None for a commercial product). "500万元及以下" includes the band
    (民法典 第1259条); an agricultural policy product takes the lower of the two caps."""
    caps: list[Decimal] = []
    if is_policy:
        caps.append(cap_le if amount <= band else cap_gt)
    if is_agri_policy and nongdan_cap is not None:
        caps.append(nongdan_cap)
    return min(caps) if caps else None
