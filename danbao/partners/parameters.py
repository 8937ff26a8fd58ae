"""The partners app's dated system parameters: credit-line usage thresholds of the usage bar and the
warning. Created by `ensure_parameters` (demo step, tests, the data migration); read with
`param_value`, falling back to the catalogue default when a database was never set up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

AMBER = "partners_credit_line_amber"
RED = "partners_credit_line_red"

PARAMETERS: list[dict[str, Any]] = [
    dict(
        code=AMBER,
        name="银行授信额度使用预警线",
        value="80",
        default=Decimal("0.8"),
        description="合作协议授信额度使用率达到该值（含）时显示为黄色，并提醒协议负责人。",
    ),
    dict(
        code=RED,
        name="银行授信额度使用上限线",
        value="100",
        default=Decimal("1"),
        description="合作协议授信额度使用率达到该值（含）时显示为红色（额度用尽）。",
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
            category="合作机构",
            description=p["description"],
            source="机构内部管理要求",
        )
        for p in PARAMETERS
    )


def threshold(code: str, on: date | None = None) -> Decimal:
    """The threshold in force on `on` as a fraction (0.8 = 80 %)."""
    try:
        return Decimal(param_value(code, on))
    except DomainError:
        return DEFAULTS[code]
