"""Scorecard arithmetic: worked examples, bin edges, validation messages and hypothesis properties (no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danbao.scoring.calculate import (
    BinDef,
    Definition,
    FactorDef,
    GradeDef,
    OptionDef,
    bins_problems,
    compute_assessment,
    definition_problems,
    format_bins,
    grades_problems,
    parse_bins,
    parse_options,
    score_factor,
)

# 资产负债率: lower is better. [−∞,0.5) 100, [0.5,0.7) 60, [0.7,+∞) 0
DEBT_BINS = (BinDef(None, D("0.5"), D(100)), BinDef(D("0.5"), D("0.7"), D(60)), BinDef(D("0.7"), None, D(0)))
# 反担保覆盖率: higher is better, upper edges included. (−∞,0.5] 0, (0.5,1] 60, (1,+∞) 100
COVER_BINS = (
    BinDef(None, D("0.5"), D(0), upper_inclusive=True),
    BinDef(D("0.5"), D("1"), D(60), lower_inclusive=False, upper_inclusive=True),
    BinDef(D("1"), None, D(100), lower_inclusive=False),
)
GRADES = (
    GradeDef("AAA", D(90), D(100), D("5000000"), D("0.005"), D("0.008")),
    GradeDef("AA", D(80), D(90), D("3000000"), D("0.008"), D("0.01")),
    GradeDef("A", D(70), D(80), D("2000000"), D("0.01"), D("0.012")),
    GradeDef("BBB", D(60), D(70), D("1000000"), D("0.012"), D("0.015")),
    GradeDef("BB", D(50), D(60), D("500000"), D("0.015"), D("0.02")),
    GradeDef("B", D(40), D(50), D("300000"), D("0.02"), D("0.025")),
    GradeDef("CCC", D(30), D(40), D(0), None, None),
    GradeDef("CC", D(20), D(30), D(0), None, None),
    GradeDef("C", D(0), D(20), D(0), None, None),
)
DEBT = FactorDef("debt", "资产负债率", "financial", D(40), source="debt_to_asset", bins=DEBT_BINS)
MGMT = FactorDef(
    "mgmt",
    "实际控制人从业经验",
    "qualitative",
    D(35),
    question="从业年限？",
    options=(OptionDef("gt10", "10年以上", D(100)), OptionDef("5to10", "5-10年", D(70)), OptionDef("lt5", "5年以下", D(30))),
)
COVER = FactorDef("cover", "反担保覆盖率", "coverage", D(25), bins=COVER_BINS)
DEFINITION = Definition((DEBT, MGMT, COVER), GRADES)


def test_worked_example_full_inputs() -> None:
    # 0.62 → [0.5,0.7) 60 pts × 40 % = 24; 5-10年 70 × 35 % = 24.5; 1.2 → (1,+∞) 100 × 25 % = 25; total 73.5 → A
    result = compute_assessment(DEFINITION, {"debt": D("0.62"), "mgmt": "5to10", "cover": D("1.2")})
    assert [f.points for f in result.factors] == [D(60), D(70), D(100)]
    assert [f.weighted for f in result.factors] == [D("24.00"), D("24.50"), D("25.00")]
    assert result.total == D("73.50")
    assert result.grade == "A"
    assert (result.max_amount, result.fee_rate_min, result.fee_rate_max) == (D("2000000"), D("0.01"), D("0.012"))
    assert result.missing == ()
    assert result.factor("debt").bin == "[0.5, 0.7)"
    assert result.factor("mgmt").bin == "5-10年"


def test_missing_inputs_score_zero_and_are_flagged() -> None:
    result = compute_assessment(DEFINITION, {"debt": None, "mgmt": "", "cover": D("0.8")})
    assert result.missing == ("debt", "mgmt")
    debt = result.factor("debt")
    assert debt.points == 0 and debt.missing and debt.note
    assert result.factor("mgmt").missing
    # 0.8 → (0.5, 1] 60 × 25 % = 15 → C
    assert result.total == D("15.00") and result.grade == "C"


def test_unknown_answer_is_flagged_not_an_exception() -> None:
    item = score_factor(MGMT, "maybe")
    assert item.missing and item.points == 0 and item.raw == "maybe"


def test_non_numeric_input_is_missing() -> None:
    assert score_factor(DEBT, "n/a").missing


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0.4999", 100),
        ("0.5", 60),  # lower edge included
        ("0.6999", 60),
        ("0.7", 0),  # upper edge of [0.5,0.7) excluded, falls in [0.7,+∞)
        ("-3", 100),
        ("12", 0),
    ],
)
def test_bin_edges_left_closed(value: str, points: int) -> None:
    assert score_factor(DEBT, D(value)).points == points


@pytest.mark.parametrize(("value", "points"), [("0.5", 0), ("0.5001", 60), ("1", 60), ("1.0001", 100)])
def test_bin_edges_right_closed(value: str, points: int) -> None:
    assert score_factor(COVER, D(value)).points == points


@pytest.mark.parametrize(("total", "grade"), [("0", "C"), ("19.99", "C"), ("20", "CC"), ("89.99", "AA"), ("90", "AAA"), ("100", "AAA")])
def test_grade_edges(total: str, grade: str) -> None:
    factor = FactorDef("x", "x", "coverage", D(100), bins=(BinDef(None, None, D(total)),))
    assert compute_assessment(Definition((factor,), GRADES), {"x": D(1)}).grade == grade


def test_valid_definition_has_no_problems() -> None:
    assert definition_problems(DEFINITION) == []


def test_weights_must_sum_to_100(settings: object) -> None:
    bad = Definition((DEBT, MGMT), GRADES)
    problems = definition_problems(bad)
    assert any("75" in p and "100" in p for p in problems)


def test_bins_gap_overlap_and_unbounded_ends() -> None:
    gap = (BinDef(None, D("0.5"), D(1)), BinDef(D("0.6"), None, D(2)))
    overlap = (BinDef(None, D("0.6"), D(1)), BinDef(D("0.5"), None, D(2)))
    both = (BinDef(None, D("0.5"), D(1), upper_inclusive=True), BinDef(D("0.5"), None, D(2)))
    neither = (BinDef(None, D("0.5"), D(1)), BinDef(D("0.5"), None, D(2), lower_inclusive=False))
    bounded = (BinDef(D(0), D(1), D(1)),)
    assert len(bins_problems(gap)) == 1
    assert len(bins_problems(overlap)) == 1
    assert len(bins_problems(both)) == 1
    assert len(bins_problems(neither)) == 1
    assert len(bins_problems(bounded)) == 2
    assert bins_problems(DEBT_BINS) == []
    assert bins_problems(COVER_BINS) == []
    assert bins_problems(()) != []
    assert bins_problems((BinDef(None, None, D(101)),)) != []


def test_point_bin_for_counts_is_valid() -> None:
    # Overdue count: exactly 0 → 100, (0, 2] → 50, above 2 → 0; negative values are impossible but covered.
    bins = (
        BinDef(None, D(0), D(100)),
        BinDef(D(0), D(0), D(100), upper_inclusive=True),
        BinDef(D(0), D(2), D(50), lower_inclusive=False, upper_inclusive=True),
        BinDef(D(2), None, D(0), lower_inclusive=False),
    )
    assert bins_problems(bins) == []
    factor = FactorDef("od", "征信", "credit", D(100), source="overdue_count_24m", bins=bins)
    assert [score_factor(factor, D(v)).points for v in (0, 1, 2, 3)] == [100, 50, 50, 0]


def test_grades_must_cover_0_to_100_in_order() -> None:
    assert grades_problems(GRADES) == []
    assert grades_problems(GRADES[:-1]) != []  # nothing from 0 to 20
    assert grades_problems(()) != []
    swapped = (GradeDef("C", D(50), D(100)), GradeDef("AAA", D(0), D(50)))
    assert any("AAA" in p for p in grades_problems(swapped))
    overlapping = (GradeDef("A", D(40), D(100)), GradeDef("B", D(0), D(50)))
    assert grades_problems(overlapping) != []


def test_messages_are_chinese() -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        problems = definition_problems(Definition((DEBT,), ()))
    assert any("100" in p and "权重" in p for p in problems)


def test_parse_and_format_bins_round_trip() -> None:
    text = "(-∞, 0.5) = 100\n[0.5, 0.7) = 60\n[0.7, +∞) = 0"
    bins, errors = parse_bins(text)
    assert errors == [] and tuple(bins) == DEBT_BINS
    assert format_bins(bins) == text
    bins, errors = parse_bins("（-inf，0.5] 0\n(0.5, 1]：60\n(1, ∞) 100\nnonsense")
    assert tuple(bins) == COVER_BINS
    assert len(errors) == 1 and "4" in errors[0]


def test_parse_options() -> None:
    options, errors = parse_options("gt10 | 10年以上 | 100\n5to10｜5-10年｜70\nbad line")
    assert options == [OptionDef("gt10", "10年以上", D(100)), OptionDef("5to10", "5-10年", D(70))]
    assert len(errors) == 1


# --- properties ------------------------------------------------------------------------------------

points_st = st.decimals(min_value=0, max_value=100, places=2)
values_st = st.decimals(min_value=-1000, max_value=1000, places=4)


@st.composite
def monotone_bins(draw: st.DrawFn) -> tuple[BinDef, ...]:
    """Contiguous bins from −∞ to +∞ with non-decreasing points."""
    edges = sorted(set(draw(st.lists(st.decimals(min_value=-100, max_value=100, places=2), min_size=0, max_size=5))))
    points = sorted(draw(st.lists(points_st, min_size=len(edges) + 1, max_size=len(edges) + 1)))
    closed_right = draw(st.booleans())
    bounds = [None, *edges, None]
    return tuple(
        BinDef(
            bounds[i],
            bounds[i + 1],
            points[i],
            lower_inclusive=not closed_right and bounds[i] is not None,
            upper_inclusive=closed_right and bounds[i + 1] is not None,
        )
        for i in range(len(points))
    )


@st.composite
def weights(draw: st.DrawFn, n: int) -> list[D]:
    """n positive weights (2 places) adding up to exactly 100."""
    cuts = sorted(set(draw(st.lists(st.integers(min_value=1, max_value=9999), min_size=n - 1, max_size=n - 1, unique=True))))
    if len(cuts) != n - 1:
        cuts = list(range(1, n))
    bounds = [0, *cuts, 10000]
    return [D(bounds[i + 1] - bounds[i]) / 100 for i in range(n)]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(min_value=1, max_value=6))
def test_total_is_within_0_and_100(data: st.DataObject, n: int) -> None:
    ws = data.draw(weights(n))
    factors = tuple(FactorDef(f"f{i}", f"f{i}", "financial", w, bins=data.draw(monotone_bins())) for i, w in enumerate(ws))
    inputs = {f.code: data.draw(st.one_of(st.none(), values_st)) for f in factors}
    result = compute_assessment(Definition(factors, GRADES), inputs)
    assert D(0) <= result.total <= D(100)
    assert result.grade  # the bands cover 0–100
    assert set(result.missing) == {code for code, v in inputs.items() if v is None}


@settings(max_examples=200, deadline=None)
@given(bins=monotone_bins(), a=values_st, b=values_st, rest=points_st)
def test_monotone_in_a_factor_with_monotone_bins(bins: tuple[BinDef, ...], a: D, b: D, rest: D) -> None:
    low, high = min(a, b), max(a, b)
    factor = FactorDef("x", "x", "financial", D(60), bins=bins)
    other = FactorDef("y", "y", "coverage", D(40), bins=(BinDef(None, None, rest),))
    definition = Definition((factor, other), GRADES)
    assert bins_problems(bins) == []
    first = compute_assessment(definition, {"x": low, "y": D(0)})
    second = compute_assessment(definition, {"x": high, "y": D(0)})
    assert first.total <= second.total


@settings(max_examples=200, deadline=None)
@given(bins=monotone_bins())
def test_each_edge_value_falls_in_exactly_one_bin(bins: tuple[BinDef, ...]) -> None:
    for b in bins:
        for edge in (b.lower, b.upper):
            if edge is not None:
                assert sum(1 for other in bins if other.contains(edge)) == 1
