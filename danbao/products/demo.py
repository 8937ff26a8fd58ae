"""Demo products: ten products a provincial policy guarantor offers, with eligibility and pricing
inside the dated caps (6号文 fee caps, 农担 range). Idempotent: an existing code is left alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

from danbao.products.models import Product
from danbao.products.selectors import flows_for_bands
from danbao.products.services import Band, MaterialItem, product_create, product_draft_open, product_draft_save, product_version_publish

START = date(2025, 3, 1)
MONITOR_STD = {"01": 90, "02": 30, "03": 15, "04": 15, "05": 15}
MONITOR_AGRI = {"01": 180, "02": 60, "03": 30, "04": 30, "05": 30}

ENTERPRISE = [
    "营业执照",
    "公司章程",
    "近两年及最近一期财务报表",
    "企业征信查询授权书",
    "股东会（董事会）同意担保决议",
    "主要经营场所租赁合同或产权证明（可选）",
]
PERSON = ["身份证", "户口簿", "婚姻状况证明", "个人征信查询授权书", "收入或经营流水证明"]
FARMER = ["身份证", "户口簿", "土地承包经营权证或土地流转合同", "个人征信查询授权书", "种养殖规模证明（村委会出具）"]
COOP = ["营业执照", "合作社章程", "成员名册", "近一年财务报表或收支台账", "征信查询授权书", "土地流转合同（可选）"]
SHOP = ["营业执照", "经营者身份证", "近一年经营流水", "个人征信查询授权书"]

MATERIALS = {
    "enterprise": ENTERPRISE,
    "natural_person": PERSON,
    "farmer": FARMER,
    "family_farm": FARMER[:3] + ["家庭农场名录证明", "个人征信查询授权书"],
    "cooperative": COOP,
    "individual_business": SHOP,
}


def _p(value: str) -> D:
    """Percent text → fraction."""
    return (D(value) / 100).quantize(D("0.000001"))


def _terms(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "loan_kind": "other",
        "is_policy": False,
        "industries": [],
        "regions": [],
        "fee_basis": "annual",
        "review_fee_amount": D(0),
        "margin_ratio": D(0),
        "bank_share": D(0),
        "reguarantor_share": D(0),
        "fund_share": D(0),
        "gov_pool_share": D(0),
        "monitoring_days": MONITOR_STD,
        "effective_from": START,
        "effective_to": None,
        "change_note": "首版",
    }
    base.update(kw)
    return base


PRODUCTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "XW-LDZJ",
        "小微企业流动资金贷款担保",
        _terms(
            business_type="loan",
            guarantee_class="loan",
            loan_kind="small_micro",
            is_policy=True,
            customer_kinds=["enterprise", "individual_business"],
            amount_min=D("100000"),
            amount_max=D("5000000"),
            term_min_months=3,
            term_max_months=12,
            fee_rate_min=_p("0.5"),
            fee_rate_max=_p("1"),
            fee_rate_default=_p("0.8"),
            bank_share=_p("20"),
            reguarantor_share=_p("20"),
            fund_share=_p("20"),
        ),
    ),
    (
        "NJ-HND",
        "农业信贷担保“惠农贷”",
        _terms(
            business_type="agri_policy",
            guarantee_class="loan",
            loan_kind="farmer",
            is_policy=True,
            customer_kinds=["farmer", "family_farm", "cooperative"],
            amount_min=D("100000"),
            amount_max=D("3000000"),
            term_min_months=6,
            term_max_months=36,
            industries=["A"],
            regions=["430000"],
            fee_rate_min=_p("0.5"),
            fee_rate_max=_p("0.8"),
            fee_rate_default=_p("0.6"),
            bank_share=_p("20"),
            gov_pool_share=_p("10"),
            monitoring_days=MONITOR_AGRI,
        ),
    ),
    (
        "CY-DBDK",
        "创业担保贷款担保",
        _terms(
            business_type="loan",
            guarantee_class="loan",
            loan_kind="small_micro",
            is_policy=True,
            customer_kinds=["natural_person", "individual_business", "enterprise"],
            amount_min=D("10000"),
            amount_max=D("3000000"),
            term_min_months=12,
            term_max_months=36,
            fee_rate_min=_p("0"),
            fee_rate_max=_p("0.5"),
            fee_rate_default=_p("0"),
            bank_share=_p("10"),
            gov_pool_share=_p("20"),
        ),
    ),
    (
        "KJ-KJD",
        "科技贷担保",
        _terms(
            business_type="loan",
            guarantee_class="loan",
            loan_kind="small_micro",
            is_policy=True,
            customer_kinds=["enterprise"],
            amount_min=D("500000"),
            amount_max=D("10000000"),
            term_min_months=6,
            term_max_months=36,
            industries=["C", "I", "M"],
            fee_rate_min=_p("0.6"),
            fee_rate_max=_p("1.5"),
            fee_rate_default=_p("1"),
            bank_share=_p("20"),
            reguarantor_share=_p("20"),
            fund_share=_p("40"),
        ),
    ),
    (
        "PL-ZDZ",
        "批量担保（银担“总对总”）",
        _terms(
            business_type="batch",
            guarantee_class="loan",
            loan_kind="small_micro",
            is_policy=True,
            customer_kinds=["enterprise", "individual_business", "farmer", "family_farm", "cooperative"],
            amount_min=D("100000"),
            amount_max=D("5000000"),
            term_min_months=3,
            term_max_months=12,
            fee_rate_min=_p("0.5"),
            fee_rate_max=_p("1"),
            fee_rate_default=_p("0.7"),
            bank_share=_p("20"),
            reguarantor_share=_p("20"),
            fund_share=_p("20"),
        ),
    ),
    (
        "TB-BH",
        "投标保函",
        _terms(
            business_type="bid",
            guarantee_class="non_financing",
            customer_kinds=["enterprise"],
            amount_min=D("10000"),
            amount_max=D("10000000"),
            term_min_months=1,
            term_max_months=12,
            fee_basis="one_off",
            fee_rate_min=_p("0.3"),
            fee_rate_max=_p("1"),
            fee_rate_default=_p("0.5"),
            review_fee_amount=D("500"),
        ),
    ),
    (
        "LY-BH",
        "履约保函",
        _terms(
            business_type="performance",
            guarantee_class="non_financing",
            customer_kinds=["enterprise"],
            amount_min=D("100000"),
            amount_max=D("50000000"),
            term_min_months=3,
            term_max_months=36,
            fee_rate_min=_p("0.5"),
            fee_rate_max=_p("2"),
            fee_rate_default=_p("1"),
            margin_ratio=_p("10"),
            review_fee_amount=D("1000"),
        ),
    ),
    (
        "SS-BQ",
        "诉讼保全担保",
        _terms(
            business_type="litigation",
            guarantee_class="non_financing",
            customer_kinds=["enterprise", "natural_person", "individual_business"],
            amount_min=D("10000"),
            amount_max=D("50000000"),
            term_min_months=1,
            term_max_months=24,
            fee_basis="one_off",
            fee_rate_min=_p("0.3"),
            fee_rate_max=_p("1.5"),
            fee_rate_default=_p("0.5"),
        ),
    ),
    (
        "ZQ-FX",
        "债券发行担保",
        _terms(
            business_type="bond",
            guarantee_class="bond",
            customer_kinds=["enterprise"],
            amount_min=D("100000000"),
            amount_max=D("1000000000"),
            term_min_months=36,
            term_max_months=84,
            fee_rate_min=_p("0.8"),
            fee_rate_max=_p("2.5"),
            fee_rate_default=_p("1.5"),
            review_fee_amount=D("50000"),
            monitoring_days={"01": 30, "02": 15, "03": 7, "04": 7, "05": 7},
        ),
    ),
    (
        "ZF-ZYDB",
        "住房置业担保",
        _terms(
            business_type="loan",
            guarantee_class="loan",
            loan_kind="housing",
            customer_kinds=["natural_person"],
            amount_min=D("100000"),
            amount_max=D("3000000"),
            term_min_months=12,
            term_max_months=360,
            fee_rate_min=_p("0.3"),
            fee_rate_max=_p("1"),
            fee_rate_default=_p("0.5"),
            monitoring_days={"01": 365, "02": 90, "03": 30, "04": 30, "05": 30},
        ),
    ),
]


def _materials(kinds: list[str]) -> list[MaterialItem]:
    items = []
    for kind in kinds:
        for line in MATERIALS[kind]:
            optional = line.endswith("（可选）")
            items.append(MaterialItem(kind, line.removesuffix("（可选）"), not optional))
    return items


def _bands() -> list[Band]:
    """Bind the demo's project approval flows when they exist (the project app defines them)."""
    flows = list(flows_for_bands())
    if not flows:
        return []
    if len(flows) == 1:
        return [Band(None, flows[0])]
    return [Band(D("5000000"), flows[0]), Band(None, flows[1])]


def seed() -> str:
    created = 0
    for code, name, terms in PRODUCTS:
        if Product.objects.filter(code=code).exists():
            continue
        product = product_create(
            actor=None, code=code, name=name, terms=terms, materials=_materials(terms["customer_kinds"]), bands=_bands()
        )
        product_version_publish(actor=None, version=product.versions.get(number=1))
        created += 1
        if code == "XW-LDZJ":
            # A second version, so the catalogue shows history and a diff: lower fees from 2026.
            draft = product_draft_open(actor=None, product=product)
            changed = dict(
                terms,
                fee_rate_min=_p("0.4"),
                fee_rate_default=_p("0.6"),
                term_max_months=24,
                effective_from=date(2026, 1, 1),
                change_note="降费让利：默认费率下调至0.6%，期限放宽至24个月",
            )
            product_draft_save(actor=None, version=draft, name=None, terms=changed)
            product_version_publish(actor=None, version=draft)
    return f"{created} products created, {Product.objects.count()} in the catalogue"
