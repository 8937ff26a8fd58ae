"""Pure formulas: TV-10 loss split and recovery, TV-11 fees (boundary at exactly 500万), usage levels,
with hypothesis properties (parts add up; nobody gets back more than it paid)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danbao.partners.calculations import (
    BANK,
    ORIGINAL,
    Flow,
    SharingParty,
    allocate,
    compute_loss_split,
    compute_recovery_split,
    compute_reguarantee_fee,
    compute_usage,
)

W = Decimal(10_000)
NATIONAL = [SharingParty("provincial", Decimal("0.2")), SharingParty("fund", Decimal("0.2"), via="provincial")]


def test_tv10_national_default_split() -> None:
    split = compute_loss_split(500 * W, bank_share=Decimal("0.2"), parties=NATIONAL)
    assert split.net == {BANK: 100 * W, "provincial": 100 * W, "fund": 100 * W, ORIGINAL: 200 * W}
    assert split.paid_to_bank == 400 * W
    assert split.flows == [
        Flow(ORIGINAL, BANK, 400 * W),
        Flow("provincial", ORIGINAL, 200 * W),  # provincial + fund shares
        Flow("fund", "provincial", 100 * W),
    ]


def test_tv10_recovery_redistribution() -> None:
    split = compute_loss_split(500 * W, bank_share=Decimal("0.2"), parties=NATIONAL)
    recovery = compute_recovery_split(split, 120 * W, NATIONAL)
    assert recovery.returned == {"provincial": 30 * W, "fund": 30 * W, ORIGINAL: 60 * W}
    assert recovery.final_net == {BANK: 100 * W, "provincial": 70 * W, "fund": 70 * W, ORIGINAL: 140 * W}
    assert recovery.flows == [Flow(ORIGINAL, "provincial", 60 * W), Flow("provincial", "fund", 30 * W)]
    assert recovery.excess == 0


def test_anhui_4321_variant() -> None:
    parties = [SharingParty("provincial", Decimal("0.3")), SharingParty("local_gov", Decimal("0.1"))]
    split = compute_loss_split(500 * W, bank_share=Decimal("0.2"), parties=parties)
    assert split.net == {BANK: 100 * W, "provincial": 150 * W, "local_gov": 50 * W, ORIGINAL: 200 * W}


def test_recovery_beyond_the_claim_is_capped() -> None:
    split = compute_loss_split(500 * W, bank_share=Decimal("0.2"), parties=NATIONAL)
    recovery = compute_recovery_split(split, 450 * W, NATIONAL)
    assert recovery.recovered == 400 * W and recovery.excess == 50 * W
    assert recovery.final_net == {BANK: 100 * W, "provincial": 0, "fund": 0, ORIGINAL: 0}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bank_share": Decimal("0.7"), "parties": [SharingParty("p", Decimal("0.4"))]},  # 110 %
        {"bank_share": Decimal("-0.1"), "parties": []},
        {"bank_share": Decimal("0.2"), "parties": [SharingParty("fund", Decimal("0.2"), via="nobody")]},
        {"bank_share": Decimal("0.2"), "parties": [SharingParty("bank", Decimal("0.2"))]},
    ],
)
def test_invalid_shares_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        compute_loss_split(Decimal(100), **kwargs)


def test_tv11_fees_and_the_500_boundary() -> None:
    rates = {"band_amount": 500 * W, "rate_low": Decimal("0.003"), "rate_high": Decimal("0.005")}
    assert compute_reguarantee_fee(300 * W, Decimal("0.2"), **rates).amount == Decimal("1800.00")
    fee_800 = compute_reguarantee_fee(800 * W, Decimal("0.2"), **rates)
    assert (fee_800.exposure, fee_800.rate, fee_800.amount) == (160 * W, Decimal("0.005"), Decimal("8000.00"))
    exactly = compute_reguarantee_fee(500 * W, Decimal("0.2"), **rates)
    assert (exactly.rate, exactly.amount) == (Decimal("0.003"), Decimal("3000.00"))  # ≤ 500 is the low band
    just_above = compute_reguarantee_fee(500 * W + Decimal("0.01"), Decimal("0.2"), **rates)
    assert just_above.rate == Decimal("0.005")


@pytest.mark.parametrize(
    ("used", "level"),
    [("79999999.99", "green"), ("80000000", "amber"), ("99999999.99", "amber"), ("100000000", "red"), ("120000000", "red")],
)
def test_usage_levels_at_the_thresholds(used: str, level: str) -> None:
    usage = compute_usage(Decimal(100_000_000), Decimal(used), amber=Decimal("0.8"), red=Decimal(1))
    assert usage.level == level
    assert usage.available == Decimal(100_000_000) - Decimal(used)


def test_usage_of_a_zero_line() -> None:
    assert compute_usage(Decimal(0), Decimal(0), amber=Decimal("0.8"), red=Decimal(1)).level == "green"
    assert compute_usage(Decimal(0), Decimal(1), amber=Decimal("0.8"), red=Decimal(1)).level == "red"


cents = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
share = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 100)


@given(loss=cents, bank=share, provincial=share, fund=share, recovered=cents)
def test_split_properties(loss: Decimal, bank: Decimal, provincial: Decimal, fund: Decimal, recovered: Decimal) -> None:
    if bank + provincial + fund > 1:
        return
    parties = [SharingParty("provincial", provincial), SharingParty("fund", fund, via="provincial")]
    split = compute_loss_split(loss, bank_share=bank, parties=parties)
    assert sum(split.net.values()) == loss  # the shares add up to the loss, to the cent
    assert all(v >= 0 for v in split.net.values())
    assert split.paid_to_bank == loss - split.net[BANK]
    recovery = compute_recovery_split(split, recovered, parties)
    assert recovery.recovered <= split.paid_to_bank
    assert recovery.recovered + recovery.excess == recovered
    assert sum(recovery.returned.values()) == recovery.recovered
    for key, back in recovery.returned.items():
        assert 0 <= back <= split.net[key]  # nobody gets back more than it paid
    assert all(v >= 0 for v in recovery.final_net.values())


@given(total=cents, weights=st.lists(st.integers(min_value=0, max_value=1000).map(Decimal), min_size=1, max_size=6))
def test_allocate_is_exact(total: Decimal, weights: list[Decimal]) -> None:
    parts = allocate(total, weights)
    if sum(weights) == 0:
        assert all(p == 0 for p in parts)
    else:
        assert sum(parts) == total
