"""Template filters of the ledger pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def share(value: Any) -> str:
    """A fraction as a percentage with two decimals: 0.2 → 20.00%."""
    try:
        return f"{Decimal(value) * 100:.2f}%"
    except (InvalidOperation, TypeError, ValueError):
        return "—"
