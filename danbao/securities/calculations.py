"""Coverage of a guarantee by collateral (反担保覆盖率): pure functions over Decimal, no ORM.

    coverage value = Σ (allocated value × pledge rate of the collateral's type)   over the project's
                     active allocations (最高额: a collateral shared by several projects counts in
                     each only with the value allocated to it)
    coverage ratio = coverage value ÷ approved guarantee amount

Institutional practice [PR], not regulation: see docs/securities.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class SecuredPart:
    allocated_value: Decimal
    pledge_rate: Decimal


def compute_coverage_value(parts: Iterable[SecuredPart]) -> Decimal:
    """Σ allocated value × pledge rate, rounded to the fen once at the end."""
    total = sum((part.allocated_value * part.pledge_rate for part in parts), Decimal("0"))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def compute_coverage_ratio(value: Decimal, guarantee_amount: Decimal | None) -> Decimal | None:
    """value ÷ guarantee amount to 4 places; None when there is no positive amount to cover."""
    if guarantee_amount is None or guarantee_amount <= 0:
        return None
    return (value / guarantee_amount).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def compute_headroom(current_value: Decimal | None, allocated: Decimal) -> Decimal:
    """How much of a collateral's value is not yet allocated (never negative)."""
    if current_value is None:
        return Decimal("0.00")
    return max(current_value - allocated, Decimal("0")).quantize(CENT)


def is_below(ratio: Decimal | None, required: Decimal) -> bool:
    """Below the requirement? No amount to cover (ratio None) is never below."""
    return ratio is not None and ratio < required
