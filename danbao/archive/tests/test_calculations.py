"""Retention end dates: a property test over dates and periods (no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from danbao.archive import services


@given(on=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), years=st.integers(min_value=0, max_value=100))
def test_retention_end_is_the_same_day_years_later(on: dt.date, years: int) -> None:
    original = services.parameters.value
    services.parameters.value = lambda code, when=None: years  # type: ignore[assignment]
    try:
        label, until = services.retention_for(on)
    finally:
        services.parameters.value = original  # type: ignore[assignment]
    if years == 0:
        assert (label, until) == ("永久", None)
        return
    assert label == f"{years}年"
    assert until is not None and until.year == on.year + years and until.month == on.month
    assert until.day == on.day or (on.month, on.day, until.day) == (2, 29, 28)
