"""Identity codes: unified social credit code and resident ID number (regulation.md §9, TV-16, TV-17)."""

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from danbao.customers.identity import (
    USCC_ALPHABET,
    check_ric,
    check_uscc,
    mask_mobile,
    mask_ric,
    mask_uscc,
    ric_check_char,
    uscc_check_char,
)

# --- 统一社会信用代码 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("91110000600037341", "L"),  # TV-16, python-stdnum's doc example, S = 538
        ("91350100M000100Y4", "3"),  # TV-16, S = 1640
        ("Y1110000MA0000000", "U"),  # TV-16, starts with a letter: stdnum refuses it, GB 32100 accepts
    ],
)
def test_tv16_check_characters(body, check):
    assert uscc_check_char(body) == check
    result = check_uscc(body + check)
    assert result.valid, result.errors
    assert result.normalized == body + check


def test_tv16_worked_sum_and_info():
    result = check_uscc("91110000600037341L")
    assert result.info["org_type"] == "企业"
    assert result.info["registration_authority"] == "工商"
    assert result.info["region_code"] == "110000"
    assert result.info["organization_code"] == "600037341"
    assert result.warnings == ()  # embedded organisation code 60003734-1 passes GB 11714 (TV-16)


def test_embedded_org_code_of_second_example_passes():
    assert check_uscc("91350100M000100Y43").warnings == ()


@pytest.mark.parametrize(
    ("prefix", "org_type"),
    [("92", "个体工商户"), ("93", "农民专业合作社"), ("N3", "农村集体经济组织"), ("Y1", "其他"), ("51", "社会团体")],
)
def test_org_types_of_common_prefixes(prefix, org_type):
    body = prefix + "370100" + "MA3C0000" + "1"
    result = check_uscc(body + uscc_check_char(body))
    assert result.valid
    assert result.info["org_type"] == org_type


def test_n_code_of_rural_collective_is_accepted():
    body = "N2370102MA0000000"
    code = body + uscc_check_char(body)
    result = check_uscc(code)
    assert result.valid
    assert result.info["registration_authority"] == "农业"
    assert result.info["org_type"] == "农民专业合作社"


def test_spaces_and_lower_case_are_normalised():
    result = check_uscc(" 9111 0000 6000 3734 1l ")
    assert result.valid
    assert result.normalized == "91110000600037341L"


def test_wrong_length_says_how_long():
    result = check_uscc("91110000600037341")
    assert not result.valid
    assert "18" in result.errors[0] and "17" in result.errors[0]


def test_illegal_character_names_its_position():
    result = check_uscc("91110000600O37341L")  # letter O at position 12
    assert not result.valid
    assert "12" in result.errors[0] and "O" in result.errors[0]


def test_wrong_check_character_says_expected():
    result = check_uscc("91110000600037341X")
    assert not result.valid
    assert "L" in result.errors[0] and "X" in result.errors[0]


def test_region_part_must_be_digits():
    body = "91ABCDEF600037341"
    result = check_uscc(body + uscc_check_char(body))
    assert not result.valid


def test_empty_code():
    assert not check_uscc("").valid
    assert not check_uscc(None).valid


def test_bad_embedded_org_code_is_only_a_warning():
    body = "911100006000373429"[:17]  # org code 600037342: its own check would be 1
    result = check_uscc(body + uscc_check_char(body))
    assert result.valid
    assert len(result.warnings) == 1 and "600037342" in result.warnings[0]


def test_messages_are_translated():
    with translation.override("zh-hans"):
        result = check_uscc("91110000600037341X")
    assert "校验" in result.errors[0]


uscc_bodies = st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2).flatmap(
    lambda head: st.tuples(
        st.just(head),
        st.text(alphabet="0123456789", min_size=6, max_size=6),
        st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
    )
)


@given(uscc_bodies)
def test_property_computed_check_always_validates(parts):
    body = "".join(parts)
    result = check_uscc(body + uscc_check_char(body))
    assert result.valid, result.errors


@given(uscc_bodies, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_property_changing_one_character_invalidates(parts, pos, shift):
    code = "".join(parts)
    code += uscc_check_char(code)
    old = USCC_ALPHABET.index(code[pos])
    changed = code[:pos] + USCC_ALPHABET[(old + shift) % 31] + code[pos + 1 :]
    assert not check_uscc(changed).valid


# --- 居民身份证号 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check"),
    [("11010519491231002", "X"), ("44052418800101001", "4"), ("11010119900307123", "3")],  # TV-17
)
def test_tv17_check_characters(body, check):
    assert ric_check_char(body) == check
    assert check_ric(body + check).valid


def test_tv17_info_female_1949():
    result = check_ric("11010519491231002x")
    assert result.valid
    assert result.normalized == "11010519491231002X"
    assert result.info == {"region_code": "110105", "birth_date": datetime.date(1949, 12, 31), "gender": "female"}


def test_tv17_info_male_1880():
    result = check_ric("440524188001010014")
    assert result.info["gender"] == "male"
    assert result.info["birth_date"] == datetime.date(1880, 1, 1)


def test_wrong_check_digit():
    result = check_ric("110101199003071234")
    assert not result.valid
    assert "3" in result.errors[-1]


def test_invalid_birth_date():
    body = "11010119900230123"
    result = check_ric(body + ric_check_char(body))
    assert not result.valid
    assert "19900230" in result.errors[0]


def test_birth_date_in_future():
    body = "11010120300101123"
    result = check_ric(body + ric_check_char(body), today=datetime.date(2026, 1, 1))
    assert not result.valid


def test_birth_today_is_fine():
    body = "11010120260101123"
    assert check_ric(body + ric_check_char(body), today=datetime.date(2026, 1, 1)).valid


def test_unknown_area_is_warning_not_error():
    body = "99010119900307123"
    result = check_ric(body + ric_check_char(body))
    assert result.valid
    assert len(result.warnings) == 1 and "990101" in result.warnings[0]


def test_fifteen_digit_number_is_upgraded_with_warning():
    result = check_ric("440524800101001")
    assert result.valid
    assert result.normalized == "440524198001010013"
    assert result.info["birth_date"] == datetime.date(1980, 1, 1)
    assert result.warnings


@pytest.mark.parametrize("value", ["", "1101011990030712", "11010119900307123Y", "1101011990030712X3", "ABCDEFGHIJKLMNOPQR"])
def test_malformed_numbers(value):
    assert not check_ric(value).valid


ric_bodies = st.tuples(
    st.sampled_from(["110101", "370102", "440305", "500101"]),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)),
    st.integers(min_value=0, max_value=999),
).map(lambda t: f"{t[0]}{t[1]:%Y%m%d}{t[2]:03d}")


@given(ric_bodies)
def test_property_ric_computed_check_validates_and_gender(body):
    result = check_ric(body + ric_check_char(body))
    assert result.valid, result.errors
    assert result.info["gender"] == ("male" if int(body[16]) % 2 else "female")


@given(ric_bodies, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_property_ric_changing_one_digit_invalidates(body, pos, shift):
    number = body + ric_check_char(body)
    changed = number[:pos] + str((int(number[pos]) + shift) % 10) + number[pos + 1 :]
    assert not check_ric(changed).valid


# --- masking --------------------------------------------------------------------------------------


def test_masks():
    assert mask_ric("110101199003071233") == "110***********1233"
    assert mask_mobile("13800000011") == "138****0011"
    assert mask_uscc("91110000600037341L") == "911100***341L"
    assert mask_ric("") == "" and mask_mobile(None) == ""
    assert mask_mobile("1234") == "****"  # too short to show anything


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
def test_property_uscc_check_agrees_with_stdnum_for_digit_prefixes(head, tail):
    body = head + tail
    assert uscc_check_char(body) == stdnum_uscc.calc_check_digit(body)


@given(ric_bodies)
def test_property_ric_check_agrees_with_stdnum(body):
    assert ric_check_char(body) == stdnum_ric.calc_check_digit(body + "0")
