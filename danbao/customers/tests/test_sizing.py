"""Enterprise size class per 工信部联企业〔2011〕300号 第四条 and the NBS 统计上大中小微型企业划分办法."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from danbao.customers.sizing import GROUP_LABELS, SIZE_CLASSES, THRESHOLDS, compute_size_class, industry_size_group

WAN = Decimal(10000)

# The standard's numbers, written out independently of the module's table: group → (representative
# GB/T 4754-2017 code, {indicator: (large, medium, small) lower limits}), amounts in 万元.
STANDARD = {
    "agriculture": ("01", {"revenue": (20000, 500, 50)}),
    "industry": ("C13", {"employees": (1000, 300, 20), "revenue": (40000, 2000, 300)}),
    "construction": ("47", {"revenue": (80000, 6000, 300), "assets": (80000, 5000, 300)}),
    "wholesale": ("51", {"employees": (200, 20, 5), "revenue": (40000, 5000, 1000)}),
    "retail": ("52", {"employees": (300, 50, 10), "revenue": (20000, 500, 100)}),
    "transport": ("54", {"employees": (1000, 300, 20), "revenue": (30000, 3000, 200)}),
    "warehousing": ("592", {"employees": (200, 100, 20), "revenue": (30000, 1000, 100)}),
    "postal": ("60", {"employees": (1000, 300, 20), "revenue": (30000, 2000, 100)}),
    "accommodation": ("61", {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)}),
    "catering": ("62", {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)}),
    "telecom": ("63", {"employees": (2000, 100, 10), "revenue": (100000, 1000, 100)}),
    "software": ("65", {"employees": (300, 100, 10), "revenue": (10000, 1000, 50)}),
    "real_estate_development": ("7010", {"revenue": (200000, 1000, 100), "assets": (10000, 5000, 2000)}),
    "property_management": ("702", {"employees": (1000, 300, 100), "revenue": (5000, 1000, 500)}),
    "leasing_business": ("72", {"employees": (300, 100, 10), "assets": (120000, 8000, 100)}),
    "other": ("73", {"employees": (300, 100, 10)}),
}
SIZES = ("large", "medium", "small")
LOWER = {"large": "medium", "medium": "small", "small": "micro"}


def _call(code, values):
    """values in the standard's units (persons, 万元)."""
    return compute_size_class(
        industry_code=code,
        employees=int(values["employees"]) if "employees" in values else None,
        revenue=Decimal(values["revenue"]) * WAN if "revenue" in values else None,
        total_assets=Decimal(values["assets"]) * WAN if "assets" in values else None,
    )


def test_table_covers_every_group_of_the_standard():
    assert {row["group"] for row in THRESHOLDS} == set(STANDARD) == set(GROUP_LABELS)
    for row in THRESHOLDS:
        _code, limits = STANDARD[row["group"]]
        assert set(row["indicators"]) == set(limits)
        for i, ind in enumerate(row["indicators"]):
            assert (row["large"][i], row["medium"][i], row["small"][i]) == limits[ind], row["group"]
        assert row["article"].startswith("第四条")


CASES = [(group, size) for group in STANDARD for size in SIZES]


@pytest.mark.parametrize(("group", "size"), CASES)
def test_at_every_lower_limit_the_class_is_reached(group, size):
    code, limits = STANDARD[group]
    idx = SIZES.index(size)
    result = _call(code, {ind: lim[idx] for ind, lim in limits.items()})
    assert (result.size_class, result.group) == (size, group)
    assert result.rule  # says which threshold decided


@pytest.mark.parametrize(("group", "size"), CASES)
def test_just_above_every_lower_limit_stays_in_the_class(group, size):
    code, limits = STANDARD[group]
    idx = SIZES.index(size)
    values = {ind: Decimal(lim[idx]) + (1 if ind == "employees" else Decimal("0.0001")) for ind, lim in limits.items()}
    assert _call(code, values).size_class == size


@pytest.mark.parametrize(("group", "size"), CASES)
def test_just_below_any_one_lower_limit_drops_one_class(group, size):
    """Large, medium and small must reach EVERY listed lower limit, otherwise one class down."""
    code, limits = STANDARD[group]
    idx = SIZES.index(size)
    for short in limits:
        values = {ind: Decimal(lim[idx]) for ind, lim in limits.items()}
        values[short] -= 1 if short == "employees" else Decimal("0.0001")  # one person / one yuan less
        assert _call(code, values).size_class == LOWER[size], (group, size, short)


@pytest.mark.parametrize("group", [g for g, (_c, limits) in STANDARD.items() if len(limits) == 2])
def test_micro_needs_only_one_indicator_below_the_small_limit(group):
    code, limits = STANDARD[group]
    (a, la), (b, lb) = limits.items()
    huge = {a: la[0] * 10, b: lb[0] * 10}
    assert _call(code, huge).size_class == "large"
    # Far above large in one indicator, below small in the other: micro.
    assert _call(code, {a: la[0] * 10, b: Decimal(lb[2]) - 1}).size_class == "micro"
    assert _call(code, {a: Decimal(la[2]) - 1, b: lb[0] * 10}).size_class == "micro"


def test_worked_examples_in_yuan():
    # A food factory (C13) with 350 employees and 5,000万 revenue: medium (≥300 and ≥2000万).
    r = compute_size_class(industry_code="1310", employees=350, revenue=Decimal("50000000.00"), total_assets=None)
    assert (r.size_class, r.group) == ("medium", "industry")
    assert "第四条（二）" in r.rule
    # A farmers' cooperative growing grain with 49.99万 revenue: micro.
    r = compute_size_class(industry_code="A0111", employees=3, revenue=Decimal("499999.99"), total_assets=None)
    assert r.size_class == "micro"
    # A software firm with 9 employees and 3,000万 revenue: micro (fewer than 10 employees).
    r = compute_size_class(industry_code="6513", employees=9, revenue=Decimal("30000000"), total_assets=None)
    assert r.size_class == "micro"
    # A retailer with 1000 employees but 150万 revenue: small.
    r = compute_size_class(industry_code="F52", employees=1000, revenue=Decimal("1500000"), total_assets=None)
    assert r.size_class == "small"


def test_missing_indicator_that_could_decide_gives_none():
    r = compute_size_class(industry_code="13", employees=None, revenue=Decimal("500000000"), total_assets=None)
    assert r.size_class is None and r.group == "industry"
    # …but below the small limit in the known indicator it is micro whatever the other one is.
    r = compute_size_class(industry_code="13", employees=None, revenue=Decimal("1000000"), total_assets=None)
    assert r.size_class == "micro"


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("B", "industry"),
        ("06", "industry"),
        ("11", "industry"),
        ("43", "industry"),
        ("44", "industry"),
        ("E", "construction"),
        ("50", "construction"),
        ("05", "agriculture"),
        ("53", "other"),  # 铁路运输业 is not in 交通运输业
        ("58", "transport"),
        ("591", "transport"),  # 装卸搬运
        ("5910", "transport"),
        ("59", "warehousing"),
        ("5942", "warehousing"),
        ("64", "telecom"),
        ("701", "real_estate_development"),
        ("7020", "property_management"),
        ("703", "other"),  # 房地产中介服务
        ("7090", "other"),  # 其他房地产业
        ("71", "leasing_business"),
        ("L", "leasing_business"),
        ("74", "other"),
        ("85", "other"),
        ("90", "other"),
    ],
)
def test_industry_mapping(code, group):
    assert industry_size_group(code)[0] == group


@pytest.mark.parametrize("code", ["J", "66", "6620", "S", "92", "T", "97", "70", "7040", "F", "G", "", "XYZ", "99", None])
def test_not_covered_or_ambiguous_codes_give_no_class_and_a_reason(code):
    r = compute_size_class(industry_code=code, employees=10, revenue=Decimal(1), total_assets=Decimal(1))
    assert r.size_class is None and r.group == ""
    assert r.rule


def test_labels_are_translated():
    with translation.override("zh-hans"):
        assert [str(SIZE_CLASSES[k]) for k in ("large", "medium", "small", "micro")] == ["大型", "中型", "小型", "微型"]
        assert str(GROUP_LABELS["industry"]) == "工业"


@given(
    st.sampled_from(sorted(STANDARD)),
    st.integers(min_value=0, max_value=5000),
    st.integers(min_value=0, max_value=3_000_000),
    st.integers(min_value=0, max_value=3_000_000),
    st.integers(min_value=1, max_value=100),
)
def test_property_more_of_everything_never_makes_an_enterprise_smaller(group, emp, rev, assets, extra):
    code = STANDARD[group][0]
    rank = {"micro": 0, "small": 1, "medium": 2, "large": 3}
    a = _call(code, {"employees": emp, "revenue": rev, "assets": assets}).size_class
    b = _call(code, {"employees": emp + extra, "revenue": rev + extra, "assets": assets + extra}).size_class
    assert a is not None and b is not None
    assert rank[b] >= rank[a]
