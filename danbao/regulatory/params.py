"""The dated system parameters the regulatory formulas use, read for one date.

No weight, threshold or limit is a literal in this app: each comes from `param_value(code, on=)`,
and every page and result lists the values used with their evidence grade (`ParamChoice`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from danbao.core.errors import DomainError
from danbao.regulatory import calculations as calc
from danbao.regulatory import errors
from danbao.system import values
from danbao.system.selectors import param_value, parameters_by_codes

WEIGHT_CODES = {
    "small_micro": "weight_smb_le_5m",
    "small_micro_threshold": "weight_smb_threshold",
    "farmer": "weight_farmer_le_2m",
    "farmer_threshold": "weight_farmer_threshold",
    "housing": "weight_housing",
    "other_loan": "weight_other_loan",
    "bond_aa": "weight_bond_aa_or_better",
    "other_bond": "weight_other_bond",
    "other_financing": "weight_other_fin",
    "threshold_basis": "threshold_basis",
    "deduct_reguarantee_share": "deduct_reguarantee_share",
}
LIMIT_CODES = {
    "leverage_cap_normal": "leverage_cap_normal",
    "leverage_cap_small_agri": "leverage_cap_small_agri",
    "small_agri_balance_share_min": "small_agri_balance_share_min",
    "small_agri_party_share_min": "small_agri_household_share_min",
    "concentration_single": "concentration_single",
    "concentration_related": "concentration_related",
    "deduct_equity_in_guarantors": "net_assets_deduct_equity_in_guarantors",
    "warning_ratio": "regulatory_warning_ratio",
}
ASSET_CODES = {
    "i_plus_ii_min": "asset_ratio_i_plus_ii_min",
    "i_min": "asset_ratio_i_min",
    "iii_max": "asset_ratio_iii_max",
    "self_use_property_cap": "self_use_property_level2_cap",
    "client_equity_level2_share": "client_equity_level2_share",
    "entrusted_loan_level2_share": "entrusted_loan_level2_share",
}
RESERVE_CODES = {"upr_rate": "upr_rate", "comp_rate_min": "comp_reserve_rate_min", "comp_rate_cap": "comp_reserve_rate_cap"}
CHOICE_CODES = ("reserve_base", "compensation_rate_denominator")

# What each value of an ambiguous (choice) parameter means, for the "choices used" panels.
CHOICE_MEANINGS = {
    ("threshold_basis", "own_share"): "单户阈值按本公司承担份额（实际在保余额）判断",
    ("threshold_basis", "gross"): "单户阈值按贷款全额（分险前）判断",
    ("deduct_reguarantee_share", "true"): "扣除再担保分担部分",
    ("deduct_reguarantee_share", "false"): "不扣除再担保分担部分（再担保不减少对银行的责任）",
    ("net_assets_deduct_equity_in_guarantors", "true"): "净资产扣除对其他融资担保、再担保公司的股权投资",
    ("net_assets_deduct_equity_in_guarantors", "false"): "净资产不作扣除",
    ("reserve_base", "weighted_liability"): "准备金以融资担保责任余额（加权）为基数",
    ("reserve_base", "outstanding_balance"): "准备金以在保余额（未加权）为基数",
    ("compensation_rate_denominator", "release_plus_compensation"): "代偿率分母 = 正常解保额 + 代偿额",
    ("compensation_rate_denominator", "release_only"): "代偿率分母 = 正常解保额",
}


@dataclass(frozen=True)
class ParamChoice:
    """One parameter value a calculation used: what it is, its value then, and how sure we are of it."""

    code: str
    name: str
    value: str  # as displayed (percent in percent)
    meaning: str  # for choices: what the value means; "" otherwise
    grade: str
    grade_label: str
    grade_explanation: str
    source: str
    article: str
    ambiguous: bool  # an open point the institution chose (shown prominently)


def _read(code: str, on: date) -> Any:
    try:
        return param_value(code, on=on)
    except DomainError as exc:
        raise errors.PARAMETER_MISSING.error(code=code, date=on.isoformat()) from exc


def load_weights(on: date) -> calc.WeightParams:
    raw = {field: _read(code, on) for field, code in WEIGHT_CODES.items()}
    raw["small_micro_threshold"] = Decimal(raw["small_micro_threshold"])
    raw["farmer_threshold"] = Decimal(raw["farmer_threshold"])
    return calc.WeightParams(**raw)


def load_limits(on: date) -> calc.LimitParams:
    raw = {field: _read(code, on) for field, code in LIMIT_CODES.items()}
    raw["leverage_cap_normal"] = Decimal(raw["leverage_cap_normal"])
    raw["leverage_cap_small_agri"] = Decimal(raw["leverage_cap_small_agri"])
    return calc.LimitParams(**raw)


def load_asset_params(on: date) -> calc.AssetRatioParams:
    return calc.AssetRatioParams(**{field: _read(code, on) for field, code in ASSET_CODES.items()})


def load_reserve_rates(on: date) -> dict[str, Decimal]:
    return {field: _read(code, on) for field, code in RESERVE_CODES.items()}


def load_choice(code: str, on: date) -> str:
    return str(_read(code, on))


def choices_used(codes: list[str], on: date) -> list[ParamChoice]:
    """The listed parameters as used on `on`, in the order given (two queries)."""
    definitions = parameters_by_codes(codes)
    result = []
    for code in codes:
        parameter = definitions.get(code)
        if parameter is None:
            continue
        version = next(
            (
                v
                for v in parameter.versions.all()
                if (v.valid_from is None or v.valid_from <= on) and (v.valid_to is None or on <= v.valid_to)
            ),
            None,
        )
        if version is None:
            continue
        unit = f" {parameter.unit}" if parameter.unit and parameter.kind != "percent" else ""
        meaning = CHOICE_MEANINGS.get((code, version.value), "")
        result.append(
            ParamChoice(
                code=code,
                name=parameter.name,
                value=values.display(parameter.kind, version.value) + unit,
                meaning=meaning,
                grade=parameter.grade,
                grade_label=parameter.get_grade_display() if parameter.grade else "",
                grade_explanation=parameter.grade_explanation,
                source=version.source,
                article=version.article,
                ambiguous=bool(meaning),
            )
        )
    return result


LEVERAGE_CHOICE_CODES = [
    *WEIGHT_CODES.values(),
    "leverage_cap_normal",
    "leverage_cap_small_agri",
    "small_agri_balance_share_min",
    "small_agri_household_share_min",
    "net_assets_deduct_equity_in_guarantors",
    "concentration_single",
    "concentration_related",
    "regulatory_warning_ratio",
]
ALL_CHOICE_CODES = [*LEVERAGE_CHOICE_CODES, *ASSET_CODES.values(), *RESERVE_CODES.values(), *CHOICE_CODES]
