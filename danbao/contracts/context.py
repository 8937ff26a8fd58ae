"""The placeholder values of one contract: read from the project, its effective approved terms, the
product version, the dated contract parameters and, for counter-guarantee contracts, the subject."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from danbao.contracts import parameters
from danbao.contracts.subjects import ContractSubject
from danbao.core.money import amount_in_words, format_amount, to_money

IDENTITY_TYPE_WORDS = {"uscc": "统一社会信用代码", "ric": "居民身份证号码"}
FEE_BASIS_WORDS = {"annual": "年化费率，按年计收", "one_off": "一次性费率，签约时一次性收取"}


def fee_total(amount: Decimal, rate: Decimal, term_months: int, basis: str) -> Decimal:
    """The guarantee fee over the whole term as written in the entrusted contract.

    annual basis: amount × annual rate × term (months) ÷ 12; one-off basis: amount × rate.
    Rounded half-up to the cent. (The receivable schedule itself is the finance app's.)"""
    if basis == "one_off":
        return to_money(amount * rate)
    return to_money(amount * rate * Decimal(term_months) / Decimal(12))


def _percent(rate: Decimal | None) -> str:
    return f"{(rate or Decimal(0)) * 100:.2f}%"


def _lines(text: str) -> str:
    items = [line.strip().rstrip("；;。") for line in (text or "").splitlines() if line.strip()]
    return "；".join(items) if items else "无"


def _bank_name(terms: Any) -> str:
    bank = terms.branch or terms.bank
    if terms.branch and terms.bank and not terms.branch.name.startswith(terms.bank.name):
        return f"{terms.bank.name}{terms.branch.name}"
    return bank.name


def values_for(project: Any, terms: Any, *, number: str, on: date, subject: ContractSubject | None = None) -> dict[str, Any]:
    """Every catalogue placeholder's value for this contract (text values as strings; tables as rows)."""
    customer = project.customer
    version = project.product_version
    basis = getattr(version, "fee_basis", "annual")
    fee = fee_total(terms.amount, terms.fee_rate, terms.term_months, basis)
    bank = terms.branch or terms.bank
    values: dict[str, Any] = {
        "合同编号": number,
        "项目编号": project.number,
        "批复编号": project.approval_number or terms.letter_number or "",
        "担保人名称": parameters.value(parameters.INSTITUTION_NAME, on),
        "担保人住所": parameters.value(parameters.INSTITUTION_ADDRESS, on),
        "债务人名称": customer.name,
        "债务人证件类型": IDENTITY_TYPE_WORDS.get(customer.identity_type, customer.identity_type),
        "债务人证件号码": customer.identity_code or "",
        "债务人住所": customer.registered_address or customer.contact_address or "",
        "债务人法定代表人": customer.legal_rep_name or "/",
        "贷款银行": _bank_name(terms),
        "贷款银行住所": bank.address or "",
        "担保金额": format_amount(terms.amount),
        "担保金额大写": amount_in_words(terms.amount),
        "借款期限": str(terms.term_months),
        "借款用途": project.purpose,
        "还款方式": project.get_repayment_method_display(),
        "担保费率": _percent(terms.fee_rate),
        "收费方式": FEE_BASIS_WORDS.get(basis, basis),
        "担保费金额": format_amount(fee),
        "担保费金额大写": amount_in_words(fee),
        "评审费金额": format_amount(getattr(version, "review_fee_amount", 0) or 0),
        "保证金比例": _percent(getattr(version, "margin_ratio", 0)),
        "保证方式": "连带责任保证",
        "保证期间": parameters.guarantee_period_text(on),
        "反担保措施": _lines(terms.counter_guarantees),
        "前提条件": _lines(terms.conditions),
        "争议管辖": parameters.value(parameters.DISPUTE_CLAUSE, on),
        "生成日期": on.isoformat(),
        "反担保人名称": "",
        "反担保人证件号码": "",
        "反担保人住所": "",
        "担保物价值合计": "",
        "担保物价值合计大写": "",
        "抵押物清单": [],
        "质押物清单": [],
    }
    if subject is not None:
        context = subject.context or {}
        rows = [_row(row) for row in context.get("collateral", []) or []]
        total = sum((_value(row) for row in context.get("collateral", []) or []), Decimal(0))
        values.update(
            {
                "反担保人名称": subject.party_name,
                "反担保人证件号码": subject.party_id_code,
                "反担保人住所": str(context.get("party_address", "") or ""),
                "担保物价值合计": format_amount(total) if rows else "",
                "担保物价值合计大写": amount_in_words(total) if rows else "",
                "抵押物清单": rows,
                "质押物清单": rows,
            }
        )
    return values


def _value(row: dict[str, Any]) -> Decimal:
    raw = row.get("value")
    if raw in (None, ""):
        return Decimal(0)
    try:
        return Decimal(str(raw).replace(",", ""))
    except ArithmeticError:
        return Decimal(0)


def _row(row: dict[str, Any]) -> dict[str, str]:
    out = {key: str(row.get(key, "") or "") for key in ("name", "owner", "certificate", "location", "note")}
    raw = row.get("value")
    out["value"] = format_amount(_value(row)) if raw not in (None, "") else ""
    return out
