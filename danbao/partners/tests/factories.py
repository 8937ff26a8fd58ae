"""Test helpers: banks, agreements (through the services, so only reachable states), exposures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from danbao.partners import services
from danbao.partners.models import Agreement, Bank
from danbao.regulatory.categories import GuaranteeClass
from danbao.regulatory.exposures import Exposure

_counter = {"n": 0}


def make_bank(code: str, name: str = "", parent: Bank | None = None) -> Bank:
    return services.bank_create(actor=None, code=code, name=name or f"{code} 银行", parent=parent)


def agreement_terms(**overrides: Any) -> dict[str, Any]:
    _counter["n"] += 1
    terms: dict[str, Any] = {
        "number": f"YD-T-{_counter['n']:04d}",
        "title": "测试合作协议",
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2027, 12, 31),
        "credit_line_amount": Decimal("100000000"),
        "single_cap_amount": Decimal("10000000"),
        "bank_share_rate": Decimal("0.2"),
        "margin_rate": Decimal("0"),
        "grace_days": 90,
        "payment_days": 30,
        "covers_principal": True,
        "covers_interest": True,
        "product_codes": ["NDB-GEN"],
    }
    terms.update(overrides)
    return terms


def make_agreement(bank: Bank, manager: Any, *, actor: Any = None, **overrides: Any) -> Agreement:
    """A draft agreement (the system as maker when actor is None)."""
    return services.agreement_create(actor=actor, bank=bank, manager=manager, **agreement_terms(**overrides))


def in_force(bank: Bank, manager: Any, *, today: date = date(2026, 6, 1), **overrides: Any) -> Agreement:
    """An agreement put in force by the system (demo-like, no maker-checker)."""
    return services.agreement_activate(actor=None, agreement=make_agreement(bank, manager, **overrides), today=today)


def exposure(key: str, balance: str, bank_code: str = "", channel_code: str = "", party: str = "某某农业公司") -> Exposure:
    return Exposure(
        key=key,
        party_key=f"P-{key}",
        party_name=party,
        guarantee_class=GuaranteeClass.values[0],
        loan_balance=Decimal(balance),
        bank_code=bank_code,
        channel_code=channel_code,
        product_code="NDB-GEN",
    )
