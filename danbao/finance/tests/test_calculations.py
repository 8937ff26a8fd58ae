"""Fee arithmetic: worked examples and properties (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from danbao.finance import calculations as calc

ISSUE = dt.date(2026, 3, 31)


def test_annual_thirty_months_worked_example() -> None:
    # 1,000,000 × 1.5 % × 30/12 = 37,500.00 in three instalments: 12, 12 and 6 months.
    parts = calc.compute_fee_instalments(D("1000000"), D("0.015"), 30, "annual", ISSUE)
    assert [p.amount for p in parts] == [D("15000.00"), D("15000.00"), D("7500.00")]
    assert [p.months for p in parts] == [12, 12, 6]
    assert [p.due_date for p in parts] == [ISSUE, dt.date(2027, 3, 31), dt.date(2028, 3, 31)]
    assert parts[0].period_end == dt.date(2027, 3, 30)
    assert parts[-1].period_end == dt.date(2028, 9, 29)
    assert calc.compute_guarantee_fee_total(D("1000000"), D("0.015"), 30, "annual") == D("37500.00")


def test_later_due_offset_moves_only_later_instalments() -> None:
    parts = calc.compute_fee_instalments(D("1000000"), D("0.015"), 24, "annual", ISSUE, later_due_offset_days=15)
    assert parts[0].due_date == ISSUE
    assert parts[1].due_date == dt.date(2027, 3, 16)


def test_one_off_is_one_instalment_for_the_whole_term() -> None:
    parts = calc.compute_fee_instalments(D("800000"), D("0.02"), 30, "one_off", ISSUE)
    assert len(parts) == 1 and parts[0].amount == D("16000.00") and parts[0].months == 30
    assert calc.compute_annualised_rate(D("0.02"), 30, "one_off") == D("0.008")
    assert calc.compute_annualised_rate(D("0.012"), 6, "one_off") == D("0.024")


def test_cumulative_rounding_example() -> None:
    # 333,333.33 × 1.234567 % × 13/12: the parts differ from direct rounding by at most a cent and add up exactly.
    parts = calc.compute_fee_instalments(D("333333.33"), D("0.01234567"), 13, "annual", ISSUE)
    total = calc.compute_guarantee_fee_total(D("333333.33"), D("0.01234567"), 13, "annual")
    assert sum(p.amount for p in parts) == total
    assert [p.amount for p in parts] == [D("4115.22"), D("342.94")]


def test_add_months_clamps_month_end() -> None:
    assert calc.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert calc.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert calc.add_months(dt.date(2026, 11, 30), 14) == dt.date(2028, 1, 30)


def test_margin_and_caps() -> None:
    assert calc.compute_margin(D("1234567"), D("0.1")) == D("123456.70")
    kwargs = {"band": D("5000000"), "cap_le": D("0.01"), "cap_gt": D("0.015"), "nongdan_cap": D("0.008")}
    assert calc.fee_cap_for(amount=D("5000000"), is_policy=True, is_agri_policy=False, **kwargs) == D("0.01")  # 以下 includes
    assert calc.fee_cap_for(amount=D("5000000.01"), is_policy=True, is_agri_policy=False, **kwargs) == D("0.015")
    assert calc.fee_cap_for(amount=D("1000000"), is_policy=True, is_agri_policy=True, **kwargs) == D("0.008")
    assert calc.fee_cap_for(amount=D("1000000"), is_policy=False, is_agri_policy=False, **kwargs) is None


amounts = st.decimals(min_value=D("0.01"), max_value=D("100000000"), places=2)
rates = st.decimals(min_value=D("0"), max_value=D("0.1"), places=6)
terms = st.integers(min_value=1, max_value=120)
bases = st.sampled_from(["annual", "one_off"])
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


@given(amounts, rates, terms, bases, days)
def test_instalments_add_up_and_are_never_negative(amount: D, rate: D, term: int, basis: str, issue: dt.date) -> None:
    parts = calc.compute_fee_instalments(amount, rate, term, basis, issue)
    assert sum(p.amount for p in parts) == calc.compute_guarantee_fee_total(amount, rate, term, basis)
    assert all(p.amount >= 0 for p in parts)
    assert all(p.amount == p.amount.quantize(D("0.01")) for p in parts)
    assert len(parts) == (1 if basis == "one_off" else -(-term // 12))
    assert sum(p.months for p in parts) == term
    assert [p.number for p in parts] == list(range(1, len(parts) + 1))
    assert all(a.due_date < b.due_date for a, b in zip(parts, parts[1:], strict=False))


@given(amounts, rates, terms, days)
def test_each_annual_instalment_is_within_a_cent_of_its_exact_share(amount: D, rate: D, term: int, issue: dt.date) -> None:
    for part in calc.compute_fee_instalments(amount, rate, term, "annual", issue):
        exact = amount * rate * part.months / 12
        assert abs(part.amount - exact) <= D("0.01")
