"""Demo step "regulatory" (order 50): twelve months of finance figures entered by the demo finance
user through the service (net assets about 6亿元); months already present are left alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from danbao.regulatory.models import FinanceInput
from danbao.regulatory.services import finance_input_save

M = Decimal(1_000_000)  # 百万元


def _months(today: date, count: int = 12) -> list[date]:
    """The `count` months ending with last month, oldest first."""
    year, month = today.year, today.month
    result = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        result.append(date(year, month, 1))
    return list(reversed(result))


def figures(index: int, period: date) -> dict[str, Decimal]:
    """Plausible month-end figures; `index` 0..11 moves them gently month by month."""
    m = Decimal(period.month)  # months elapsed in the year, for year-to-date flows
    i = Decimal(index)
    level1 = {
        "cash_and_deposits_amount": 372 * M + i * Decimal("2.5") * M,
        "margin_deposits_amount": 118 * M + i * M,
        "money_market_funds_amount": 15 * M,
        "gov_and_financial_bonds_amount": 40 * M,
        "wmp_short_amount": 60 * M,
        "bonds_aaa_amount": 10 * M,
        "other_monetary_funds_amount": 3 * M,
    }
    level2 = {
        "wmp_other_amount": 80 * M,
        "bonds_aa_amount": 30 * M,
        "client_equity_amount": 10 * M,
        "client_entrusted_loans_short_amount": 5 * M,
        "self_use_property_amount": 45 * M,
    }
    level3 = {
        "other_equity_amount": 6 * M,
        "bonds_low_amount": 2 * M,
        "trust_and_am_products_amount": 20 * M,
        "other_entrusted_loans_amount": 0 * M,
        "non_self_use_property_amount": 8 * M,
        "other_receivables_amount": 14 * M,
    }
    comp_receivable = 33 * M + i * Decimal("0.4") * M
    entrusted = 50 * M
    equity_in_guarantors = 20 * M
    levels = sum(level1.values(), Decimal(0)) + sum(level2.values(), Decimal(0)) + sum(level3.values(), Decimal(0))
    return {
        "net_assets_amount": 586 * M + i * Decimal("1.6") * M,
        "equity_in_guarantors_amount": equity_in_guarantors,
        "total_assets_amount": levels + equity_in_guarantors + comp_receivable + entrusted,
        "comp_receivable_amount": comp_receivable,
        "entrusted_gov_funds_amount": entrusted,
        **level1,
        **level2,
        **level3,
        "fee_income_ytd_amount": m * Decimal("3.2") * M,
        "comp_reserve_opening_amount": 48 * M,
        "comp_reserve_used_ytd_amount": m * Decimal("0.2") * M,
        "released_ytd_amount": m * 110 * M,
        "compensated_ytd_amount": m * Decimal("2.1") * M,
        "recovered_ytd_amount": m * Decimal("0.6") * M,
        "loss_ytd_amount": m * Decimal("0.15") * M,
        "released_total_amount": 9_800 * M + i * 110 * M,
        "compensated_total_amount": 196 * M + i * Decimal("2.1") * M,
        "recovered_total_amount": 71 * M + i * Decimal("0.6") * M,
        "loss_total_amount": 23 * M + i * Decimal("0.15") * M,
    }


def seed(today: date | None = None) -> str:
    from danbao.org.models import User

    actor = User.objects.filter(username="finance").first()
    if actor is None or not actor.can("regulatory.inputs.manage"):
        return "skipped (demo finance user missing)"
    months = _months(today or timezone.localdate())
    existing = set(FinanceInput.objects.filter(period__in=months).values_list("period", flat=True))
    created = 0
    for index, period in enumerate(months):
        if period in existing:
            continue
        finance_input_save(actor=actor, period=period, amounts=figures(index, period), note="演示数据")
        created += 1
    return f"{created} months of finance figures created, {len(months) - created} already present"
