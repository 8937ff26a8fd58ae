"""Context of the 360 tabs (called by the tab registry with the customer and the user)."""

from __future__ import annotations

import json
from typing import Any

from danbao.core.money import format_amount
from danbao.customers import selectors_extras as sel
from danbao.customers.calculations import HOUSEHOLD_RATIO_LABELS, HouseholdFigures, household_ratios
from danbao.customers.models import HouseholdStatement
from danbao.customers.models.customer import PERSON_KINDS
from danbao.customers.models.financials import FIGURE_FIELDS


def _pct(value: Any, key: str) -> str:
    if value is None:
        return "—"
    if key in ("current_ratio", "quick_ratio", "interest_coverage", "receivables_turnover", "inventory_turnover"):
        return f"{value:.2f}"
    return f"{value * 100:.2f}%"


def financials_context(customer: Any, user: Any) -> dict[str, Any]:
    trend = sel.ratio_trend(customer)
    periods = trend["periods"]
    chart = {
        "periods": [p["statement"].period_end.isoformat() for p in periods],
        "series": [
            {"name": row["label"], "data": [float(v) if v is not None else None for v in row["values"]]}
            for row in trend["rows"]
            if row["key"] in ("debt_to_asset", "gross_margin", "net_margin", "roe")
        ],
    }
    rows = [{**row, "shown": [_pct(v, row["key"]) for v in row["values"]]} for row in trend["rows"]]
    households = []
    if customer.kind in PERSON_KINDS:
        for h in HouseholdStatement.objects.filter(customer=customer).order_by("year"):
            figures = HouseholdFigures(h.annual_income_amount, h.annual_expenses_amount, h.total_assets_amount, h.total_liabilities_amount)
            ratios = household_ratios(figures)
            households.append(
                {
                    "row": h,
                    "net_income": figures.net_income_amount,
                    "net_worth": figures.net_worth_amount,
                    "ratios": [(str(HOUSEHOLD_RATIO_LABELS[k]), _pct(v, k)) for k, v in ratios.items()],
                }
            )
    statements = sel.statements_of(customer)
    return {
        "fin": {
            "customer": customer,
            "statements": statements,
            "periods": periods,
            "rows": rows,
            "chart": chart,
            "has_figures": any(getattr(s, n) is not None for s in statements for n in FIGURE_FIELDS),
            "households": households,
            "is_person": customer.kind in PERSON_KINDS,
            "can_manage": user.can("customers.statement.manage"),
        }
    }


def relations_context(customer: Any, user: Any) -> dict[str, Any]:
    graph = sel.group_graph(customer, user)
    return {
        "rel": {
            "customer": customer,
            "relations": sel.relations_of(customer, include_ended=True),
            "graph": graph,
            "graph_json": json.dumps(graph, ensure_ascii=False),
            "members": [c for c in sel.customer_group_members(customer)],
            "can_manage": user.can("customers.customer.manage"),
        }
    }


def screening_context(customer: Any, user: Any) -> dict[str, Any]:
    hits = sel.hits_of(customer)
    return {
        "scr": {
            "customer": customer,
            "hits": hits,
            "open_count": sum(1 for h in hits if h.status == "open"),
            "can_handle": user.can("customers.screening.handle"),
        }
    }


def credit_context(customer: Any, user: Any) -> dict[str, Any]:
    from danbao.customers.models import CreditConsent
    from danbao.customers.services_extras.credit import credit_summary

    summary = credit_summary(customer, sel.today())
    return {
        "cred": {
            "customer": customer,
            "summary": summary,
            "shown": {k: format_amount(v) for k, v in summary.items() if k in ("current_overdue", "external_guarantees", "loan_balance")},
            "reports": sel.credit_reports_of(customer),
            "consents": list(CreditConsent.objects.filter(customer=customer).order_by("-signed_on")),
            "today": sel.today(),
            "can_manage": user.can("customers.credit.manage"),
        }
    }
