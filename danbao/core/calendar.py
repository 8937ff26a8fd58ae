"""Business calendar: Chinese working days for deadlines, grace periods and report dates.

Sources, in order: (1) a holiday table that a higher app registers with `register_day_source`
(the system app's admin-editable 节假日 table), (2) the chinesecalendar package (2004–2026 only),
(3) Monday to Friday. It never raises for a date outside the known years.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import chinese_calendar

Coverage = Literal["table", "package", "weekdays"]


@dataclass(frozen=True)
class YearTable:
    """The table's entries for one year: date -> True (working day) / False (holiday).

    `complete` means the year is marked as fully maintained: days without an entry then follow the
    weekday rule instead of the package.
    """

    days: dict[date, bool] = field(default_factory=dict)
    complete: bool = False


DaySource = Callable[[int], "YearTable | None"]
_sources: list[DaySource] = []


def register_day_source(source: DaySource) -> None:
    """Register a reader `source(year) -> YearTable | None`; the first registered one wins."""
    if source not in _sources:
        _sources.append(source)


@contextmanager
def day_sources(*sources: DaySource) -> Iterator[None]:
    """Temporarily replace the registered sources (tests, and code that must ignore the table)."""
    saved = list(_sources)
    _sources[:] = list(sources)
    try:
        yield
    finally:
        _sources[:] = saved


def _table(year: int) -> YearTable | None:
    for source in _sources:
        table = source(year)
        if table is not None:
            return table
    return None


def _package_is_workday(d: date) -> bool | None:
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:  # the package has no data for this year
        return None


def package_covers(year: int) -> bool:
    return _package_is_workday(date(year, 1, 1)) is not None


def is_workday(d: date) -> bool:
    """True when `d` is a working day (调休上班 days included, statutory holidays excluded)."""
    table = _table(d.year)
    if table is not None:
        if d in table.days:
            return table.days[d]
        if table.complete:
            return d.weekday() < 5
    from_package = _package_is_workday(d)
    if from_package is not None:
        return from_package
    return d.weekday() < 5


def coverage(year: int) -> Coverage:
    """Where the working days of `year` come from: the maintained table, the package or weekdays."""
    table = _table(year)
    if table is not None and table.complete:
        return "table"
    if package_covers(year):
        return "package"
    return "weekdays"


def next_workday(d: date) -> date:
    """The first working day on or after `d`."""
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def add_workdays(d: date, n: int) -> date:
    """Move `n` working days from `d` (backwards when negative); n = 0 gives next_workday(d).

    Counting starts from the day after `d` (T+1 working day is the first working day after d),
    so the result is always a working day.
    """
    if n == 0:
        return next_workday(d)
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if is_workday(d):
            remaining -= 1
    return d


def workdays_between(a: date, b: date) -> int:
    """Working days counted from `a` to `b` the way add_workdays steps: those in (a, b] when b > a,
    and minus those in [b, a) when b < a.

    So workdays_between(a, add_workdays(a, n)) == n for every n != 0.
    """
    if a == b:
        return 0
    if b > a:
        first, last, sign = a + timedelta(days=1), b, 1
    else:
        first, last, sign = b, a - timedelta(days=1), -1
    count = 0
    d = first
    while d <= last:
        if is_workday(d):
            count += 1
        d += timedelta(days=1)
    return sign * count


def package_days(year: int) -> dict[date, tuple[bool, str]]:
    """The package's exceptions for `year`: holidays on weekdays and make-up working days (with names).

    Empty when the package does not know the year. Used to import a year into the table.
    """
    if not package_covers(year):
        return {}
    result: dict[date, tuple[bool, str]] = {}
    d = date(year, 1, 1)
    while d.year == year:
        on_package = bool(chinese_calendar.is_workday(d))
        if on_package != (d.weekday() < 5):
            _holiday, name = chinese_calendar.get_holiday_detail(d)
            result[d] = (on_package, name or "")
        d += timedelta(days=1)
    return result
