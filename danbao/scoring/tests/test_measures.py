"""Measures computed here (growth, years, credit figures) and value formatting (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from danbao.scoring.measures import CreditLine, compute_credit_figures, compute_growth, compute_years, format_value, months_back


def test_growth() -> None:
    assert compute_growth(D(1100), D(1000)) == D("0.1000")
    assert compute_growth(D(900), D(1000)) == D("-0.1000")
    assert compute_growth(D(900), D(0)) is None
    assert compute_growth(None, D(1)) is None


def test_years_counts_whole_years() -> None:
    assert compute_years(date(2015, 7, 1), date(2025, 6, 30)) == D(9)
    assert compute_years(date(2015, 6, 30), date(2025, 6, 30)) == D(10)
    assert compute_years(None, date(2025, 6, 30)) is None
    assert compute_years(date(2026, 1, 1), date(2025, 6, 30)) is None


def test_credit_figures_over_24_months() -> None:
    on = date(2025, 6, 30)
    old = CreditLine(date(2023, 6, 27), 30, 1, D(0), True)  # just over 24 months ago
    recent = CreditLine(date(2024, 1, 1), 95, 3, D(0), True)
    current = CreditLine(date(2025, 6, 1), 0, 0, D(500))
    clean = CreditLine(date(2025, 6, 1), 0, 0, D(0))
    figures = compute_credit_figures([old, recent, current, clean], [current, clean], on)
    assert figures == {
        "overdue_count_24m": D(2),
        "worst_overdue_months_24m": D(3),
        "worst_overdue_days_24m": D(95),
        "current_overdue_amount": D(500),
    }
    assert set(compute_credit_figures([], None, on).values()) == {None}
    assert months_back(date(2025, 3, 31), 24) == date(2023, 3, 28)


def test_format_value() -> None:
    assert format_value(D("0.4523"), "ratio") == "45.23%"
    assert format_value("1234567.5", "amount") == "1,234,567.50"
    assert format_value(D(3), "count") == "3"
    assert format_value(None, "ratio") == "—"
