"""Demo data of the parts hanging off a customer (idempotent): three years of annual statements for
enterprises, related parties forming a few groups, an internal blacklist and a few screening hits."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from danbao.core.crypto import blind_index
from danbao.customers.models import Customer, FinancialStatement, RelatedParty, WatchList, WatchListEntry
from danbao.customers.models.customer import CustomerKind
from danbao.customers.services_extras.screening import INTERNAL_LIST_NAME, normalise_name, rescreen_everything

YEARS = (2022, 2023, 2024)
CONTROLLERS = ["刘建国", "陈志强", "杨秀英", "黄明辉", "周丽华"]


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, -2))).quantize(Decimal("0.01"))


def _statements(customer: Customer) -> int:
    rng = random.Random(customer.pk * 7919)  # noqa: S311 - demo data
    assets = rng.uniform(2e6, 6e7)
    created = 0
    for year in YEARS:
        assets *= rng.uniform(0.95, 1.2)
        debt_ratio = rng.uniform(0.35, 0.75)
        liabilities = assets * debt_ratio
        current_assets = assets * rng.uniform(0.45, 0.75)
        inventory = current_assets * rng.uniform(0.15, 0.4)
        receivables = current_assets * rng.uniform(0.2, 0.4)
        cash = current_assets - inventory - receivables - current_assets * rng.uniform(0.02, 0.1)
        revenue = assets * rng.uniform(0.6, 1.8)
        cost = revenue * rng.uniform(0.65, 0.88)
        interest = liabilities * rng.uniform(0.02, 0.05)
        pbt = (revenue - cost) * rng.uniform(0.2, 0.5) - interest
        figures = {
            "cash_amount": cash,
            "accounts_receivable_amount": receivables,
            "inventory_amount": inventory,
            "current_assets_amount": current_assets,
            "fixed_assets_amount": assets - current_assets,
            "total_assets_amount": assets,
            "short_term_loans_amount": liabilities * 0.4,
            "accounts_payable_amount": liabilities * 0.25,
            "current_liabilities_amount": liabilities * 0.75,
            "long_term_loans_amount": liabilities * 0.2,
            "total_liabilities_amount": liabilities,
            "revenue_amount": revenue,
            "cost_of_sales_amount": cost,
            "operating_profit_amount": pbt + interest,
            "interest_expense_amount": interest,
            "profit_before_tax_amount": pbt,
            "net_profit_amount": pbt * 0.75 if pbt > 0 else pbt,
            "operating_cash_flow_amount": revenue * rng.uniform(-0.02, 0.12),
            "investing_cash_flow_amount": -assets * rng.uniform(0.01, 0.08),
            "financing_cash_flow_amount": assets * rng.uniform(-0.05, 0.05),
        }
        values = {k: _money(v) for k, v in figures.items()}
        values["equity_amount"] = values["total_assets_amount"] - values["total_liabilities_amount"]
        _obj, new = FinancialStatement.objects.get_or_create(
            customer=customer,
            period_type=FinancialStatement.PeriodType.ANNUAL,
            period_end=date(year, 12, 31),
            defaults={**values, "audited": year < 2024 and rng.random() < 0.5, "auditor": "湖南天平会计师事务所"},
        )
        created += new
    return created


def _relation(customer: Customer, kind: str, **fields: object) -> int:
    lookup = {"customer": customer, "kind": kind}
    if "party_customer" in fields:
        lookup["party_customer"] = fields["party_customer"]
    else:
        lookup["party_name"] = fields["party_name"]
    _obj, new = RelatedParty.objects.get_or_create(**lookup, defaults=fields)
    return int(new)


@transaction.atomic
def seed() -> str:
    enterprises = list(Customer.objects.filter(kind=CustomerKind.ENTERPRISE).order_by("pk")[:120])
    statements = sum(_statements(c) for c in enterprises)
    relations = 0
    # Groups: each controller controls three enterprises; the first holds 60 % of a fourth.
    for i, controller in enumerate(CONTROLLERS):
        members = enterprises[i * 4 : i * 4 + 4]
        if len(members) < 4:
            break
        for c in members[:3]:
            relations += _relation(c, RelatedParty.Kind.ACTUAL_CONTROLLER, party_type="person", party_name=controller)
        relations += _relation(
            members[3], RelatedParty.Kind.SHAREHOLDER, party_customer=members[0], party_type="company", share_percent=Decimal("60")
        )
        relations += _relation(members[0], RelatedParty.Kind.LEGAL_REPRESENTATIVE, party_type="person", party_name=controller)
    # A minority shareholding below the threshold (no group) and a spouse.
    if len(enterprises) > 22:
        relations += _relation(
            enterprises[21],
            RelatedParty.Kind.SHAREHOLDER,
            party_customer=enterprises[22],
            party_type="company",
            share_percent=Decimal("20"),
        )
        relations += _relation(enterprises[20], RelatedParty.Kind.SPOUSE, party_type="person", party_name="王淑芬")
    # Internal blacklist: two customers' names and one controller.
    wl, _ = WatchList.objects.get_or_create(name=INTERNAL_LIST_NAME, defaults={"source": WatchList.Source.INTERNAL})
    listed = [(c.name, c.identity_code, "曾在我司代偿后拒不履行追偿义务") for c in enterprises[30:32]]
    listed.append((CONTROLLERS[1], "", "涉嫌虚构贸易背景骗取担保"))
    for name, code, reason in listed:
        WatchListEntry.objects.get_or_create(
            watch_list=wl,
            name_normalised=normalise_name(name),
            id_index=blind_index(code) if code else "",
            defaults={"name": name, "reason": reason, "id_code": code},
        )
    counts = rescreen_everything()
    return f"{statements} statements, {relations} relations, {counts['hits']} new screening hits"
