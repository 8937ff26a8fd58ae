"""The finance app's dated system parameters: the policy fee-cap band, when later annual instalments
fall due, and the institution's collection account printed on fee notices. Created by
`ensure_parameters` (fee-plan service, demo step, tests); read with `param_value`, falling back to
the documented default when a database was never set up. The caps themselves are the system
catalogue's gov_fee_cap_le_5m / gov_fee_cap_gt_5m / nongdan_fee_cap (regulation.md §10)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

CAP_BAND = "finance_fee_cap_band"
LATER_DUE_OFFSET = "finance_later_due_offset_days"
INSTITUTION_NAME = "finance_institution_name"
ACCOUNT_NAME = "finance_collection_account_name"
ACCOUNT_BANK = "finance_collection_bank"
ACCOUNT_NO = "finance_collection_account_no"
CAP_LE, CAP_GT, NONGDAN_CAP = "gov_fee_cap_le_5m", "gov_fee_cap_gt_5m", "nongdan_fee_cap"

CATEGORY = "财务管理"
PARAMETERS: list[dict[str, Any]] = [
    dict(
        code=CAP_BAND,
        name="政府性担保费率上限分界金额（元）",
        kind="decimal",
        value="5000000",
        default=Decimal("5000000"),
        legal_force=True,
        grade="V",
        source="国办发〔2019〕6号",
        description="单户担保金额在此金额及以下（含）适用 gov_fee_cap_le_5m，以上适用 gov_fee_cap_gt_5m；收费计划据此提示费率超上限。",
        demo="5000000",
    ),
    dict(
        code=LATER_DUE_OFFSET,
        name="按年收费：续期担保费提前天数",
        kind="int",
        value="0",
        default=0,
        legal_force=False,
        grade="PR",
        source="机构内部管理要求",
        description="按年收取担保费时，第二期及以后各期于出函日的周年日前若干天到期（0 = 周年日当天）。首期在出函前收取。",
        demo="0",
    ),
    dict(
        code=INSTITUTION_NAME,
        name="缴费通知书：机构名称",
        kind="string",
        value="",
        default="",
        legal_force=False,
        grade="",
        source="",
        description="印在缴费通知书上的机构全称；为空时使用组织机构中总部的名称。",
        demo="",
    ),
    dict(
        code=ACCOUNT_NAME,
        name="缴费通知书：收款户名",
        kind="string",
        value="",
        default="",
        legal_force=False,
        grade="",
        source="",
        description="担保费、评审费和保证金的收款账户户名。",
        demo="省农业融资担保有限公司",
    ),
    dict(
        code=ACCOUNT_BANK,
        name="缴费通知书：收款开户行",
        kind="string",
        value="",
        default="",
        legal_force=False,
        grade="",
        source="",
        description="收款账户的开户银行及网点。",
        demo="中国农业银行长沙芙蓉支行（演示）",
    ),
    dict(
        code=ACCOUNT_NO,
        name="缴费通知书：收款账号",
        kind="string",
        value="",
        default="",
        legal_force=False,
        grade="",
        source="",
        description="收款账户的银行账号。",
        demo="1805 0101 0400 0000 0（演示）",
    ),
]
DEFAULTS = {p["code"]: p["default"] for p in PARAMETERS}
SYSTEM_DEFAULTS = {CAP_LE: Decimal("0.01"), CAP_GT: Decimal("0.015"), NONGDAN_CAP: Decimal("0.008")}


def ensure_parameters(*, demo: bool = False) -> int:
    """Create the missing parameters with their first version (idempotent); the demo gets a sample account."""
    from danbao.system.services.parameters import parameters_define_missing

    return parameters_define_missing(
        dict(
            code=p["code"],
            name=p["name"],
            kind=p["kind"],
            value=p["demo"] if demo else p["value"],
            legal_force=p["legal_force"],
            category=CATEGORY,
            description=p["description"],
            source=p["source"],
            grade=p["grade"],
            valid_from=date(2019, 2, 14) if p["legal_force"] else None,
        )
        for p in PARAMETERS
    )


def value(code: str, on: date | None = None) -> Any:
    """The parameter in force on `on`, or its documented default when it is missing or not in force."""
    try:
        return param_value(code, on)
    except DomainError:
        if code in SYSTEM_DEFAULTS:
            return SYSTEM_DEFAULTS[code]
        return DEFAULTS[code]
