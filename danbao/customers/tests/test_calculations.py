"""Financial statement checks and ratios."""

from dataclasses import replace
from decimal import Decimal

from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from danbao.customers.calculations import (
    HOUSEHOLD_RATIO_LABELS,
    RATIO_LABELS,
    HouseholdFigures,
    StatementFigures,
    balance_check,
    compute_ratios,
    household_ratios,
)

D = Decimal


def statement(**kw):
    base = dict(
        cash_amount=D("200000.00"),
        accounts_receivable_amount=D("300000.00"),
        inventory_amount=D("400000.00"),
        current_assets_amount=D("1000000.00"),
        fixed_assets_amount=D("1500000.00"),
        total_assets_amount=D("3000000.00"),
        short_term_loans_amount=D("500000.00"),
        accounts_payable_amount=D("200000.00"),
        current_liabilities_amount=D("800000.00"),
        long_term_loans_amount=D("400000.00"),
        total_liabilities_amount=D("1200000.00"),
        equity_amount=D("1800000.00"),
        revenue_amount=D("5000000.00"),
        cost_of_sales_amount=D("4000000.00"),
        operating_profit_amount=D("450000.00"),
        interest_expense_amount=D("50000.00"),
        profit_before_tax_amount=D("400000.00"),
        net_profit_amount=D("300000.00"),
        operating_cash_flow_amount=D("360000.00"),
        investing_cash_flow_amount=D("-200000.00"),
        financing_cash_flow_amount=D("-100000.00"),
    )
    base.update(kw)
    return StatementFigures(**base)


def test_field_names_are_the_agreed_ones():
    assert StatementFigures.field_names()[:3] == ("cash_amount", "accounts_receivable_amount", "inventory_amount")
    assert len(StatementFigures.field_names()) == 21
    assert StatementFigures.from_object({"cash_amount": D(1)}).cash_amount == D(1)


def test_balanced_statement_has_no_disagreement():
    assert balance_check(statement()) == []


def test_balance_within_tolerance_and_beyond():
    assert balance_check(statement(equity_amount=D("1799999.00"))) == []  # off by exactly 1.00
    out = balance_check(statement(equity_amount=D("1799998.99")))
    assert [d.code for d in out] == ["balance"]
    assert out[0].left == D("3000000.00") and out[0].right == D("2999998.99") and out[0].difference == D("1.01")
    assert "1.01" in out[0].message
    assert balance_check(statement(equity_amount=D("1799990")), tolerance=D("10")) == []


def test_each_inconsistency_is_named():
    f = statement(current_assets_amount=D("3500000"), current_liabilities_amount=D("1300000"), total_liabilities_amount=D("1200000"))
    assert {d.code for d in balance_check(f)} == {"current_assets", "current_liabilities"}
    f = statement(cash_amount=D("600000"))  # 600k + 300k + 400k > 1,000k
    out = balance_check(f)
    assert [d.code for d in out] == ["current_items"] and out[0].difference == D("300000.00")


def test_missing_figures_skip_checks():
    assert balance_check(StatementFigures()) == []
    assert balance_check(statement(equity_amount=None)) == []


def test_messages_are_translated():
    with translation.override("zh-hans"):
        out = balance_check(statement(equity_amount=D("1000000")))
    assert "资产" in out[0].message


def test_worked_ratios_closing_balances():
    r = compute_ratios(statement())
    assert r == {
        "debt_to_asset": D("0.4000"),  # 1.2m / 3m
        "current_ratio": D("1.2500"),  # 1m / 0.8m
        "quick_ratio": D("0.7500"),  # (1m − 0.4m) / 0.8m
        "gross_margin": D("0.2000"),  # (5m − 4m) / 5m
        "net_margin": D("0.0600"),  # 0.3m / 5m
        "roe": D("0.1667"),  # 0.3m / 1.8m = 0.16666… half-up
        "receivables_turnover": D("16.6667"),  # 5m / 0.3m
        "inventory_turnover": D("10.0000"),  # 4m / 0.4m
        "interest_coverage": D("9.0000"),  # (0.4m + 0.05m) / 0.05m
        "ocf_to_liabilities": D("0.3000"),  # 0.36m / 1.2m
    }
    assert set(r) == set(RATIO_LABELS)


def test_ratios_with_previous_use_averages():
    prev = statement(
        accounts_receivable_amount=D("200000"),
        inventory_amount=D("600000"),
        equity_amount=D("1200000"),
        total_liabilities_amount=D("600000"),
    )
    r = compute_ratios(statement(), prev)
    assert r["receivables_turnover"] == D("20.0000")  # 5m / 250k
    assert r["inventory_turnover"] == D("8.0000")  # 4m / 500k
    assert r["roe"] == D("0.2000")  # 0.3m / 1.5m
    assert r["ocf_to_liabilities"] == D("0.4000")  # 0.36m / 0.9m
    assert r["debt_to_asset"] == D("0.4000")  # point in time: closing


def test_previous_with_missing_opening_falls_back_to_closing():
    r = compute_ratios(statement(), StatementFigures())
    assert r == compute_ratios(statement())


def test_zero_and_missing_denominators_give_none():
    r = compute_ratios(statement(revenue_amount=D(0), current_liabilities_amount=D(0), interest_expense_amount=D(0), inventory_amount=None))
    assert r["gross_margin"] is None and r["net_margin"] is None
    assert r["current_ratio"] is None and r["quick_ratio"] is None
    assert r["interest_coverage"] is None and r["inventory_turnover"] is None
    assert all(v is None for v in compute_ratios(StatementFigures()).values())


def test_negative_equity_gives_no_roe():
    assert compute_ratios(statement(equity_amount=D("-100")))["roe"] is None


def test_labels_have_definitions_and_translate():
    for label in list(RATIO_LABELS.values()) + list(HOUSEHOLD_RATIO_LABELS.values()):
        assert str(label) and str(label.definition)
    with translation.override("zh-hans"):
        assert str(RATIO_LABELS["debt_to_asset"]) == "资产负债率"
        assert "流动负债" in str(RATIO_LABELS["current_ratio"].definition)


def test_household_ratios():
    f = HouseholdFigures(D("120000"), D("80000"), D("500000"), D("100000"))
    assert f.net_income_amount == D("40000") and f.net_worth_amount == D("400000")
    assert household_ratios(f) == {"debt_to_asset": D("0.2000"), "expense_ratio": D("0.6667"), "net_income_to_liabilities": D("0.4000")}
    assert all(v is None for v in household_ratios(HouseholdFigures(D("0"), D("0"), D("0"), D("0"))).values())
    assert household_ratios(HouseholdFigures()) == {"debt_to_asset": None, "expense_ratio": None, "net_income_to_liabilities": None}


amounts = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
signed = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
maybe = st.one_of(st.none(), amounts)
statements = st.builds(StatementFigures, **{name: maybe for name in StatementFigures.field_names()})


@given(amounts, amounts)
def test_property_debt_to_asset_in_unit_interval(liabilities, assets):
    assume(liabilities <= assets)
    r = compute_ratios(StatementFigures(total_liabilities_amount=liabilities, total_assets_amount=assets))["debt_to_asset"]
    if assets == 0:
        assert r is None
    else:
        assert D(0) <= r <= D(1)


@given(statements, st.one_of(st.none(), statements))
def test_property_never_raises_and_always_4_places(current, previous):
    for value in compute_ratios(current, previous).values():
        assert value is None or value.as_tuple().exponent == -4
    balance_check(current)


@given(statements, statements, st.integers(min_value=1, max_value=10**6))
def test_property_ratios_invariant_under_scaling(current, previous, k):
    def scale(f):
        return replace(f, **{n: (getattr(f, n) * k if getattr(f, n) is not None else None) for n in StatementFigures.field_names()})

    assert compute_ratios(scale(current), scale(previous)) == compute_ratios(current, previous)


@given(amounts, amounts, signed)
def test_property_balanced_sheet_passes(liabilities, equity, noise):
    f = StatementFigures(total_assets_amount=liabilities + equity, total_liabilities_amount=liabilities, equity_amount=equity)
    assert balance_check(f) == []
    off = replace(f, total_assets_amount=f.total_assets_amount + noise)
    assert bool(balance_check(off)) == (abs(noise) > D("1.00"))
