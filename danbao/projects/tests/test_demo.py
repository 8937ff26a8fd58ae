"""The demo clock that back-dates the demo projects' histories: it stands in for timezone.now inside
the block only, moves forward in office hours on weekdays, keeps readings in order and never passes
the real present. No database."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from danbao.projects.demo import PLAN, DemoClock, demo_clock, office_hours


def test_plan_has_about_190_approved_and_350_in_all() -> None:
    counts = dict(PLAN)
    assert 185 <= counts["approved"] <= 200 and 330 <= sum(counts.values()) <= 370
    assert counts["override_pending"] and counts["declined"]


def test_clock_patches_now_only_inside_the_block() -> None:
    real = timezone.now()
    clock = DemoClock(real)
    start = real - dt.timedelta(days=400)
    with demo_clock(clock):
        clock.set(start)
        first, second = timezone.now(), timezone.now()
        assert start < first < second < start + dt.timedelta(minutes=1)
        assert timezone.localdate() == timezone.localtime(second).date()
    assert timezone.now() >= real  # restored


def test_advance_stays_in_office_hours_in_order_and_before_the_present() -> None:
    rng = random.Random(1)
    real = timezone.now()
    clock = DemoClock(real)
    clock.set(real - dt.timedelta(days=30))
    seen = [clock.at]
    for _ in range(40):  # far more days than are left: squeezed, never past the limit
        seen.append(clock.advance(rng, 2, 5))
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert all(moment < real for moment in seen)
    early = [m for m in seen[1:] if m < real - dt.timedelta(days=5)]
    assert early and all(timezone.localtime(m).weekday() < 5 and 9 <= timezone.localtime(m).hour <= 17 for m in early)


def test_office_hours_moves_a_weekend_to_monday() -> None:
    saturday = timezone.make_aware(dt.datetime(2026, 11, 28, 22, 0))
    moved = timezone.localtime(office_hours(saturday, random.Random(2)))
    assert moved.date() == dt.date(2026, 11, 30) and 9 <= moved.hour <= 17
