"""The planning arithmetic: first, periodic and pre-maturity dates; the late-plan anchor."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from danbao.monitoring import calculations as c

D = dt.date


def test_plan_of_a_one_year_loan_at_quarterly_interval() -> None:
    plan = c.compute_plan(
        start=D(2026, 1, 10), maturity=D(2027, 1, 10), anchor=D(2026, 2, 9), interval=90, through=D(2027, 1, 10), first_days=30, pre_days=30
    )
    assert [(p.kind, p.planned_date) for p in plan] == [
        ("first", D(2026, 2, 9)),
        ("periodic", D(2026, 5, 10)),
        ("periodic", D(2026, 8, 8)),
        ("periodic", D(2026, 11, 6)),
        ("pre_maturity", D(2026, 12, 11)),
    ]


def test_periodic_dates_stop_at_the_horizon_and_before_the_pre_maturity_check() -> None:
    assert c.compute_periodic_dates(D(2026, 1, 1), 14, D(2026, 2, 1), D(2026, 3, 1)) == [D(2026, 1, 15), D(2026, 1, 29)]
    assert c.compute_periodic_dates(D(2026, 1, 1), 14, D(2026, 12, 1), D(2026, 1, 29)) == [D(2026, 1, 15)]


def test_a_late_plan_shows_at_most_one_missed_periodic_inspection() -> None:
    first = D(2025, 1, 31)
    anchor = c.compute_anchor(first, 30, D(2026, 1, 1))
    past = [d for d in c.compute_periodic_dates(anchor, 30, D(2026, 1, 1), D(2030, 1, 1))]
    assert len(past) == 1 and past[0] <= D(2026, 1, 1)
    assert c.compute_anchor(first, 30, D(2025, 1, 1)) == first


@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)),
    months=st.integers(min_value=1, max_value=60),
    interval=st.integers(min_value=1, max_value=400),
)
def test_plan_dates_lie_within_the_loan_and_are_spaced_by_the_interval(start: D, months: int, interval: int) -> None:
    maturity = start + dt.timedelta(days=30 * months)
    first = c.compute_first_date(start, 30)
    plan = c.compute_plan(start=start, maturity=maturity, anchor=first, interval=interval, through=maturity, first_days=30, pre_days=30)
    periodic = [p.planned_date for p in plan if p.kind == "periodic"]
    assert all(start < p.planned_date <= maturity for p in plan)
    assert all((b - a).days == interval for a, b in zip(periodic, periodic[1:], strict=False))
    assert all(d < c.compute_pre_maturity_date(maturity, 30) for d in periodic)
    assert len({(p.kind, p.planned_date) for p in plan}) == len(plan)
