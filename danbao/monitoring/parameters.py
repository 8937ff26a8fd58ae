"""The monitoring app's dated system parameters (regulation.md §7 step 11 and "Monitoring frequency":
practice, no rule found). Created by `ensure_parameters` (demo step, tests, the nightly job); read with
`param_value`, falling back to the documented default when a database was never set up."""

from __future__ import annotations

from datetime import date
from typing import Any

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

FIRST_DAYS = "monitoring_first_inspection_days"
PRE_MATURITY_DAYS = "monitoring_pre_maturity_days"
INTERVALS = "monitoring_interval_days"
HORIZON_DAYS = "monitoring_plan_horizon_days"
REMIND_BEFORE = "monitoring_remind_before_workdays"
ESCALATE_AFTER = "monitoring_escalate_after_workdays"
TODO_DAYS = "monitoring_todo_days"

# Practice (regulation.md §7): normal quarterly, watch monthly, substandard or worse every two weeks.
DEFAULT_INTERVALS = {"01": 90, "02": 30, "03": 14, "04": 14, "05": 14}

PARAMETERS: list[dict[str, Any]] = [
    dict(
        code=FIRST_DAYS,
        name="首次保后检查期限（放款后天数）",
        kind="int",
        value="30",
        default=30,
        unit="天",
        description="首次保后检查（核查贷款用途）的计划日期为首笔放款日后该天数；到期日顺延至工作日。",
    ),
    dict(
        code=PRE_MATURITY_DAYS,
        name="到期前检查提前天数",
        kind="int",
        value="30",
        default=30,
        unit="天",
        description="在担保到期日前该天数安排一次到期前检查（还款来源落实情况）。",
    ),
    dict(
        code=INTERVALS,
        name="保后检查频率（按风险分类，天）",
        kind="json",
        value='{"01": 90, "02": 30, "03": 14, "04": 14, "05": 14}',
        default=DEFAULT_INTERVALS,
        unit="天",
        description="产品版本未设置保后检查频率时使用：正常按季、关注按月、次级及以下每两周（键为五级分类代码）。",
    ),
    dict(
        code=HORIZON_DAYS,
        name="保后检查任务生成提前期",
        kind="int",
        value="90",
        default=90,
        unit="天",
        description="每晚生成计划日期在今后该天数以内的定期检查任务，计划向前滚动。",
    ),
    dict(
        code=REMIND_BEFORE,
        name="保后检查到期前提醒（工作日）",
        kind="int",
        value="3",
        default=3,
        unit="工作日",
        description="检查任务到期前该工作日数提醒客户经理（A角）一次；逾期时再提醒一次。",
    ),
    dict(
        code=ESCALATE_AFTER,
        name="保后检查逾期升级（工作日）",
        kind="int",
        value="5",
        default=5,
        unit="工作日",
        description="检查任务逾期达到该工作日数时升级至项目所在部门负责人（一次）。",
    ),
    dict(
        code=TODO_DAYS,
        name="工作台保后检查待办提前天数",
        kind="int",
        value="7",
        default=7,
        unit="天",
        description="工作台列出该天数内到期的保后检查任务及全部逾期任务。",
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
            kind=p["kind"],
            value=p["value"],
            unit=p["unit"],
            legal_force=False,
            category="保后管理",
            description=p["description"],
            source="机构内部管理要求（行业实践，见 regulation.md §7）",
        )
        for p in PARAMETERS
    )


def value(code: str, on: date | None = None) -> Any:
    """The parameter in force on `on`, or its documented default."""
    try:
        found = param_value(code, on)
    except DomainError:
        return DEFAULTS[code]
    if code == INTERVALS:
        return found if isinstance(found, dict) else DEFAULTS[code]
    try:
        return int(found)
    except (TypeError, ValueError):
        return DEFAULTS[code]


def interval_for(product_days: dict[str, Any] | None, risk_class: str, on: date | None = None) -> int:
    """Days between periodic inspections for `risk_class`: the product version's table, else the
    parameter's, else the practice default."""
    for table in (product_days or {}, value(INTERVALS, on), DEFAULT_INTERVALS):
        try:
            days = int(table.get(risk_class) or 0)
        except (TypeError, ValueError, AttributeError):
            days = 0
        if days >= 1:
            return days
    return DEFAULT_INTERVALS["01"]
