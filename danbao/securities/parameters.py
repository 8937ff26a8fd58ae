"""The securities app's dated system parameters: the pledge rate (抵质押率) of each collateral type and
the minimum coverage of a project's guarantee amount by its collateral.

All are institutional practice, not regulation [PR]: common internal rules of guarantee companies and
banks lend against 70 % of real estate, 60 % of land-use rights, 50 % of equipment, vehicles and equity,
60 % of receivables and warehouse receipts and 90 % of deposits (100 % for a deposit in the
institution's own account; choose per institution). Created by `ensure_parameters` (demo step, tests);
read with `pledge_rate` / `coverage_min`, falling back to the catalogue default when a database was
never set up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

COVERAGE_MIN = "securities_coverage_min"
RATE_PREFIX = "securities_pledge_rate_"

_RATES = (
    # collateral type, name, default (fraction)
    ("real_estate", "抵质押率：房产", Decimal("0.7")),
    ("land", "抵质押率：土地使用权", Decimal("0.6")),
    ("equipment", "抵质押率：机器设备", Decimal("0.5")),
    ("vehicle", "抵质押率：车辆", Decimal("0.5")),
    ("receivable", "抵质押率：应收账款", Decimal("0.6")),
    ("equity", "抵质押率：股权", Decimal("0.5")),
    ("deposit", "抵质押率：存单/保证金存款", Decimal("0.9")),
    ("warehouse_receipt", "抵质押率：仓单", Decimal("0.6")),
)

PARAMETERS: list[dict[str, Any]] = [
    dict(
        code=f"{RATE_PREFIX}{kind}",
        name=name,
        value=str((default * 100).normalize()),
        default=default,
        description="该类抵质押物计入反担保覆盖率的折算比例（评估价值 × 抵质押率）。行业惯例，机构可按内部制度调整。",
    )
    for kind, name, default in _RATES
] + [
    dict(
        code=COVERAGE_MIN,
        name="反担保覆盖率下限",
        value="100",
        default=Decimal("1"),
        description="项目抵质押物的折算价值（分配价值 × 抵质押率之和）与批复担保金额之比低于该值时，项目页提示不足，出函前检查不通过。",
    ),
]
DEFAULTS = {p["code"]: p["default"] for p in PARAMETERS}


def ensure_parameters() -> int:
    """Create the missing parameters with their first version (idempotent); returns how many."""
    from danbao.system.services.parameters import parameters_define_missing

    return parameters_define_missing(
        dict(
            code=p["code"],
            name=p["name"],
            kind="percent",
            value=p["value"],
            legal_force=False,
            category="反担保",
            description=p["description"],
            source="行业惯例（机构内部管理要求）",
            grade="PR",
        )
        for p in PARAMETERS
    )


def _value(code: str, on: date | None) -> Decimal:
    try:
        return Decimal(param_value(code, on))
    except DomainError:
        return DEFAULTS[code]


def pledge_rate(collateral_type: str, on: date | None = None) -> Decimal:
    """The pledge rate of a collateral type in force on `on`, as a fraction (0.7 = 70 %)."""
    return _value(f"{RATE_PREFIX}{collateral_type}", on)


def coverage_min(on: date | None = None) -> Decimal:
    """The minimum coverage ratio in force on `on` (1 = the collateral's value after pledge rates
    must reach the approved guarantee amount)."""
    return _value(COVERAGE_MIN, on)
