"""Pure planning arithmetic of the monitoring plan (regulation.md §7 step 11 and "Monitoring
frequency", practice): first inspection N days after disbursement, periodic inspections every
`interval` days by risk class, a pre-maturity check N days before maturity. No ORM access."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

FIRST, PERIODIC, PRE_MATURITY = "first", "periodic", "pre_maturity"


@dataclass(frozen=True)
class Planned:
    kind: str
    planned_date: date


def compute_first_date(start: date, first_days: int) -> date:
    return start + timedelta(days=first_days)


def compute_pre_maturity_date(maturity: date, pre_days: int) -> date:
    return maturity - timedelta(days=pre_days)


def compute_anchor(first_date: date, interval: int, on: date) -> date:
    """Where periodic inspections are counted from when a plan is made on `on`: the first inspection's
    date, moved forward in whole intervals so that at most one periodic date lies in the past (a plan
    made late for an old guarantee shows one missed inspection, not a year of them)."""
    if on <= first_date:
        return first_date
    steps = max(0, (on - first_date).days // interval - 1)
    return first_date + timedelta(days=steps * interval)


def compute_periodic_dates(anchor: date, interval: int, through: date, stop_before: date) -> list[date]:
    """anchor + k·interval (k ≥ 1) up to `through` (inclusive) and strictly before `stop_before`."""
    if interval < 1:
        raise ValueError("interval must be at least one day")
    out: list[date] = []
    current = anchor + timedelta(days=interval)
    while current <= through and current < stop_before:
        out.append(current)
        current += timedelta(days=interval)
    return out


def compute_plan(
    *, start: date, maturity: date, anchor: date, interval: int, through: date, first_days: int, pre_days: int, with_first: bool = True
) -> list[Planned]:
    """Every task the plan should have with a planned date up to `through` (first and pre-maturity
    always, being fixed dates), in date order."""
    first = compute_first_date(start, first_days)
    pre = compute_pre_maturity_date(maturity, pre_days)
    found: list[Planned] = []
    if with_first and first < maturity:
        found.append(Planned(FIRST, first))
    stop = pre if pre > start else maturity
    found.extend(Planned(PERIODIC, d) for d in compute_periodic_dates(anchor, interval, through, stop))
    if pre > start:
        found.append(Planned(PRE_MATURITY, pre))
    return sorted(found, key=lambda p: (p.planned_date, p.kind))


def cached_next_workday(next_workday: Callable[[date], date]) -> Callable[[date], date]:
    """A memo around the calendar (planning 200,000 guarantees asks for the same few hundred dates)."""
    memo: dict[date, date] = {}

    def due(d: date) -> date:
        if d not in memo:
            memo[d] = next_workday(d)
        return memo[d]

    return due
