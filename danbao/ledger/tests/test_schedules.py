"""Repayment schedules: exact sums, balances, equal instalments, dates, custom schedules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danbao.ledger import schedules as s

amounts = st.decimals(min_value=D("1000"), max_value=D("100000000"), places=2)
rates = st.decimals(min_value=D("0"), max_value=D("0.24"), places=4)
starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
months = st.integers(min_value=1, max_value=120)
methods = st.sampled_from(s.GENERATED)


def _maturity(start: date, n: int, extra_days: int) -> date:
    from datetime import timedelta

    return s.add_months(start, n) + timedelta(days=extra_days)


@settings(max_examples=300, deadline=None)
@given(amount=amounts, rate=rates, start=starts, n=months, extra=st.integers(min_value=0, max_value=20), method=methods)
def test_principal_sums_exactly_and_balance_ends_at_zero(amount, rate, start, n, extra, method):
    maturity = _maturity(start, n, extra)
    lines = s.generate(method, amount=amount, annual_rate=rate, loan_date=start, maturity_date=maturity)
    assert sum(line.principal for line in lines) == amount
    balances = [amount] + [line.balance_after for line in lines]
    assert all(a >= b for a, b in zip(balances, balances[1:], strict=False))
    assert lines[-1].balance_after == D("0.00")
    assert all(line.principal >= 0 and line.interest >= 0 for line in lines)
    assert all(line.principal == line.principal.quantize(D("0.01")) for line in lines)
    assert lines[-1].due_date == maturity
    assert [line.seq for line in lines] == list(range(1, len(lines) + 1))


@settings(max_examples=300, deadline=None)
@given(amount=amounts, rate=rates, start=starts, n=st.integers(min_value=2, max_value=120))
def test_equal_instalments_are_equal_except_the_last(amount, rate, start, n):
    lines = s.generate(s.ANNUITY, amount=amount, annual_rate=rate, loan_date=start, maturity_date=s.add_months(start, n))
    payments = [line.payment for line in lines[:-1]]
    assert max(payments) - min(payments) <= D("0.01")
    assert len(lines) == n


@settings(max_examples=200, deadline=None)
@given(start=starts, n=months, method=methods)
def test_dates_are_monthly_from_the_loan_date_clamped_to_month_end(start, n, method):
    maturity = s.add_months(start, n)
    lines = s.generate(method, amount=D("120000"), annual_rate=D("0.05"), loan_date=start, maturity_date=maturity)
    step = 3 if method == s.INTEREST_QUARTERLY else 1
    for line in lines[:-1]:
        due = s.add_months(start, line.seq * step)
        assert line.due_date == due
        assert due.day == start.day or due.day < start.day  # clamped only to a shorter month


@settings(max_examples=200, deadline=None)
@given(amount=amounts, rate=rates, start=starts, n=months)
def test_equal_principal_lines_are_equal_but_the_last(amount, rate, start, n):
    lines = s.generate(s.EQUAL_PRINCIPAL, amount=amount, annual_rate=rate, loan_date=start, maturity_date=s.add_months(start, n))
    assert len({line.principal for line in lines[:-1]}) <= 1
    assert lines[-1].principal >= lines[0].principal


def test_month_end_clamping():
    assert s.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert s.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert s.add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)
    assert s.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_annuity_textbook_figures():
    # 1,000,000 over 12 months at 6 % a year: payment 86,066.43 (standard annuity tables).
    lines = s.generate(s.ANNUITY, amount=D("1000000"), annual_rate=D("0.06"), loan_date=date(2026, 1, 15), maturity_date=date(2027, 1, 15))
    assert lines[0].payment == D("86066.43")
    assert lines[0].interest == D("5000.00")
    assert lines[0].principal == D("81066.43")


def test_equal_principal_figures():
    lines = s.generate(
        s.EQUAL_PRINCIPAL, amount=D("100000"), annual_rate=D("0.12"), loan_date=date(2026, 3, 1), maturity_date=date(2026, 6, 1)
    )
    assert [x.principal for x in lines] == [D("33333.33"), D("33333.33"), D("33333.34")]
    assert [x.interest for x in lines] == [D("1000.00"), D("666.67"), D("333.33")]


def test_interest_quarterly_then_bullet():
    lines = s.generate(
        s.INTEREST_QUARTERLY, amount=D("1200000"), annual_rate=D("0.05"), loan_date=date(2026, 1, 10), maturity_date=date(2026, 12, 10)
    )
    assert [x.due_date for x in lines] == [date(2026, 4, 10), date(2026, 7, 10), date(2026, 10, 10), date(2026, 12, 10)]
    assert [x.interest for x in lines] == [D("15000.00"), D("15000.00"), D("15000.00"), D("10000.00")]
    assert [x.principal for x in lines] == [0, 0, 0, D("1200000")]


def test_broken_last_period():
    lines = s.generate(
        s.INTEREST_MONTHLY, amount=D("50000"), annual_rate=D("0.06"), loan_date=date(2026, 1, 15), maturity_date=date(2026, 3, 20)
    )
    assert [x.due_date for x in lines] == [date(2026, 2, 15), date(2026, 3, 15), date(2026, 3, 20)]


def test_refusals():
    with pytest.raises(s.ScheduleError) as e:
        s.generate(s.ANNUITY, amount=D("100"), annual_rate=D("0.05"), loan_date=date(2026, 1, 1), maturity_date=date(2026, 1, 1))
    assert e.value.code == "maturity_before_loan"
    with pytest.raises(s.ScheduleError):
        s.generate(s.ANNUITY, amount=D("100.001"), annual_rate=D("0.05"), loan_date=date(2026, 1, 1), maturity_date=date(2026, 6, 1))
    with pytest.raises(s.ScheduleError):
        s.generate("weekly", amount=D("100"), annual_rate=D("0.05"), loan_date=date(2026, 1, 1), maturity_date=date(2026, 6, 1))


class TestCustom:
    loan, maturity = date(2026, 1, 10), date(2026, 7, 10)

    def raw(self, *rows):
        return [s.RawLine(i + 2, d, D(p), D(r)) for i, (d, p, r) in enumerate(rows)]

    def test_valid_schedule_gets_balances(self):
        lines = s.check_custom(
            self.raw((date(2026, 4, 10), "40000", "1500"), (date(2026, 7, 10), "60000", "900")),
            amount=D("100000"),
            loan_date=self.loan,
            maturity_date=self.maturity,
        )
        assert [x.balance_after for x in lines] == [D("60000"), D("0")]

    @pytest.mark.parametrize(
        "rows,code,row",
        [
            (((date(2026, 1, 10), "100000", "0"),), "custom_date_before_loan", 2),
            (((date(2026, 8, 1), "100000", "0"),), "custom_date_after_maturity", 2),
            (((date(2026, 5, 1), "50000", "0"), (date(2026, 5, 1), "50000", "0")), "custom_date_order", 3),
            (((date(2026, 5, 1), "-1", "0"), (date(2026, 6, 1), "100001", "0")), "custom_amount_invalid", 2),
            (((date(2026, 5, 1), "50000", "0.001"),), "custom_amount_invalid", 2),
            (((date(2026, 5, 1), "50000", "0"), (date(2026, 6, 1), "40000", "0")), "custom_sum", None),
        ],
    )
    def test_refusals_name_the_row(self, rows, code, row):
        with pytest.raises(s.ScheduleError) as e:
            s.check_custom(self.raw(*rows), amount=D("100000"), loan_date=self.loan, maturity_date=self.maturity)
        assert e.value.code == code
        assert e.value.data.get("row") == row


def test_outstanding_on():
    lines = s.generate(s.EQUAL_PRINCIPAL, amount=D("300"), annual_rate=D("0"), loan_date=date(2026, 1, 1), maturity_date=date(2026, 4, 1))
    assert s.outstanding_on(lines, D("300"), date(2026, 1, 31)) == D("300")
    assert s.outstanding_on(lines, D("300"), date(2026, 2, 1)) == D("200")
    assert s.outstanding_on(lines, D("300"), date(2026, 4, 1)) == D("0")
