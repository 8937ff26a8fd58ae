"""Business calendar: statutory holidays, make-up working days, fallbacks and counting properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danbao.core import calendar
from danbao.core.calendar import YearTable, add_workdays, coverage, day_sources, is_workday, next_workday, workdays_between


@pytest.fixture(autouse=True)
def _package_only():
    """These tests use the package and weekday rule only (the system app's table is tested there)."""
    with day_sources():
        yield


def test_national_day_2026_is_a_week_of_holidays() -> None:
    assert [is_workday(date(2026, 10, d)) for d in range(1, 8)] == [False] * 7
    assert is_workday(date(2026, 10, 9))


def test_2026_make_up_working_days_come_from_the_package() -> None:
    package = calendar.package_days(2026)
    make_up = sorted(d for d, (work, _name) in package.items() if work)
    assert make_up, "the package lists 2026 make-up days"
    for d in make_up:
        assert d.weekday() >= 5
        assert is_workday(d)
    assert coverage(2026) == "package"


def test_a_2027_date_falls_back_to_weekdays_and_never_raises() -> None:
    assert coverage(2027) == "weekdays"
    assert is_workday(date(2027, 10, 1))  # a Friday: National Day unknown without the table
    assert not is_workday(date(2027, 10, 2))  # Saturday
    assert add_workdays(date(2030, 12, 31), 1) == date(2031, 1, 1)
    assert workdays_between(date(2099, 1, 1), date(2099, 1, 8)) == 5


def test_a_2027_holiday_entered_in_the_table_is_honoured() -> None:
    table = YearTable({date(2027, 10, 1): False, date(2027, 9, 26): True})

    def source(year: int) -> YearTable | None:
        return table if year == 2027 else None

    with day_sources(source):
        assert not is_workday(date(2027, 10, 1))
        assert is_workday(date(2027, 9, 26))  # Sunday make-up day
        assert coverage(2027) == "weekdays"  # entries alone do not make a year maintained
        assert add_workdays(date(2027, 9, 30), 1) == date(2027, 10, 4)


def test_a_complete_table_year_overrides_the_package() -> None:
    def source(year: int) -> YearTable | None:
        return YearTable({date(2026, 10, 1): False}, complete=True) if year == 2026 else None

    with day_sources(source):
        assert coverage(2026) == "table"
        assert not is_workday(date(2026, 10, 1))
        assert is_workday(date(2026, 10, 2))  # not in the table: weekday rule, not the package


def test_next_workday_and_zero_days() -> None:
    assert next_workday(date(2026, 10, 1)) == date(2026, 10, 8)
    assert add_workdays(date(2026, 10, 1), 0) == date(2026, 10, 8)
    assert add_workdays(date(2026, 10, 9), 0) == date(2026, 10, 9)


def test_worked_examples_around_national_day() -> None:
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert workdays_between(date(2026, 10, 8), date(2026, 9, 30)) == -1


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
steps = st.integers(min_value=-60, max_value=60)


@settings(max_examples=150, deadline=None)
@given(d=days, n=steps.filter(lambda n: n != 0))
def test_add_workdays_lands_on_a_workday(d: date, n: int) -> None:
    with day_sources():
        assert is_workday(add_workdays(d, n))


@settings(max_examples=150, deadline=None)
@given(d=days, n=steps)
def test_workdays_between_inverts_add_workdays(d: date, n: int) -> None:
    with day_sources():
        target = add_workdays(d, n)
        if n != 0:
            assert workdays_between(d, target) == n
        assert (target > d) == (n > 0) or n == 0


@settings(max_examples=100, deadline=None)
@given(d=days, n=st.integers(min_value=1, max_value=40))
def test_add_workdays_is_monotonic_and_next_workday_idempotent(d: date, n: int) -> None:
    with day_sources():
        assert add_workdays(d, n) < add_workdays(d, n + 1)
        w = next_workday(d)
        assert next_workday(w) == w and w >= d and w - d < timedelta(days=15)
