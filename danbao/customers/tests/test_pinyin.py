"""Pinyin keys for customer search."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from danbao.customers.pinyin import full, initials, search_key


@pytest.mark.parametrize(
    ("name", "expected_initials", "expected_full"),
    [
        ("山东农担", "sdnd", "shandongnongdan"),
        ("重庆", "cq", "chongqing"),  # polyphone 重: chong, not zhong
        ("长沙银行", "csyh", "changshayinhang"),  # 长 chang, 行 hang
        ("ABC科技有限公司", "abckjyxgs", "abckejiyouxiangongsi"),
        ("第1车间", "d1cj", "di1chejian"),
        ("ＡＢＣ（中国）", "abczg", "abczhongguo"),  # full-width letters folded, brackets dropped
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_examples(name, expected_initials, expected_full):
    assert initials(name) == expected_initials
    assert full(name) == expected_full


def test_search_key():
    assert search_key("山东农担") == "sdnd shandongnongdan"


def _has_reading(ch: str) -> bool:
    return bool(lazy_pinyin(ch, style=Style.NORMAL, errors="ignore"))


def test_character_without_a_reading_is_dropped_not_an_error():
    assert initials("兙山") == "s" and full("兙") == ""  # 兙 (a rare unit character) has no reading in pypinyin


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(_has_reading), min_size=1, max_size=12))
def test_property_one_initial_per_chinese_character(name):
    out = initials(name)
    assert len(out) == len(name)
    assert out.isascii() and out.islower()
    assert full(name).startswith(out[0])


@given(st.text(max_size=30))
def test_property_never_fails_and_is_plain_ascii(name):
    for value in (initials(name), full(name)):
        assert value == "" or (value.isascii() and value.isalnum())
