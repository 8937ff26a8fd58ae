from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danbao.core.money import amount_in_words, format_amount, to_money


def test_amount_in_words_worked_example() -> None:
    assert amount_in_words(Decimal("1234567.89")) == "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"


def test_format_amount_thousands_and_cents() -> None:
    assert format_amount(Decimal("1234567.8")) == "1,234,567.80"
    assert format_amount(None) == ""


def test_half_up_rounding_to_the_cent() -> None:
    assert to_money("0.005") == Decimal("0.01")
    assert to_money("2.675") == Decimal("2.68")


def test_not_an_amount_is_refused() -> None:
    with pytest.raises(ValueError):
        to_money("abc")


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False, allow_infinity=False))
def test_every_amount_has_words_ending_in_yuan_jiao_fen_or_zheng(value: Decimal) -> None:
    words = amount_in_words(value)
    assert words and words[-1] in "整分角元"
