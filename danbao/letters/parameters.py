"""The letters app's dated system parameters: the guarantee period written on the guarantee letter,
how long an intent letter stays valid, and the public verification page's rate limit. Created by
`ensure_parameters` (demo step, tests); read with `param_int`, falling back to the catalogue default
when a database was never set up."""

from __future__ import annotations

from datetime import date
from typing import Any

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

GUARANTEE_PERIOD_MONTHS = "letters_guarantee_period_months"
INTENT_VALID_DAYS = "letters_intent_valid_days"
VERIFY_LIMIT = "letters_verify_rate_limit"
VERIFY_WINDOW_MINUTES = "letters_verify_rate_window_minutes"

PARAMETERS: list[dict[str, Any]] = [
    dict(
        code=GUARANTEE_PERIOD_MONTHS,
        name="担保函保证期间（月）",
        value="36",
        default=36,
        description="保证期间自主债务履行期限届满之日起计算的月数；担保函有效期至主债务到期后该期间届满。"
        "常见银行模板为“债务履行期限届满之日后三年”；未约定时民法典第692条规定为六个月。",
        source="行业惯例（银行担保合作模板）；民法典第692条",
    ),
    dict(
        code=INTENT_VALID_DAYS,
        name="担保意向书有效期（天）",
        value="90",
        default=90,
        description="担保意向书自出具之日起的有效天数；期间内正式担保函出具后意向书即被替代。",
        source="机构内部管理要求",
    ),
    dict(
        code=VERIFY_LIMIT,
        name="保函公开验证页访问上限（次）",
        value="30",
        default=30,
        description="同一客户端IP在一个时间窗口内可访问保函验证页的次数，超过后返回429。",
        source="机构内部安全要求",
    ),
    dict(
        code=VERIFY_WINDOW_MINUTES,
        name="保函公开验证页限流时间窗口（分钟）",
        value="10",
        default=10,
        description="保函验证页访问次数的统计时间窗口。",
        source="机构内部安全要求",
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
            kind="int",
            value=p["value"],
            legal_force=False,
            category="保函",
            description=p["description"],
            source=p["source"],
        )
        for p in PARAMETERS
    )


def param_int(code: str, on: date | None = None) -> int:
    """The whole-number parameter in force on `on`, or its catalogue default."""
    try:
        return int(param_value(code, on))
    except (DomainError, TypeError, ValueError):
        return int(DEFAULTS[code])
