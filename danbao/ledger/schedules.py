"""Repayment schedules of a bank loan (还款计划) as pure functions over Decimal: no database, no parameters.

Conventions (written down so a bank's own plan can be compared line by line):

* **Dates.** Instalments fall due monthly from the loan date: the i-th due date is the loan date plus i
  months, clamped to the end of a shorter month (loan on 01-31 → 02-28/29, 03-31, 04-30 …). Every
  date strictly before the maturity date is kept, and the maturity date itself is always the last
  due date (so a maturity that is not a whole number of months after the loan date ends with a
  shorter period).
* **Interest.** The monthly rate is the annual rate ÷ 12 (月利率 = 年利率 / 12, as bank plans quote it);
  each period's interest is the outstanding principal × monthly rate × the number of months the
  period stands for (1 for a monthly line, 3 for a quarterly one; a shorter final period still counts
  as one period). Interest is rounded half-up to the cent on each line.
* **Rounding.** Principal is computed to the cent; **the last line absorbs every rounding difference**,
  so the principal column always sums exactly to the loan amount and the balance ends at 0.00.

Methods:

* ``annuity`` 等额本息 — equal instalments: payment = P·r / (1 − (1 + r)^−n) rounded half-up to the cent;
  principal of a line = payment − interest; the last line repays what is left (its payment may differ
  from the others by the accumulated rounding).
* ``equal_principal`` 等额本金 — equal principal: P / n rounded DOWN to the cent on every line but the last
  (rounding down keeps the last line's principal ≥ the others, never negative); interest falls with the
  balance.
* ``interest_monthly`` / ``interest_quarterly`` 先息后本 — interest only, monthly or every third month
  (and at maturity), the whole principal at maturity.
* ``custom`` — a schedule the bank gives (imported from Excel): the lines are validated by
  ``check_custom`` and balances are computed from them.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

ANNUITY = "annuity"
EQUAL_PRINCIPAL = "equal_principal"
INTEREST_MONTHLY = "interest_monthly"
INTEREST_QUARTERLY = "interest_quarterly"
CUSTOM = "custom"
GENERATED = (ANNUITY, EQUAL_PRINCIPAL, INTEREST_MONTHLY, INTEREST_QUARTERLY)


@dataclass(frozen=True)
class Line:
    """One instalment: due date, principal and interest due, principal outstanding after it."""

    seq: int
    due_date: date
    principal: Decimal
    interest: Decimal
    balance_after: Decimal

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest


class ScheduleError(ValueError):
    """A schedule that cannot be built; `code` names the problem, `data` its figures."""

    def __init__(self, code: str, **data: object) -> None:
        super().__init__(code)
        self.code = code
        self.data = data


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(start: date, months: int) -> date:
    """`start` plus `months` calendar months, the day clamped to the end of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_dates(loan_date: date, maturity_date: date) -> list[date]:
    """Monthly due dates after `loan_date` strictly before `maturity_date`, then the maturity date."""
    if maturity_date <= loan_date:
        raise ScheduleError("maturity_before_loan", loan_date=loan_date, maturity_date=maturity_date)
    dates: list[date] = []
    i = 1
    while (due := add_months(loan_date, i)) < maturity_date:
        dates.append(due)
        i += 1
    dates.append(maturity_date)
    return dates


def _check_inputs(amount: Decimal, annual_rate: Decimal) -> None:
    if amount <= 0 or cents(amount) != amount:
        raise ScheduleError("amount_invalid", amount=amount)
    if annual_rate < 0 or annual_rate >= 1:
        raise ScheduleError("rate_invalid", rate=annual_rate)


def annuity_payment(amount: Decimal, monthly_rate: Decimal, periods: int) -> Decimal:
    """The equal instalment of an annuity, rounded half-up to the cent (rate 0: amount / periods)."""
    if monthly_rate == 0:
        return cents(amount / periods)
    factor = (1 + monthly_rate) ** periods
    return cents(amount * monthly_rate * factor / (factor - 1))


def generate(method: str, *, amount: Decimal, annual_rate: Decimal, loan_date: date, maturity_date: date) -> list[Line]:
    """The schedule of a generated method (see the module text for the conventions)."""
    _check_inputs(amount, annual_rate)
    dates = due_dates(loan_date, maturity_date)
    monthly = annual_rate / 12
    n = len(dates)
    lines: list[Line] = []
    balance = amount
    if method == ANNUITY:
        payment = annuity_payment(amount, monthly, n)
        for i, due in enumerate(dates, start=1):
            interest = cents(balance * monthly)
            principal = balance if i == n else min(max(payment - interest, ZERO), balance)
            balance -= principal
            lines.append(Line(i, due, principal, interest, balance))
    elif method == EQUAL_PRINCIPAL:
        part = (amount / n).quantize(CENT, rounding=ROUND_DOWN)
        for i, due in enumerate(dates, start=1):
            interest = cents(balance * monthly)
            principal = balance if i == n else part
            balance -= principal
            lines.append(Line(i, due, principal, interest, balance))
    elif method in (INTEREST_MONTHLY, INTEREST_QUARTERLY):
        step = 1 if method == INTEREST_MONTHLY else 3
        kept = [due for i, due in enumerate(dates, start=1) if i % step == 0 or i == n]
        previous = 0
        for seq, due in enumerate(kept, start=1):
            months = dates.index(due) + 1 - previous
            previous += months
            interest = cents(amount * monthly * months)
            principal = amount if seq == len(kept) else ZERO
            balance -= principal
            lines.append(Line(seq, due, principal, interest, balance))
    else:
        raise ScheduleError("method_invalid", method=method)
    return lines


@dataclass(frozen=True)
class RawLine:
    """A custom line as read from the bank's file, before validation (row = the row in the file)."""

    row: int
    due_date: date
    principal: Decimal
    interest: Decimal


def check_custom(lines: Sequence[RawLine], *, amount: Decimal, loan_date: date, maturity_date: date) -> list[Line]:
    """Validate a custom schedule and compute its balances.

    Each due date after the loan date and not after the maturity date, strictly increasing; principal
    and interest not negative and in cents; the principal column sums exactly to the loan amount.
    Raises ScheduleError naming the file row of the first problem."""
    if amount <= 0 or cents(amount) != amount:
        raise ScheduleError("amount_invalid", amount=amount)
    if not lines:
        raise ScheduleError("custom_empty")
    previous: date | None = None
    balance = amount
    out: list[Line] = []
    for seq, raw in enumerate(lines, start=1):
        if raw.due_date <= loan_date:
            raise ScheduleError("custom_date_before_loan", row=raw.row, date=raw.due_date, loan_date=loan_date)
        if raw.due_date > maturity_date:
            raise ScheduleError("custom_date_after_maturity", row=raw.row, date=raw.due_date, maturity_date=maturity_date)
        if previous is not None and raw.due_date <= previous:
            raise ScheduleError("custom_date_order", row=raw.row, date=raw.due_date)
        for value in (raw.principal, raw.interest):
            if value < 0 or cents(value) != value:
                raise ScheduleError("custom_amount_invalid", row=raw.row, value=value)
        previous = raw.due_date
        balance -= raw.principal
        out.append(Line(seq, raw.due_date, raw.principal, raw.interest, balance))
    total = sum((line.principal for line in out), ZERO)
    if total != amount:
        raise ScheduleError("custom_sum", total=total, amount=amount)
    return out


def outstanding_on(lines: Sequence[Line], amount: Decimal, on: date) -> Decimal:
    """Principal outstanding on `on` if every instalment due on or before it was paid as planned."""
    balance = amount
    for line in lines:
        if line.due_date <= on:
            balance = line.balance_after
    return balance
