"""Coverage arithmetic (pure functions): worked examples and hypothesis properties."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danbao.securities.calculations import SecuredPart, compute_coverage_ratio, compute_coverage_value, compute_headroom, is_below

money = st.decimals(min_value=D("0.01"), max_value=D("100000000"), places=2, allow_nan=False, allow_infinity=False)
rates = st.sampled_from([D("0.5"), D("0.6"), D("0.7"), D("0.9"), D("1")])
parts = st.lists(st.builds(SecuredPart, money, rates), max_size=8)
quick = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def test_worked_example_house_and_receivable() -> None:
    # 1,500,000 of a house at 70 % + 400,000 of receivables at 60 % = 1,290,000 over 1,000,000.
    value = compute_coverage_value([SecuredPart(D("1500000"), D("0.7")), SecuredPart(D("400000"), D("0.6"))])
    assert value == D("1290000.00")
    assert compute_coverage_ratio(value, D("1000000")) == D("1.2900")
    assert not is_below(D("1.29"), D("1"))
    assert is_below(D("0.99"), D("1"))


def test_no_amount_no_ratio() -> None:
    assert compute_coverage_ratio(D("100"), None) is None
    assert compute_coverage_ratio(D("100"), D("0")) is None
    assert not is_below(None, D("1"))


def test_headroom_never_negative() -> None:
    assert compute_headroom(D("100"), D("150")) == D("0.00")
    assert compute_headroom(None, D("0")) == D("0.00")
    assert compute_headroom(D("100"), D("40")) == D("60.00")


@quick
@given(parts)
def test_value_is_sum_of_parts_and_bounded_by_allocations(items: list[SecuredPart]) -> None:
    value = compute_coverage_value(items)
    assert value >= 0
    assert value <= sum((p.allocated_value for p in items), D("0")) + D("0.01")
    assert abs(value - sum((p.allocated_value * p.pledge_rate for p in items), D("0"))) <= D("0.005")


@quick
@given(parts, parts)
def test_value_is_additive_over_collateral(a: list[SecuredPart], b: list[SecuredPart]) -> None:
    # Splitting a project's allocations into two groups never changes the total by more than rounding.
    assert abs(compute_coverage_value(a + b) - (compute_coverage_value(a) + compute_coverage_value(b))) <= D("0.01")


@quick
@given(parts, money)
def test_ratio_monotone_in_collateral(items: list[SecuredPart], amount: D) -> None:
    base = compute_coverage_ratio(compute_coverage_value(items), amount)
    more = compute_coverage_ratio(compute_coverage_value([*items, SecuredPart(D("1000"), D("0.5"))]), amount)
    assert base is not None and more is not None and more >= base


@quick
@given(money, st.lists(money, max_size=6))
def test_shared_collateral_split_never_exceeds_its_value(value: D, wishes: list[D]) -> None:
    # Allocate greedily within the headroom: the sum never exceeds the collateral's value, and the
    # coverage the projects get together is at most value × rate.
    allocated = D("0")
    shares = []
    for wish in wishes:
        room = compute_headroom(value, allocated)
        take = min(wish, room)
        if take > 0:
            shares.append(take)
            allocated += take
    assert allocated <= value
    rate = D("0.7")
    total = sum((compute_coverage_value([SecuredPart(s, rate)]) for s in shares), D("0"))
    assert total <= (value * rate).quantize(D("0.01")) + D("0.01") * len(shares)
