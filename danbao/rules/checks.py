"""The rule checks and their catalogue defaults (registered in RulesConfig.ready).

Boundaries follow Chinese legal counting (shared/domain/regulation.md §0): 「以下」「以内」 include
the number, 「超过」 excludes it — so an amount exactly at a maximum passes and one cent above fires.
Amounts per party (单户) add the party's in-force balance (regulatory.exposures) to the amount applied for.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from danbao.core.money import format_amount
from danbao.customers.reference import industry_get
from danbao.products.calculations import percent
from danbao.regulatory import exposures
from danbao.regulatory.exposures import Exposure
from danbao.rules.inputs import RuleInput
from danbao.rules.models import Severity, Stage
from danbao.rules.registry import PASS, Outcome, ParamSpec, RuleSpec, not_applicable, register

ALL_STAGES = tuple(Stage.values)
EARLY = (Stage.INTAKE, Stage.PRE_APPROVAL)
NO_PRODUCT = "no product version"
NO_CUSTOMER = "no customer"


def _yuan(value: Any) -> str:
    return format_amount(Decimal(value))


def party_total(inp: RuleInput) -> Decimal:
    """Single-party (单户) total: the party's in-force balances plus the amount applied for.

    The proposed exposure (same key) is not counted twice."""
    if not inp.party_key:
        return inp.amount
    proposed_key = inp.exposure.key if inp.exposure is not None else None
    existing = sum(
        (e.loan_balance for e in exposures.current(inp.on) if e.party_key == inp.party_key and e.key != proposed_key),
        Decimal(0),
    )
    return existing + inp.amount


# --- Product eligibility -----------------------------------------------------------------------


def check_product_active(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    product = version.product
    in_force = (
        version.status == "published"
        and version.effective_from <= inp.on
        and (version.effective_to is None or inp.on <= version.effective_to)
    )
    if product.status != "active" or not in_force:
        return Outcome(
            True,
            detail={
                "product": product.name,
                "version": version.number,
                "status": product.get_status_display(),
                "period": f"{version.effective_from.isoformat()}–{version.effective_to.isoformat() if version.effective_to else '…'}",
                "on": inp.on.isoformat(),
            },
        )
    return PASS


def check_customer_kind(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    if not inp.customer_kind:
        return not_applicable("no customer kind")
    if inp.customer_kind not in version.customer_kinds:
        from danbao.customers.models.customer import CustomerKind

        label = CustomerKind(inp.customer_kind).label if inp.customer_kind in CustomerKind.values else inp.customer_kind
        allowed = "、".join(str(CustomerKind(k).label) for k in version.customer_kinds if k in CustomerKind.values)
        return Outcome(True, detail={"kind": str(label), "allowed": allowed})
    return PASS


def check_amount_min(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    if inp.amount < version.amount_min:
        return Outcome(True, detail={"amount": _yuan(inp.amount), "min": _yuan(version.amount_min)})
    return PASS


def check_amount_max(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    if inp.amount > version.amount_max:
        return Outcome(True, detail={"amount": _yuan(inp.amount), "max": _yuan(version.amount_max)})
    return PASS


def check_term_min(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None or inp.term_months is None:
        return not_applicable(NO_PRODUCT if version is None else "no term")
    if inp.term_months < version.term_min_months:
        return Outcome(True, detail={"term": inp.term_months, "min": version.term_min_months})
    return PASS


def check_term_max(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None or inp.term_months is None:
        return not_applicable(NO_PRODUCT if version is None else "no term")
    if inp.term_months > version.term_max_months:
        return Outcome(True, detail={"term": inp.term_months, "max": version.term_max_months})
    return PASS


def industry_matches(code: str, allowed: list[str]) -> bool:
    """A customer's industry (any level) matches an allowed section letter or a code prefix."""
    industry = industry_get(code)
    if industry is None:
        return False
    for entry in allowed:
        if (len(entry) == 1 and industry.section == entry) or industry.code.startswith(entry):
            return True
    return False


def region_prefix(code: str) -> str:
    """430000 → 43 (province), 430100 → 4301 (city), 430102 → 430102 (county)."""
    prefix = code
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def check_industry(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    if not version.industries:
        return PASS
    if not inp.industry_code or not industry_matches(inp.industry_code, version.industries):
        found = industry_get(inp.industry_code) if inp.industry_code else None
        labels = [industry_get(c) for c in version.industries]
        allowed = "、".join(i.label if i else c for i, c in zip(labels, version.industries, strict=True))
        return Outcome(True, detail={"industry": found.label if found else (inp.industry_code or "—"), "allowed": allowed})
    return PASS


def check_region(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    if not version.regions:
        return PASS
    if not inp.region_code or not any(inp.region_code.startswith(region_prefix(r)) for r in version.regions):
        from danbao.customers.reference import region_get

        found = region_get(inp.region_code) if inp.region_code else None
        allowed = "、".join((region_get(r).full_name if region_get(r) else r) for r in version.regions)  # type: ignore[union-attr]
        return Outcome(True, detail={"region": found.full_name if found else (inp.region_code or "—"), "allowed": allowed})
    return PASS


# --- Pricing -----------------------------------------------------------------------------------


def check_fee_range(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None or inp.fee_rate is None:
        return not_applicable(NO_PRODUCT if version is None else "no fee rate")
    if not version.fee_rate_min <= inp.fee_rate <= version.fee_rate_max:
        return Outcome(
            True, detail={"rate": percent(inp.fee_rate), "min": percent(version.fee_rate_min), "max": percent(version.fee_rate_max)}
        )
    return PASS


def check_policy_fee_cap(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    """国办发〔2019〕6号: single-party guarantee ≤500万 (inclusive) → fee ≤1%; above → ≤1.5%."""
    version = inp.product_version
    if version is None or inp.fee_rate is None:
        return not_applicable(NO_PRODUCT if version is None else "no fee rate")
    if not version.is_policy:
        return not_applicable("not a policy product")
    total = party_total(inp)
    threshold = Decimal(p["threshold"])
    cap = Decimal(p["cap_le"]) if total <= threshold else Decimal(p["cap_gt"])
    if inp.fee_rate > cap:
        return Outcome(
            True, detail={"rate": percent(inp.fee_rate), "cap": percent(cap), "total": _yuan(total), "threshold": _yuan(threshold)}
        )
    return PASS


def check_nongdan_fee_cap(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None or inp.fee_rate is None:
        return not_applicable(NO_PRODUCT if version is None else "no fee rate")
    if not version.is_agri_policy:
        return not_applicable("not an agricultural policy product")
    cap = Decimal(p["cap"])
    if inp.fee_rate > cap:
        return Outcome(True, detail={"rate": percent(inp.fee_rate), "cap": percent(cap)})
    return PASS


# --- Policy amounts ----------------------------------------------------------------------------


def check_gov_single_max(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    """财金〔2025〕11号 art. 6: government guarantors focus on single parties of ≤1000万 (inclusive)."""
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    if not version.is_policy:
        return not_applicable("not a policy product")
    total = party_total(inp)
    if total > Decimal(p["max"]):
        return Outcome(True, detail={"total": _yuan(total), "max": _yuan(p["max"])})
    return PASS


def check_nongdan_range(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    """财农〔2020〕15号 双控: policy business is 10万–300万 per household (both ends inclusive)."""
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    if not version.is_agri_policy:
        return not_applicable("not an agricultural policy product")
    low, high = (Decimal(x) for x in p["range"])
    total = party_total(inp)
    if not low <= total <= high:
        return Outcome(True, detail={"total": _yuan(total), "low": _yuan(low), "high": _yuan(high)})
    return PASS


def check_nongdan_single_max(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    version = inp.product_version
    if version is None:
        return not_applicable(NO_PRODUCT)
    if not version.is_agri_policy:
        return not_applicable("not an agricultural policy product")
    total = party_total(inp)
    if total > Decimal(p["max"]):
        return Outcome(True, detail={"total": _yuan(total), "max": _yuan(p["max"])})
    return PASS


# --- Customer ----------------------------------------------------------------------------------


def check_customer_closed(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    if inp.customer is None:
        return not_applicable(NO_CUSTOMER)
    if not inp.customer.is_active:
        return Outcome(True, detail={"customer": inp.customer.name, "reason": inp.customer.closed_reason or "—"})
    return PASS


def _hits(inp: RuleInput, status: str) -> list[Any]:
    from danbao.customers.selectors_extras import hits_of

    return [h for h in hits_of(inp.customer) if h.status == status]  # type: ignore[arg-type]


def check_watchlist_confirmed(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    if inp.customer is None:
        return not_applicable(NO_CUSTOMER)
    hits = _hits(inp, "confirmed")
    if hits:
        first = hits[0]
        return Outcome(True, detail={"list": first.entry.watch_list.name, "entry": first.entry.name, "count": len(hits)})
    return PASS


def check_screening_open(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    if inp.customer is None:
        return not_applicable(NO_CUSTOMER)
    hits = _hits(inp, "open")
    if hits:
        first = hits[0]
        return Outcome(True, detail={"list": first.entry.watch_list.name, "entry": first.entry.name, "count": len(hits)})
    return PASS


# --- Regulatory limits after the guarantee (条例 arts. 15–16, via regulatory.what_if) -----------


def proposed_exposure(inp: RuleInput) -> Exposure | None:
    """The exposure the caller gave, else one built from the product version's class and shares."""
    if inp.exposure is not None:
        return inp.exposure
    version = inp.product_version
    if version is None or not inp.party_key:
        return None
    bank = Decimal(version.bank_share)
    return Exposure(
        key="proposed",
        party_key=inp.party_key,
        party_name=inp.party_name or inp.party_key,
        guarantee_class=version.guarantee_class,
        loan_balance=inp.amount,
        own_share=Decimal(1) - bank,
        reguarantee_share=min(Decimal(1) - bank, Decimal(version.reguarantor_share) + Decimal(version.fund_share)),
        loan_kind=version.loan_kind,
        bank_code=inp.bank_code,
        product_code=version.product.code,
        is_policy=version.is_policy,
    )


def what_if_for(inp: RuleInput) -> Any:
    """regulatory.what_if for the input, computed once per input (both limit rules read it)."""
    cached = getattr(inp, "_what_if", None)
    if cached is not None:
        return cached
    from danbao.regulatory.services import what_if

    proposed = proposed_exposure(inp)
    if proposed is None:
        return None
    related: frozenset[str] = frozenset()
    if inp.customer is not None:
        from danbao.customers.selectors_extras import customer_group_members

        related = frozenset(c.identity_code for c in customer_group_members(inp.customer) if c.pk != inp.customer.pk)
    result = what_if(proposed=proposed, on=inp.on, related_party_keys=related)
    object.__setattr__(inp, "_what_if", result)
    return result


def _limit_outcome(inp: RuleInput, codes: set[str]) -> Outcome:
    result = what_if_for(inp)
    if result is None:
        return not_applicable("no party or product for the what-if")
    if not result.complete:
        return not_applicable("; ".join(result.warnings) or "incomplete")
    breaches = [b for b in result.breaches if b.code in codes]
    if breaches:
        return Outcome(True, detail={"breach": "；".join(b.reason for b in breaches), "net_assets": _yuan(result.net_assets)})
    return PASS


def check_leverage(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    return _limit_outcome(inp, {"leverage", "net_assets"})


def check_concentration(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    return _limit_outcome(inp, {"single", "group", "net_assets"})


# --- Partner bank: agreement in force, credit line and single cap (partners selectors) -------------


def _bank_agreement(inp: RuleInput) -> tuple[Any, Any]:
    from danbao.partners.models import Bank
    from danbao.partners.selectors import agreement_in_force_for

    bank = Bank.objects.filter(code=inp.bank_code).select_related("parent").first()
    return bank, (agreement_in_force_for(bank, inp.on) if bank is not None and bank.is_active else None)


def check_bank_agreement(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    if not inp.bank_code:
        return not_applicable("no lending bank")
    bank, agreement = _bank_agreement(inp)
    if agreement is None:
        return Outcome(True, detail={"bank": bank.name if bank is not None else inp.bank_code, "on": inp.on.isoformat()})
    return PASS


def check_bank_credit_line(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    """In-force loans of the bank (and its branches under a head-office agreement) plus this amount
    must stay within the agreement's credit line; exactly at the line passes."""
    if not inp.bank_code:
        return not_applicable("no lending bank")
    bank, agreement = _bank_agreement(inp)
    if agreement is None:
        return not_applicable("no agreement in force")
    from danbao.partners.selectors import credit_line_usage

    proposed_key = inp.exposure.key if inp.exposure is not None else None
    book = [e for e in exposures.current(inp.on) if e.key != proposed_key]
    usage = credit_line_usage(agreement, inp.on, book)
    after = usage.used + inp.amount
    if after > usage.limit:
        return Outcome(
            True,
            detail={
                "bank": agreement.bank.name,
                "agreement": agreement.number,
                "used": _yuan(usage.used),
                "amount": _yuan(inp.amount),
                "limit": _yuan(usage.limit),
                "excess": _yuan(after - usage.limit),
            },
        )
    return PASS


def check_bank_single_cap(inp: RuleInput, p: dict[str, Any]) -> Outcome:
    if not inp.bank_code:
        return not_applicable("no lending bank")
    bank, agreement = _bank_agreement(inp)
    if agreement is None or agreement.single_cap_amount is None:
        return not_applicable("no single cap")
    if inp.amount > agreement.single_cap_amount:
        return Outcome(True, detail={"agreement": agreement.number, "amount": _yuan(inp.amount), "cap": _yuan(agreement.single_cap_amount)})
    return PASS


SPECS: tuple[RuleSpec, ...] = (
    RuleSpec(
        "PRD_ACTIVE",
        "产品在售且版本有效",
        "产品“%(product)s”第%(version)s版在 %(on)s 不可用（产品状态：%(status)s，版本有效期 %(period)s）",
        "Product %(product)s version %(version)s is not available on %(on)s (status %(status)s, version valid %(period)s)",
        Severity.BLOCK,
        ALL_STAGES,
        check_product_active,
        source="产品管理",
    ),
    RuleSpec(
        "PRD_CUSTOMER_KIND",
        "客户类型符合产品准入",
        "客户类型“%(kind)s”不在产品准入范围内（允许：%(allowed)s）",
        "Customer kind %(kind)s is not eligible for the product (allowed: %(allowed)s)",
        Severity.BLOCK,
        ALL_STAGES,
        check_customer_kind,
        source="产品准入",
    ),
    RuleSpec(
        "PRD_AMOUNT_MIN",
        "担保金额不低于产品下限",
        "担保金额 %(amount)s 元低于产品下限 %(min)s 元",
        "Guarantee amount %(amount)s yuan is below the product minimum of %(min)s yuan",
        Severity.BLOCK,
        ALL_STAGES,
        check_amount_min,
        source="产品准入",
    ),
    RuleSpec(
        "PRD_AMOUNT_MAX",
        "担保金额不超过产品上限",
        "担保金额 %(amount)s 元超过产品上限 %(max)s 元",
        "Guarantee amount %(amount)s yuan exceeds the product maximum of %(max)s yuan",
        Severity.BLOCK,
        ALL_STAGES,
        check_amount_max,
        source="产品准入",
    ),
    RuleSpec(
        "PRD_TERM_MIN",
        "担保期限不短于产品下限",
        "担保期限 %(term)s 个月短于产品最短期限 %(min)s 个月",
        "Term of %(term)s months is shorter than the product minimum of %(min)s months",
        Severity.BLOCK,
        ALL_STAGES,
        check_term_min,
        source="产品准入",
    ),
    RuleSpec(
        "PRD_TERM_MAX",
        "担保期限不超过产品上限",
        "担保期限 %(term)s 个月超过产品最长期限 %(max)s 个月",
        "Term of %(term)s months exceeds the product maximum of %(max)s months",
        Severity.BLOCK,
        ALL_STAGES,
        check_term_max,
        source="产品准入",
    ),
    RuleSpec(
        "PRD_INDUSTRY",
        "行业符合产品准入",
        "客户行业“%(industry)s”不在产品准入行业内（%(allowed)s）",
        "Industry %(industry)s is not among the product's industries (%(allowed)s)",
        Severity.BLOCK,
        ALL_STAGES,
        check_industry,
        source="产品准入",
    ),
    RuleSpec(
        "PRD_REGION",
        "地区符合产品准入",
        "客户所在地区“%(region)s”不在产品准入地区内（%(allowed)s）",
        "Region %(region)s is not among the product's regions (%(allowed)s)",
        Severity.BLOCK,
        ALL_STAGES,
        check_region,
        source="产品准入",
    ),
    RuleSpec(
        "FEE_IN_RANGE",
        "担保费率在产品区间内",
        "担保费率 %(rate)s 不在产品费率区间 %(min)s–%(max)s 内",
        "Fee rate %(rate)s is outside the product range %(min)s–%(max)s",
        Severity.BLOCK,
        (Stage.PRE_APPROVAL, Stage.PRE_ISSUE),
        check_fee_range,
        source="产品定价",
    ),
    RuleSpec(
        "POLICY_FEE_CAP",
        "政府性担保费率上限",
        "政策性业务单户担保金额 %(total)s 元，担保费率 %(rate)s 超过上限 %(cap)s（以 %(threshold)s 元为界，国办发〔2019〕6号）",
        "Policy business: single-party amount %(total)s yuan, fee rate %(rate)s exceeds the cap of %(cap)s "
        "(band boundary %(threshold)s yuan, 国办发〔2019〕6号)",
        Severity.BLOCK,
        (Stage.PRE_APPROVAL, Stage.PRE_ISSUE),
        check_policy_fee_cap,
        params=(
            ParamSpec("threshold", "单户金额分界（元）", "decimal", default="5000000"),
            ParamSpec("cap_le", "≤分界费率上限", "percent", system="gov_fee_cap_le_5m"),
            ParamSpec("cap_gt", ">分界费率上限", "percent", system="gov_fee_cap_gt_5m"),
        ),
        source="国办发〔2019〕6号 [V]",
    ),
    RuleSpec(
        "NONGDAN_FEE_CAP",
        "农担政策性业务费率上限",
        "农担政策性业务担保费率 %(rate)s 超过上限 %(cap)s",
        "Agricultural policy business: fee rate %(rate)s exceeds the cap of %(cap)s",
        Severity.WARN,
        (Stage.PRE_APPROVAL, Stage.PRE_ISSUE),
        check_nongdan_fee_cap,
        params=(ParamSpec("cap", "费率上限", "percent", system="nongdan_fee_cap"),),
        source="财农〔2020〕15号 [R]",
    ),
    RuleSpec(
        "GOV_SINGLE_MAX",
        "政府性担保单户上限",
        "单户担保金额 %(total)s 元超过政府性融资担保聚焦上限 %(max)s 元（财金〔2025〕11号第六条）",
        "Single-party amount %(total)s yuan exceeds the government guarantee focus limit of %(max)s yuan (财金〔2025〕11号 art. 6)",
        Severity.APPROVAL,
        ALL_STAGES,
        check_gov_single_max,
        params=(ParamSpec("max", "单户上限（元）", "int", system="gov_focus_single_max"),),
        source="财金〔2025〕11号 第6条 [V]",
    ),
    RuleSpec(
        "NONGDAN_POLICY_RANGE",
        "农担政策性业务“双控”范围",
        "单户在保余额 %(total)s 元不在农担政策性业务范围 %(low)s–%(high)s 元内",
        "Household total %(total)s yuan is outside the agricultural policy range %(low)s–%(high)s yuan",
        Severity.APPROVAL,
        ALL_STAGES,
        check_nongdan_range,
        params=(ParamSpec("range", "单户范围（元）", "json", system="nongdan_policy_range"),),
        source="财农〔2020〕15号 [P]",
    ),
    RuleSpec(
        "NONGDAN_SINGLE_MAX",
        "农担单户上限",
        "单户在保余额 %(total)s 元超过农担单户上限 %(max)s 元",
        "Household total %(total)s yuan exceeds the agricultural guarantee single-household maximum of %(max)s yuan",
        Severity.BLOCK,
        ALL_STAGES,
        check_nongdan_single_max,
        params=(ParamSpec("max", "单户上限（元）", "int", system="nongdan_single_max"),),
        source="财农〔2020〕15号 [P]",
    ),
    RuleSpec(
        "CUST_CLOSED",
        "客户未销户",
        "客户“%(customer)s”已销户（%(reason)s），不能办理新业务",
        "Customer %(customer)s is closed (%(reason)s) and cannot take new business",
        Severity.BLOCK,
        ALL_STAGES,
        check_customer_closed,
        source="客户管理",
    ),
    RuleSpec(
        "CUST_WATCHLIST",
        "客户未列入黑名单",
        "客户命中名单“%(list)s”（%(entry)s）且已确认，共 %(count)s 条",
        "Customer is on the watch list %(list)s (%(entry)s), confirmed; %(count)s hit(s)",
        Severity.BLOCK,
        ALL_STAGES,
        check_watchlist_confirmed,
        source="名单筛查",
    ),
    RuleSpec(
        "CUST_SCREENING_OPEN",
        "名单筛查疑似命中已处理",
        "客户有 %(count)s 条待处理的名单疑似命中（%(list)s：%(entry)s），须先处理",
        "Customer has %(count)s open screening hit(s) (%(list)s: %(entry)s) to handle first",
        Severity.APPROVAL,
        ALL_STAGES,
        check_screening_open,
        source="名单筛查",
    ),
    RuleSpec(
        "REG_LEVERAGE",
        "担保后放大倍数不超限",
        "新增本笔担保后：%(breach)s",
        "After this guarantee: %(breach)s",
        Severity.BLOCK,
        (Stage.PRE_APPROVAL, Stage.PRE_ISSUE),
        check_leverage,
        source="条例 第15条 [V]",
    ),
    RuleSpec(
        "REG_CONCENTRATION",
        "担保后集中度不超限",
        "新增本笔担保后：%(breach)s",
        "After this guarantee: %(breach)s",
        Severity.BLOCK,
        (Stage.PRE_APPROVAL, Stage.PRE_ISSUE),
        check_concentration,
        source="条例 第16条 [V]",
    ),
    RuleSpec(
        "BANK_AGREEMENT",
        "合作银行协议有效",
        "与放款银行“%(bank)s”在 %(on)s 没有有效的合作协议",
        "No cooperation agreement with the lending bank %(bank)s is in force on %(on)s",
        Severity.BLOCK,
        (Stage.PRE_APPROVAL, Stage.PRE_ISSUE, Stage.PRE_DISBURSEMENT),
        check_bank_agreement,
        source="银行业金融机构与融资担保公司业务合作指引",
    ),
    RuleSpec(
        "BANK_CREDIT_LINE",
        "银行授信额度充足",
        "%(bank)s 合作协议 %(agreement)s：已用 %(used)s 元，加上本笔 %(amount)s 元将超过授信额度 %(limit)s 元，超出 %(excess)s 元",
        "%(bank)s agreement %(agreement)s: %(used)s yuan used; with this %(amount)s yuan the credit line of %(limit)s yuan "
        "is exceeded by %(excess)s yuan",
        Severity.BLOCK,
        (Stage.PRE_APPROVAL, Stage.PRE_ISSUE, Stage.PRE_DISBURSEMENT),
        check_bank_credit_line,
        source="合作协议",
    ),
    RuleSpec(
        "BANK_SINGLE_CAP",
        "不超过合作协议单笔上限",
        "担保金额 %(amount)s 元超过合作协议 %(agreement)s 的单笔上限 %(cap)s 元",
        "Amount %(amount)s yuan exceeds the single cap of %(cap)s yuan in agreement %(agreement)s",
        Severity.BLOCK,
        (Stage.PRE_APPROVAL, Stage.PRE_ISSUE, Stage.PRE_DISBURSEMENT),
        check_bank_single_cap,
        source="合作协议",
    ),
)


def register_all() -> None:
    for spec in SPECS:
        register(spec, replace=True)
