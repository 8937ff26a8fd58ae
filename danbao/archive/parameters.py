"""The archive app's dated system parameters (regulation.md §7 step 17: practice, no national rule read;
the institution's own 档案管理办法 decides). Created by `ensure_parameters` (demo step, tests, the
nightly job); read with `value`, falling back to the documented default when a database was never set up."""

from __future__ import annotations

from datetime import date
from typing import Any

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

RETENTION = "archive_retention_years"
REMIND_BEFORE = "archive_borrow_remind_before_days"
MAX_DAYS = "archive_borrow_max_days"

PARAMETERS: list[dict[str, Any]] = [
    dict(
        code=RETENTION,
        name="担保项目档案保管期限（年，0 = 永久）",
        kind="int",
        value="30",
        default=30,
        unit="年",
        description="项目档案自归档日起的保管期限；0 表示永久保管。行业实践：担保业务档案保管至担保责任解除后 "
        "不少于 30 年，涉及代偿追偿的永久保管（机构档案管理办法规定）。",
    ),
    dict(
        code=REMIND_BEFORE,
        name="档案借阅到期前提醒天数",
        kind="int",
        value="3",
        default=3,
        unit="天",
        description="借出档案在约定归还日前该天数提醒借阅人一次；逾期时再提醒借阅人并通知档案管理员。",
    ),
    dict(
        code=MAX_DAYS,
        name="档案借阅最长期限",
        kind="int",
        value="30",
        default=30,
        unit="天",
        description="借阅申请的约定归还日最多为申请日后该天数。",
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
            category="档案管理",
            description=p["description"],
            source="机构内部档案管理办法（行业实践，见 regulation.md §7 第 17 步）",
        )
        for p in PARAMETERS
    )


def value(code: str, on: date | None = None) -> int:
    """The parameter in force on `on`, or its documented default."""
    try:
        found = param_value(code, on)
    except DomainError:
        return int(DEFAULTS[code])
    try:
        return int(found)
    except (TypeError, ValueError):
        return int(DEFAULTS[code])
