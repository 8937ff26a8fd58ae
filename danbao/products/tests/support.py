"""Test helpers for products: a general manager, valid terms, a published product built by the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.products.models import Product
from danbao.products.services import MaterialItem, product_create, product_version_publish

START = date(2025, 3, 1)


def terms(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "business_type": "loan",
        "guarantee_class": "loan",
        "loan_kind": "small_micro",
        "is_policy": False,
        "customer_kinds": ["enterprise", "individual_business"],
        "amount_min": D("100000"),
        "amount_max": D("5000000"),
        "term_min_months": 3,
        "term_max_months": 12,
        "industries": [],
        "regions": [],
        "fee_rate_min": D("0.005"),
        "fee_rate_max": D("0.01"),
        "fee_rate_default": D("0.008"),
        "fee_basis": "annual",
        "review_fee_amount": D("0"),
        "margin_ratio": D("0"),
        "bank_share": D("0.2"),
        "reguarantor_share": D("0.2"),
        "fund_share": D("0.2"),
        "gov_pool_share": D("0"),
        "monitoring_days": {"01": 90, "02": 30},
        "effective_from": START,
        "effective_to": None,
        "change_note": "首版",
    }
    base.update(overrides)
    return base


def published(actor: Any = None, code: str = "T-1", name: str = "测试产品", **overrides: Any) -> Product:
    """A product with version 1 published, built through the services."""
    values = terms(**overrides)
    materials = [MaterialItem(values["customer_kinds"][0], "营业执照")]
    product = product_create(actor=actor, code=code, name=name, terms=values, materials=materials)
    product_version_publish(actor=actor, version=product.versions.get(number=1))
    product.refresh_from_db()
    return product


@pytest.fixture
def gm(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="gm", department=org.head_office, roles=[org.roles["general_manager"]], real_name="杨总")


@pytest.fixture
def params(db: Any) -> None:
    """The dated system parameters (gov fee caps, 农担 range …) as seeded for every installation."""
    from danbao.system.seeds import ensure_dictionaries, ensure_parameters

    ensure_dictionaries()
    ensure_parameters()
