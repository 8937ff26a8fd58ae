"""Rules test helpers: the catalogue and parameters installed, products made by the product services,
inputs with sensible defaults, and "which rules fired"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.products.tests.support import published
from danbao.regulatory import exposures
from danbao.rules.inputs import RuleInput
from danbao.rules.services import rules_ensure, rules_trial

ON = date(2026, 6, 1)


@pytest.fixture
def catalogue(params: Any) -> None:
    rules_ensure()


@pytest.fixture
def book() -> Any:
    """Register an in-force exposure source for one test; yields the list to fill."""
    rows: list[exposures.Exposure] = []
    exposures.register_source("rules-test", lambda on: list(rows))
    yield rows
    exposures.sources._entries.pop("rules-test", None)


def exposure(party_key: str, balance: str, key: str = "g:1", **kw: Any) -> exposures.Exposure:
    return exposures.Exposure(key=key, party_key=party_key, party_name="户", guarantee_class="loan", loan_balance=D(balance), **kw)


def make_input(version: Any, **kw: Any) -> RuleInput:
    data: dict[str, Any] = {
        "stage": "pre_approval",
        "on": ON,
        "amount": D("1000000"),
        "term_months": 12,
        "fee_rate": None,
        "product_version": version,
        "customer_kind": version.customer_kinds[0] if version is not None else "enterprise",
    }
    data.update(kw)
    return RuleInput(**data)


def fired(inp: RuleInput) -> set[str]:
    return {h["code"] for h in rules_trial(actor=None, rule_input=inp).hits}


def product_version(**overrides: Any) -> Any:
    code = overrides.pop("code", "T-1")
    return published(code=code, **overrides).versions.get(number=1)
