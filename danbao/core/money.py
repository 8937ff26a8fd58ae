"""Money helpers: Decimal only, half-up to the cent, thousands separators and 大写 (cn2an)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    """Round an amount half-up to the cent (the one rounding rule for yuan amounts)."""
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def format_amount(value: Decimal | int | str | None) -> str:
    """1234567.8 -> '1,234,567.80'; None -> ''."""
    if value is None or value == "":
        return ""
    return f"{to_money(value):,.2f}"


def amount_in_words(value: Decimal | int | str) -> str:
    """Amount in Chinese capitals for documents: 1234567.89 -> 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分."""
    amount = to_money(value)
    if amount < 0:
        return "负" + amount_in_words(-amount)
    words: str = cn2an.an2cn(f"{amount:.2f}", "rmb")
    return words
