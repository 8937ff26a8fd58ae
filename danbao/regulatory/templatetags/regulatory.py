"""Display helpers of the regulatory pages: rounding happens here, half-up, and nowhere else."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any, places: int = 2) -> str:
    """A fraction as a percentage: 0.105 -> '10.50%'; None -> '—'."""
    if value is None or value == "":
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    return f"{(Decimal(value) * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"


@register.filter
def times(value: Any) -> str:
    """A multiple: 13.63636 -> '13.64×'."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}×"


@register.filter
def wan(value: Any) -> str:
    """Yuan as 万元 with thousands separators: 82300000 -> '8,230.00'."""
    if value is None or value == "":
        return "—"
    return f"{(Decimal(value) / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@register.filter
def neg(value: Any) -> Any:
    return None if value is None else -Decimal(value)
