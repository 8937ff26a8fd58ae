"""Pure regulatory formulas: every worked test vector of regulation.md §11 with its exact numbers,
the boundaries of each threshold, and hypothesis properties. No database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danbao.regulatory import calculations as calc
from danbao.regulatory.categories import GuaranteeClass, LoanKind
from danbao.regulatory.exposures import Exposure

WAN = D(10000)


def w(amount: str | int) -> D:
    """万元 → yuan."""
    return D(amount) * WAN


def loan(key: str, party: str, balance: str | int, *, kind: str = LoanKind.SMALL_MICRO, own: str = "1", group: str = "", rg: str = "0"):
    return Exposure(
        key=key,
        party_key=party,
        party_name=party,
        guarantee_class=GuaranteeClass.LOAN,
        loan_balance=w(balance),
        own_share=D(own),
        reguarantee_share=D(rg),
        loan_kind=kind,
        group_key=group,
    )


def tv01() -> list[Exposure]:
    return [
        loan("G1", "A", 400, own="0.8"),
        loan("G2", "B", 300),
        loan("G3", "B", 300),
        loan("G4", "C", 150, kind=LoanKind.FARMER, own="0.8"),
        loan("G5", "POOL", 1000, kind=LoanKind.HOUSING),
        loan("G6", "E", 2000, kind=LoanKind.OTHER),
        Exposure("G7", "K", "K", GuaranteeClass.BOND, w(5000), bond_aa_or_better=True),
        Exposure("G8", "M", "M", GuaranteeClass.OTHER_FINANCING, w(1000)),
    ]


PARAMS = calc.WeightParams()


# --- TV-01 -----------------------------------------------------------------------------------------


def test_tv01_weighted_liability_of_a_mixed_portfolio() -> None:
    table = calc.compute_liability_table(tv01(), PARAMS)
    by_key = {i.exposure.key: i for i in table.items}
    assert {k: i.liability for k, i in by_key.items()} == {
        "G1": w(240),
        "G2": w(300),
        "G3": w(300),
        "G4": w(90),
        "G5": w(300),
        "G6": w(2000),
        "G7": w(4000),
        "G8": w(1000),
    }
    assert by_key["G2"].household_total == w(600) and by_key["G2"].bucket == calc.OTHER_LOAN  # B: 600 > 500 → 100 %
    assert by_key["G1"].bucket == calc.SMALL_MICRO and by_key["G4"].bucket == calc.FARMER
    assert table.loan_liability == w(3230)
    assert table.bond_liability == w(4000)
    assert table.other_liability == w(1000)
    assert table.total_liability == w(8230)
    assert table.total_actual == w(10040)
    assert table.total_gross == w(10150)
    rows = {r.bucket: r for r in table.rows}
    assert (rows["1.1"].gross_balance, rows["1.1"].actual_balance, rows["1.1"].weight, rows["1.1"].liability) == (
        w(400),
        w(320),
        D("0.75"),
        w(240),
    )
    assert rows["1.4"].liability == w(2600) and rows["1.4"].count == 3
    assert rows["2.2"].liability == 0 and rows["3"].liability == w(1000)


def test_tv01_leverage_and_largest_party() -> None:
    table = calc.compute_liability_table(tv01(), PARAMS)
    leverage = calc.compute_leverage(table.total_liability, w(60000), D(10))
    assert leverage.ratio.quantize(D("0.001")) == D("0.137")
    top = calc.compute_party_liabilities(table.items)[0]
    assert top.key == "K"
    single = calc.compute_concentration(top.liability, w(60000), D("0.10"))
    assert (single.ratio * 100).quantize(D("0.01")) == D("6.67") and not single.breached


def test_gross_threshold_basis_moves_a_shared_household_over_the_threshold() -> None:
    # 600 loan, bank bears 20 %: own share 480 ≤ 500 → 75 %; on the gross basis 600 > 500 → 100 %.
    exposures = [loan("X", "P", 600, own="0.8")]
    own = calc.compute_liability_table(exposures, PARAMS)
    gross = calc.compute_liability_table(exposures, calc.WeightParams(threshold_basis=calc.THRESHOLD_GROSS))
    assert own.total_liability == w(360) and own.items[0].bucket == calc.SMALL_MICRO
    assert gross.total_liability == w(480) and gross.items[0].bucket == calc.OTHER_LOAN


def test_reguarantee_is_not_deducted_unless_the_parameter_says_so() -> None:
    exposures = [loan("X", "P", 1000, kind=LoanKind.OTHER, own="0.8", rg="0.4")]
    assert calc.compute_liability_table(exposures, PARAMS).total_liability == w(800)
    deducted = calc.compute_liability_table(exposures, calc.WeightParams(deduct_reguarantee_share=True))
    assert deducted.total_liability == w(400)


@pytest.mark.parametrize(
    ("balance", "kind", "bucket"),
    [
        ("500", LoanKind.SMALL_MICRO, "1.1"),  # 以下（含）: exactly 500万 is in
        ("500.0001", LoanKind.SMALL_MICRO, "1.4"),
        ("200", LoanKind.FARMER, "1.2"),
        ("200.0001", LoanKind.FARMER, "1.4"),
        ("100", LoanKind.OTHER, "1.4"),
        ("100", LoanKind.HOUSING, "1.3"),
    ],
)
def test_thresholds_include_the_number(balance: str, kind: str, bucket: str) -> None:
    exposure = Exposure("X", "P", "P", GuaranteeClass.LOAN, D(balance) * WAN, loan_kind=kind)
    assert calc.compute_liability_table([exposure], PARAMS).items[0].bucket == bucket


def test_bond_buckets_and_non_financing_outside_the_table() -> None:
    exposures = [
        Exposure("B1", "K", "K", GuaranteeClass.BOND, w(100), bond_aa_or_better=False),
        Exposure("N1", "Q", "Q", GuaranteeClass.NON_FINANCING, w(70)),
    ]
    table = calc.compute_liability_table(exposures, PARAMS)
    assert table.items[0].bucket == calc.OTHER_BOND and table.total_liability == w(100)
    assert table.non_financing_balance == w(70) and len(table.items) == 1


# --- TV-02, TV-03 ----------------------------------------------------------------------------------


def test_tv02_leverage_with_net_asset_adjustment() -> None:
    adjusted = calc.compute_adjusted_net_assets(w(12000), w(1000), deduct=True)
    assert adjusted == w(11000)
    lev10 = calc.compute_leverage(w(150000), adjusted, D(10))
    assert lev10.ratio.quantize(D("0.0001")) == D("13.6364")
    assert lev10.cap == w(110000) and lev10.headroom == -w(40000) and lev10.breached
    assert calc.compute_leverage(w(150000), w(12000), D(10)).ratio == D("12.5")
    assert calc.compute_adjusted_net_assets(w(12000), w(1000), deduct=False) == w(12000)
    lev15 = calc.compute_leverage(w(150000), adjusted, D(15))
    assert lev15.cap == w(165000) and lev15.headroom == w(15000) and not lev15.breached


def test_tv03_fifteen_times_eligibility() -> None:
    result = calc.compute_eligibility_15x(w(90000), w(160000), 1700, 2000, balance_share_min=D("0.5"), party_share_min=D("0.8"))
    assert result.balance_share == D("0.5625") and result.party_share == D("0.85")
    assert result.eligible
    # At the boundary ("不低于"): exactly 50 % / 80 % qualifies; one household fewer does not.
    assert calc.compute_eligibility_15x(w(80000), w(160000), 1600, 2000, balance_share_min=D("0.5"), party_share_min=D("0.8")).eligible
    assert not calc.compute_eligibility_15x(w(80000), w(160000), 1599, 2000, balance_share_min=D("0.5"), party_share_min=D("0.8")).eligible
    # TV-02's company with these figures is compliant at 13.64×.
    assert not calc.compute_leverage(w(150000), w(11000), D(15)).breached


def test_eligibility_from_the_table_counts_buckets_1_1_and_1_2() -> None:
    table = calc.compute_liability_table(tv01(), PARAMS)
    result = calc.eligibility_15x_from_table(table, balance_share_min=D("0.5"), party_share_min=D("0.8"))
    assert result.qualifying_balance == w(440)  # A 320 + C 120
    assert (result.qualifying_parties, result.total_parties) == (2, 7)
    assert not result.eligible


# --- TV-05 -----------------------------------------------------------------------------------------


def _tv05(extra: list[Exposure] | None = None) -> calc.LiabilityTable:
    exposures = [
        loan("E1", "E", 900, kind=LoanKind.OTHER, group="G"),
        loan("F1", "F", 500, kind=LoanKind.OTHER, group="G"),
        loan("G1", "Gp", 200, kind=LoanKind.OTHER, group="G"),
    ]
    return calc.compute_liability_table(exposures + (extra or []), PARAMS)


def test_tv05_single_and_group_concentration() -> None:
    table = _tv05()
    party = calc.compute_party_liabilities(table.items)[0]
    single = calc.compute_concentration(party.liability, w(10000), D("0.10"))
    assert party.key == "E" and single.ratio == D("0.09") and single.cap == w(1000) and not single.breached
    group = calc.compute_group_liabilities(table.items)[0]
    related = calc.compute_concentration(group.liability, w(10000), D("0.15"))
    assert group.liability == w(1600) and related.ratio == D("0.16") and related.headroom == -w(100) and related.breached
    assert group.parties == ("E", "F", "Gp")


def test_tv05_new_application_is_refused_with_reasons() -> None:
    existing = [
        loan("E1", "E", 900, kind=LoanKind.OTHER, group="G"),
        loan("F1", "F", 500, kind=LoanKind.OTHER, group="G"),
        loan("G1", "Gp", 200, kind=LoanKind.OTHER, group="G"),
    ]
    proposed = loan("new", "E", 150, kind=LoanKind.OTHER, group="G")
    result = calc.compute_what_if(existing, proposed, net_assets=w(10000), weights=PARAMS, limits=calc.LimitParams())
    assert result.before.party.ratio == D("0.09") and result.after.party.ratio == D("0.105")
    assert result.after.group.ratio == D("0.175") and result.after.group.amount == w(1750)
    codes = [b.code for b in result.breaches]
    assert codes == ["single", "group"]
    assert result.breaches[0].excess == w(50) and "10.50%" in result.breaches[0].reason and "条例第十六条" in result.breaches[0].reason
    assert result.breaches[1].excess == w(250) and "17.50%" in result.breaches[1].reason


def test_what_if_group_by_related_party_keys_without_group_key() -> None:
    existing = [loan("F1", "F", 1000, kind=LoanKind.OTHER), loan("X1", "X", 5000, kind=LoanKind.OTHER)]
    proposed = loan("new", "E", 600, kind=LoanKind.OTHER)
    result = calc.compute_what_if(
        existing, proposed, net_assets=w(10000), related_party_keys=frozenset({"F"}), weights=PARAMS, limits=calc.LimitParams()
    )
    assert result.before.group.amount == w(1000) and result.after.group.amount == w(1600)
    assert [b.code for b in result.breaches] == ["group"]


def test_what_if_leverage_breach_and_non_positive_net_assets() -> None:
    existing = [loan("X1", "X", 95000, kind=LoanKind.OTHER)]
    proposed = loan("new", "E", 800, kind=LoanKind.OTHER)
    result = calc.compute_what_if(existing, proposed, net_assets=w(9000), weights=PARAMS, limits=calc.LimitParams())
    assert result.after.leverage_cap == 10 and result.after.leverage.amount == w(95800)
    assert [b.code for b in result.breaches] == ["leverage"] and result.breaches[0].excess == w(5800)
    assert "条例第十五条" in result.breaches[0].reason
    none = calc.compute_what_if([], proposed, net_assets=D(0), weights=PARAMS, limits=calc.LimitParams())
    assert [b.code for b in none.breaches] == ["net_assets"]


def test_limit_status_ok_warning_breach() -> None:
    assert calc.compute_limit_check(w(890), w(10000), D("0.10")).status(D("0.9")) == "ok"
    assert calc.compute_limit_check(w(900), w(10000), D("0.10")).status(D("0.9")) == "warning"
    assert calc.compute_limit_check(w(1000), w(10000), D("0.10")).status(D("0.9")) == "warning"  # 不得超过: equal is allowed
    assert calc.compute_limit_check(w(1001), w(10000), D("0.10")).status(D("0.9")) == "breach"
    assert calc.compute_limit_check(w(1), D(0), D("0.10")).status(D("0.9")) == "breach"


# --- TV-06 -----------------------------------------------------------------------------------------


def test_tv06_asset_ratios() -> None:
    inputs = calc.AssetInputs(
        total_assets=w(22200),
        net_assets=w(10000),
        comp_receivable=w(1200),
        entrusted_gov_funds=w(2000),
        cash_and_deposits=w(6000),
        margin_deposits=w(2000),
        wmp_short=w(1000),
        wmp_other=w(1500),
        bonds_aa=w(500),
        equity_in_guarantors=w(1000),
        client_equity=w(500),
        client_entrusted_loans_short=w(1000),
        other_entrusted_loans=w(300),
        self_use_property=w(4000),
        trust_and_am_products=w(800),
        other_receivables=w(400),
    )
    ratios = calc.compute_asset_ratios(inputs, calc.AssetRatioParams())
    assert (ratios.level1, ratios.level2, ratios.level3) == (w(9000), w(6500), w(3500))
    assert ratios.base == w(19000) and ratios.unclassified == 0
    assert (ratios.i_plus_ii * 100).quantize(D("0.01")) == D("81.58")
    assert (ratios.i * 100).quantize(D("0.01")) == D("47.37")
    assert (ratios.iii * 100).quantize(D("0.01")) == D("18.42")
    assert ratios.i_plus_ii_ok and ratios.i_ok and ratios.iii_ok


def test_asset_ratios_flag_unclassified_and_fail_limits() -> None:
    inputs = calc.AssetInputs(total_assets=w(1000), net_assets=w(500), cash_and_deposits=w(150), trust_and_am_products=w(400))
    ratios = calc.compute_asset_ratios(inputs, calc.AssetRatioParams())
    assert ratios.unclassified == w(450)
    assert not ratios.i_plus_ii_ok and not ratios.i_ok and not ratios.iii_ok
    empty = calc.compute_asset_ratios(calc.AssetInputs(total_assets=D(0), net_assets=D(0)), calc.AssetRatioParams())
    assert empty.i is None and not empty.i_ok


# --- TV-07 -----------------------------------------------------------------------------------------


def test_tv07_reserves_normal_year() -> None:
    r = calc.compute_reserves(
        fee_income=w(1200),
        reserve_base=w(80000),
        comp_opening=w(5000),
        comp_used=w(300),
        upr_rate=D("0.5"),
        comp_rate_min=D("0.01"),
        comp_rate_cap=D("0.10"),
    )
    assert r.unearned_premium == w(600)
    assert r.comp_balance_before == w(4700) and r.comp_min_accrual == w(800) and r.comp_cap == w(8000)
    assert r.comp_accrual == w(800) and r.comp_closing == w(5500)


def test_reserves_difference_provision_near_and_at_the_cap() -> None:
    common = {"fee_income": D(0), "reserve_base": w(80000), "comp_used": D(0), "upr_rate": D("0.5")}
    near = calc.compute_reserves(comp_opening=w(7600), comp_rate_min=D("0.01"), comp_rate_cap=D("0.10"), **common)
    assert near.comp_accrual == w(400) and near.comp_closing == w(8000)
    full = calc.compute_reserves(comp_opening=w(9000), comp_rate_min=D("0.01"), comp_rate_cap=D("0.10"), **common)
    assert full.comp_accrual == 0 and full.comp_closing == w(9000)


# --- §8.3 rates ------------------------------------------------------------------------------------


def test_compensation_rate_denominator_variants() -> None:
    both = calc.compute_compensation_rate(w(30), w(970), denominator=calc.DENOMINATOR_RELEASE_PLUS_COMPENSATION)
    only = calc.compute_compensation_rate(w(30), w(970), denominator=calc.DENOMINATOR_RELEASE_ONLY)
    assert both == D("0.03")
    assert only.quantize(D("0.000001")) == D("0.030928")
    assert calc.compute_compensation_rate(D(0), D(0), denominator=calc.DENOMINATOR_RELEASE_ONLY) is None
    with pytest.raises(ValueError):
        calc.compute_compensation_rate(D(1), D(1), denominator="other")
    net = calc.compute_net_compensation_rate(w(30), w(10), w(970), denominator=calc.DENOMINATOR_RELEASE_PLUS_COMPENSATION)
    assert net == D("0.02")


def test_loss_and_recovery_rates_and_compensation_balance() -> None:
    assert calc.compute_loss_rate(w(50), w(400)) == D("0.125")
    assert calc.compute_recovery_rate(w(120), w(400)) == D("0.3")
    assert calc.compute_loss_rate(D(1), D(0)) is None
    assert calc.compute_compensation_balance(w(400), w(50), w(120)) == w(230)


# --- TV-10, TV-11 ----------------------------------------------------------------------------------


def test_tv10_loss_split_2_2_2_4_with_recovery() -> None:
    split = calc.compute_loss_split(
        w(500), bank_share=D("0.2"), shares=[("original", D("0.4")), ("provincial", D("0.2")), ("fund", D("0.2"))], recovery=w(120)
    )
    assert split.bank == w(100) and split.paid_to_bank == w(400)
    assert split.shares == {"original": w(200), "provincial": w(100), "fund": w(100)}
    # The provincial re-guarantor reimburses provincial + fund shares (200); the fund reimburses it 100.
    assert split.shares["provincial"] + split.shares["fund"] == w(200)
    assert split.recovery_shares == {"original": w(60), "provincial": w(30), "fund": w(30)}
    assert split.final == {"original": w(140), "provincial": w(70), "fund": w(70)}


def test_tv10_anhui_4321() -> None:
    split = calc.compute_loss_split(
        w(500), bank_share=D("0.2"), shares=[("original", D("0.4")), ("provincial", D("0.3")), ("local_government", D("0.1"))]
    )
    assert split.shares == {"original": w(200), "provincial": w(150), "local_government": w(50)} and split.bank == w(100)
    with pytest.raises(ValueError):
        calc.compute_loss_split(w(500), bank_share=D("0.2"), shares=[("original", D("0.5"))])


@pytest.mark.parametrize(("loan_wan", "fee_yuan"), [(300, D(1800)), (800, D(8000)), (500, D(3000))])
def test_tv11_fund_reguarantee_fee(loan_wan: int, fee_yuan: D) -> None:
    fee = calc.compute_reguarantee_fee(w(loan_wan), fund_share=D("0.2"), threshold=w(500), rate_le=D("0.003"), rate_gt=D("0.005"))
    assert fee == fee_yuan


# --- Properties ------------------------------------------------------------------------------------

shares = st.decimals(min_value=0, max_value=1, places=2)
balances = st.decimals(min_value=0, max_value=20_000_000, places=2)
kinds = st.sampled_from(LoanKind.values)
classes = st.sampled_from([GuaranteeClass.LOAN, GuaranteeClass.LOAN, GuaranteeClass.BOND, GuaranteeClass.OTHER_FINANCING])


@st.composite
def exposures_st(draw: st.DrawFn) -> list[Exposure]:
    n = draw(st.integers(min_value=0, max_value=8))
    result = []
    for index in range(n):
        result.append(
            Exposure(
                key=f"g{index}",
                party_key=draw(st.sampled_from(["A", "B", "C", "D"])),
                party_name="x",
                guarantee_class=draw(classes),
                loan_balance=draw(balances),
                own_share=draw(shares),
                reguarantee_share=draw(shares),
                loan_kind=draw(kinds),
                bond_aa_or_better=draw(st.booleans()),
            )
        )
    return result


param_st = st.builds(calc.WeightParams, threshold_basis=st.sampled_from(["own_share", "gross"]), deduct_reguarantee_share=st.booleans())


@settings(max_examples=150, deadline=None)
@given(exposures_st(), param_st)
def test_liability_never_exceeds_the_sum_of_balances(exposures: list[Exposure], params: calc.WeightParams) -> None:
    table = calc.compute_liability_table(exposures, params)
    assert D(0) <= table.total_liability <= table.total_actual <= table.total_gross
    assert table.total_liability <= sum((e.loan_balance for e in exposures), D(0))


@settings(max_examples=150, deadline=None)
@given(exposures_st(), param_st, st.randoms())
def test_order_of_exposures_does_not_matter(exposures: list[Exposure], params: calc.WeightParams, rnd) -> None:
    shuffled = list(exposures)
    rnd.shuffle(shuffled)
    assert calc.compute_liability_table(shuffled, params).total_liability == calc.compute_liability_table(exposures, params).total_liability


@settings(max_examples=150, deadline=None)
@given(exposures_st(), param_st, st.integers(min_value=0, max_value=7), st.decimals(min_value=0, max_value=1, places=2))
def test_liability_falls_weakly_when_another_party_bears_more(exposures, params, index, extra) -> None:
    if not exposures:
        return
    target = exposures[index % len(exposures)]
    lowered = Exposure(**{**target.__dict__, "own_share": target.own_share * (1 - extra)})
    changed = [lowered if e is target else e for e in exposures]
    assert calc.compute_liability_table(changed, params).total_liability <= calc.compute_liability_table(exposures, params).total_liability


@settings(max_examples=150, deadline=None)
@given(exposures_st(), param_st, st.integers(min_value=0, max_value=7), st.decimals(min_value=0, max_value=1, places=2))
def test_splitting_a_loan_in_two_keeps_bucket_and_liability(exposures, params, index, part) -> None:
    if not exposures:
        return
    target = exposures[index % len(exposures)]
    first = target.loan_balance * part
    a = Exposure(**{**target.__dict__, "key": target.key + "a", "loan_balance": first})
    b = Exposure(**{**target.__dict__, "key": target.key + "b", "loan_balance": target.loan_balance - first})
    split = [e for e in exposures if e is not target] + [a, b]
    before = calc.compute_liability_table(exposures, params)
    after = calc.compute_liability_table(split, params)
    bucket = {i.exposure.key: i.bucket for i in before.items}.get(target.key)
    after_buckets = {i.exposure.key: i.bucket for i in after.items}
    assert after_buckets.get(target.key + "a") == bucket and after_buckets.get(target.key + "b") == bucket
    assert after.total_liability == before.total_liability


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2), st.decimals(min_value=0, max_value=10**9, places=2))
def test_reserve_closing_never_exceeds_the_cap_through_accrual(base, opening) -> None:
    r = calc.compute_reserves(
        fee_income=D(0),
        reserve_base=base,
        comp_opening=opening,
        comp_used=D(0),
        upr_rate=D("0.5"),
        comp_rate_min=D("0.01"),
        comp_rate_cap=D("0.1"),
    )
    assert r.comp_accrual >= 0
    assert r.comp_closing <= max(r.comp_cap, opening)
    assert r.comp_accrual <= r.comp_min_accrual
