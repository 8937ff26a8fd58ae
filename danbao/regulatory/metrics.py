"""The regulatory metrics on one date: exposures from `exposures.current(on)`, month-end finance
inputs, dated parameters, formulas from `calculations`. Read-only; the page and the export use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from danbao.regulatory import calculations as calc
from danbao.regulatory import exposures as exposure_registry
from danbao.regulatory import params
from danbao.regulatory.models import FinanceInput
from danbao.regulatory.selectors import finance_input_for

ZERO = Decimal(0)
TOP = 10


@dataclass(frozen=True)
class LimitRow:
    """A checked figure with its limit and status, as the page shows it."""

    label: str
    check: calc.LimitCheck
    status: str  # ok | warning | breach | unknown
    kind: str = "ratio"  # ratio (fraction) | multiple


@dataclass(frozen=True)
class ConcentrationRow:
    key: str
    name: str
    parties: tuple[str, ...]
    check: calc.LimitCheck
    status: str


@dataclass(frozen=True)
class AssetRow:
    label: str
    ratio: Decimal | None
    limit: Decimal
    direction: str  # min | max
    status: str


@dataclass(frozen=True)
class RateRow:
    label: str
    value: Decimal | None
    numerator: Decimal
    denominator: Decimal | None
    note: str


@dataclass
class MetricsReport:
    on: date
    sources_registered: bool
    exposure_count: int
    finance: FinanceInput | None
    table: calc.LiabilityTable
    weights: calc.WeightParams
    limits: calc.LimitParams
    book_net_assets: Decimal | None
    adjusted_net_assets: Decimal | None
    eligibility: calc.Eligibility15
    leverage_cap: Decimal
    leverage_rows: list[LimitRow] = field(default_factory=list)
    parties: list[ConcentrationRow] = field(default_factory=list)
    groups: list[ConcentrationRow] = field(default_factory=list)
    single_cap: Decimal | None = None
    group_cap: Decimal | None = None
    assets: calc.AssetRatios | None = None
    asset_rows: list[AssetRow] = field(default_factory=list)
    reserves: calc.Reserves | None = None
    reserve_base_choice: str = ""
    reserve_base_amount: Decimal = ZERO
    reserve_other_base_amount: Decimal = ZERO
    rate_rows: list[RateRow] = field(default_factory=list)
    comp_denominator: str = ""
    choices: list[params.ParamChoice] = field(default_factory=list)

    @property
    def has_exposures(self) -> bool:
        return self.exposure_count > 0


def _status(check: calc.LimitCheck, warning_ratio: Decimal) -> str:
    if check.ratio is None and check.amount == 0:
        return "unknown"
    return check.status(warning_ratio)


def _min_status(value: Decimal | None, limit: Decimal, warning_ratio: Decimal) -> str:
    """A floor (Ⅰ+Ⅱ ≥ 70 %): below is a breach; within the warning margin above it, a warning."""
    if value is None:
        return "unknown"
    if value < limit:
        return "breach"
    return "warning" if warning_ratio > 0 and value * warning_ratio < limit else "ok"


def _max_status(value: Decimal | None, limit: Decimal, warning_ratio: Decimal) -> str:
    if value is None:
        return "unknown"
    if value > limit:
        return "breach"
    return "warning" if value >= limit * warning_ratio else "ok"


def asset_inputs(record: FinanceInput) -> calc.AssetInputs:
    return calc.AssetInputs(
        total_assets=record.total_assets_amount,
        net_assets=record.net_assets_amount,
        comp_receivable=record.comp_receivable_amount,
        entrusted_gov_funds=record.entrusted_gov_funds_amount,
        cash_and_deposits=record.cash_and_deposits_amount,
        margin_deposits=record.margin_deposits_amount,
        money_market_funds=record.money_market_funds_amount,
        gov_and_financial_bonds=record.gov_and_financial_bonds_amount,
        wmp_short=record.wmp_short_amount,
        bonds_aaa=record.bonds_aaa_amount,
        other_monetary_funds=record.other_monetary_funds_amount,
        wmp_other=record.wmp_other_amount,
        bonds_aa=record.bonds_aa_amount,
        equity_in_guarantors=record.equity_in_guarantors_amount,
        client_equity=record.client_equity_amount,
        client_entrusted_loans_short=record.client_entrusted_loans_short_amount,
        self_use_property=record.self_use_property_amount,
        other_equity=record.other_equity_amount,
        bonds_low=record.bonds_low_amount,
        trust_and_am_products=record.trust_and_am_products_amount,
        other_entrusted_loans=record.other_entrusted_loans_amount,
        non_self_use_property=record.non_self_use_property_amount,
        other_receivables=record.other_receivables_amount,
    )


def adjusted_net_assets(record: FinanceInput | None, limits: calc.LimitParams) -> Decimal | None:
    if record is None:
        return None
    return calc.compute_adjusted_net_assets(
        record.net_assets_amount, record.equity_in_guarantors_amount, deduct=limits.deduct_equity_in_guarantors
    )


def metrics_on(on: date) -> MetricsReport:
    """Every metric of the page for `on` (parameters in force on `on`, the finance month of `on`)."""
    weights = params.load_weights(on)
    limits = params.load_limits(on)
    items = exposure_registry.current(on)
    table = calc.compute_liability_table(items, weights)
    record = finance_input_for(on)
    net = adjusted_net_assets(record, limits)
    eligibility = calc.eligibility_15x_from_table(
        table, balance_share_min=limits.small_agri_balance_share_min, party_share_min=limits.small_agri_party_share_min
    )
    cap = limits.leverage_cap_small_agri if eligibility.eligible else limits.leverage_cap_normal
    report = MetricsReport(
        on=on,
        sources_registered=len(exposure_registry.sources) > 0,
        exposure_count=len(items),
        finance=record,
        table=table,
        weights=weights,
        limits=limits,
        book_net_assets=record.net_assets_amount if record else None,
        adjusted_net_assets=net,
        eligibility=eligibility,
        leverage_cap=cap,
    )
    warn = limits.warning_ratio
    if net is not None:
        for label, multiple in (("10×", limits.leverage_cap_normal), ("15×", limits.leverage_cap_small_agri)):
            check = calc.compute_leverage(table.total_liability, net, multiple)
            report.leverage_rows.append(LimitRow(label, check, _status(check, warn), "multiple"))
        report.single_cap = limits.concentration_single * net if net > 0 else None
        report.group_cap = limits.concentration_related * net if net > 0 else None
        for row in calc.compute_party_liabilities(table.items)[:TOP]:
            check = calc.compute_concentration(row.liability, net, limits.concentration_single)
            report.parties.append(ConcentrationRow(row.key, row.name, row.parties, check, _status(check, warn)))
        for row in calc.compute_group_liabilities(table.items)[:TOP]:
            check = calc.compute_concentration(row.liability, net, limits.concentration_related)
            report.groups.append(ConcentrationRow(row.key, row.name, row.parties, check, _status(check, warn)))
    if record is not None:
        asset_params = params.load_asset_params(on)
        ratios = calc.compute_asset_ratios(asset_inputs(record), asset_params)
        report.assets = ratios
        report.asset_rows = [
            AssetRow(
                "（Ⅰ+Ⅱ）/ 基数",
                ratios.i_plus_ii,
                asset_params.i_plus_ii_min,
                "min",
                _min_status(ratios.i_plus_ii, asset_params.i_plus_ii_min, warn),
            ),
            AssetRow("Ⅰ / 基数", ratios.i, asset_params.i_min, "min", _min_status(ratios.i, asset_params.i_min, warn)),
            AssetRow("Ⅲ / 基数", ratios.iii, asset_params.iii_max, "max", _max_status(ratios.iii, asset_params.iii_max, warn)),
        ]
        _reserves(report, record, on)
        _rates(report, record, on)
    report.choices = params.choices_used(params.ALL_CHOICE_CODES, on)
    return report


def _reserves(report: MetricsReport, record: FinanceInput, on: date) -> None:
    rates = params.load_reserve_rates(on)
    choice = params.load_choice("reserve_base", on)
    weighted, outstanding = report.table.total_liability, report.table.total_actual
    base, other = (outstanding, weighted) if choice == "outstanding_balance" else (weighted, outstanding)
    report.reserve_base_choice = choice
    report.reserve_base_amount = base
    report.reserve_other_base_amount = other
    report.reserves = calc.compute_reserves(
        fee_income=record.fee_income_ytd_amount,
        reserve_base=base,
        comp_opening=record.comp_reserve_opening_amount,
        comp_used=record.comp_reserve_used_ytd_amount,
        upr_rate=rates["upr_rate"],
        comp_rate_min=rates["comp_rate_min"],
        comp_rate_cap=rates["comp_rate_cap"],
    )


def _rates(report: MetricsReport, record: FinanceInput, on: date) -> None:
    choice = params.load_choice("compensation_rate_denominator", on)
    report.comp_denominator = choice
    note = params.CHOICE_MEANINGS[("compensation_rate_denominator", choice)]
    both = choice == calc.DENOMINATOR_RELEASE_PLUS_COMPENSATION

    def denominator(released: Decimal, compensated: Decimal) -> Decimal:
        return released + compensated if both else released

    for label, comp, released, recovered, loss in (
        ("本年", record.compensated_ytd_amount, record.released_ytd_amount, record.recovered_ytd_amount, record.loss_ytd_amount),
        ("累计", record.compensated_total_amount, record.released_total_amount, record.recovered_total_amount, record.loss_total_amount),
    ):
        report.rate_rows += [
            RateRow(
                f"{label}代偿率",
                calc.compute_compensation_rate(comp, released, denominator=choice),
                comp,
                denominator(released, comp),
                note,
            ),
            RateRow(
                f"{label}代偿率（考虑追偿后）",
                calc.compute_net_compensation_rate(comp, recovered, released, denominator=choice),
                comp - recovered,
                denominator(released, comp),
                "（代偿额 − 追偿回收额）/ 同一分母",
            ),
            RateRow(f"{label}代偿损失率", calc.compute_loss_rate(loss, comp), loss, comp, "损失额 / 代偿额"),
            RateRow(f"{label}代偿回收率", calc.compute_recovery_rate(recovered, comp), recovered, comp, "追偿回收额 / 代偿额"),
        ]
