"""The contracts app's dated system parameters: the institution's name and address printed on every
contract, the guarantee period written into the guarantee contract (保证期间, 民法典 第692条) and the
dispute-resolution clause. Created by `ensure_parameters` (demo step, `ensure_contract_templates`,
tests); read with `param_value`, falling back to the documented default when never set up."""

from __future__ import annotations

from datetime import date
from typing import Any

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

INSTITUTION_NAME = "contracts_institution_name"
INSTITUTION_ADDRESS = "contracts_institution_address"
GUARANTEE_PERIOD_YEARS = "contracts_guarantee_period_years"
DISPUTE_CLAUSE = "contracts_dispute_clause"

PARAMETERS: list[dict[str, Any]] = [
    dict(
        code=INSTITUTION_NAME,
        name="合同中的担保机构名称",
        kind="string",
        value="示范融资担保有限公司",
        default="示范融资担保有限公司",
        description="各类合同中担保人（保证人、受托人）一方的名称，按营业执照填写。",
        source="机构营业执照",
        article="",
    ),
    dict(
        code=INSTITUTION_ADDRESS,
        name="合同中的担保机构住所",
        kind="string",
        value="某省某市某区金融街1号",
        default="某省某市某区金融街1号",
        description="各类合同中担保人一方的住所。",
        source="机构营业执照",
        article="",
    ),
    dict(
        code=GUARANTEE_PERIOD_YEARS,
        name="保证合同的保证期间（主债务履行期限届满之日起年数）",
        kind="int",
        value="3",
        default=3,
        description=(
            "保证合同约定的保证期间：主债务履行期限届满之日起若干年。未约定或约定不明时法定为六个月"
            "（民法典第692条），“直至本息还清为止”类约定视为约定不明（法释〔2020〕28号第32条），"
            "故合同必须写明确的期间；银担合作常见约定为三年。"
        ),
        source="民法典第692条；银担合作协议常见条款",
        article="民法典第692条",
    ),
    dict(
        code=DISPUTE_CLAUSE,
        name="合同争议解决条款",
        kind="string",
        value="向担保人住所地有管辖权的人民法院提起诉讼",
        default="向担保人住所地有管辖权的人民法院提起诉讼",
        description="委托保证合同和反担保合同的争议解决方式；保证合同通常按银行的约定。",
        source="机构内部管理要求",
        article="",
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
            legal_force=False,
            category="合同管理",
            description=p["description"],
            source=p["source"],
            article=p["article"],
        )
        for p in PARAMETERS
    )


def value(code: str, on: date | None = None) -> Any:
    """The parameter in force on `on`, or its documented default."""
    try:
        return param_value(code, on)
    except DomainError:
        return DEFAULTS[code]


CHINESE_DIGITS = "零一二三四五六七八九十"


def years_in_words(years: int) -> str:
    """3 → 三 (1–99), for wording such as 三年."""
    if 0 <= years <= 10:
        return CHINESE_DIGITS[years]
    if years < 20:
        return "十" + CHINESE_DIGITS[years % 10]
    if years < 100:
        tens, ones = divmod(years, 10)
        return CHINESE_DIGITS[tens] + "十" + (CHINESE_DIGITS[ones] if ones else "")
    return str(years)


def guarantee_period_text(on: date | None = None) -> str:
    years = int(value(GUARANTEE_PERIOD_YEARS, on))
    return f"主债务履行期限届满之日起{years_in_words(years)}年"
