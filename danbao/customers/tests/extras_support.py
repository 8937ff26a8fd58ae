"""Helpers for the statement, related-party, screening and credit tests: customers made directly
(valid codes, in the manager's department), independent of the profile services."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from danbao.customers.identity import ric_check_char, uscc_check_char
from danbao.customers.models import Customer

_seq = itertools.count(1)


def uscc(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    body8 = f"{n:08d}"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    value = 11 - sum(int(c) * w for c, w in zip(body8, weights, strict=True)) % 11
    check = {10: "X", 11: "0"}.get(value, str(value))
    if check == "X":
        return uscc()
    body = "91430102" + body8 + check
    return body + uscc_check_char(body)


def ric(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    body = f"110105198{n % 10}0101{n % 1000:03d}"
    return body + ric_check_char(body)


def customer(manager: Any, name: str = "长沙金禾农业科技有限公司", *, kind: str = "enterprise", code: str | None = None) -> Customer:
    person = kind in ("natural_person", "farmer")
    return Customer.objects.create(
        kind=kind,
        name=name,
        identity_type="ric" if person else "uscc",
        identity_code=code or (ric() if person else uscc()),
        department=manager.department,
        manager=manager,
    )


BALANCED = {
    "cash_amount": Decimal("100"),
    "accounts_receivable_amount": Decimal("200"),
    "inventory_amount": Decimal("300"),
    "current_assets_amount": Decimal("700"),
    "fixed_assets_amount": Decimal("300"),
    "total_assets_amount": Decimal("1000"),
    "current_liabilities_amount": Decimal("400"),
    "total_liabilities_amount": Decimal("600"),
    "equity_amount": Decimal("400"),
    "revenue_amount": Decimal("2000"),
    "cost_of_sales_amount": Decimal("1500"),
    "net_profit_amount": Decimal("100"),
    "interest_expense_amount": Decimal("20"),
    "profit_before_tax_amount": Decimal("130"),
    "operating_cash_flow_amount": Decimal("60"),
}
