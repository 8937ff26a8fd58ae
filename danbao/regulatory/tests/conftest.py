"""Regulatory fixtures: the parameter catalogue, a finance user, an exposure source tests fill."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from danbao.regulatory import exposures

ON = date(2026, 10, 31)
WAN = Decimal(10000)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db: Any) -> None:
    from danbao.system.seeds import ensure_parameters

    ensure_parameters()


def _user(org: Any, username: str, role: str, real_name: str) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username=username, department=org.head_office, roles=[org.roles[role]], real_name=real_name)


@pytest.fixture
def finance(org: Any) -> Any:
    return _user(org, "finance", "finance", "何财务")


@pytest.fixture
def gm(org: Any) -> Any:
    return _user(org, "gm", "general_manager", "杨总")


@pytest.fixture
def book() -> Iterator[list[exposures.Exposure]]:
    """A registered exposure source returning this list (emptied and unregistered after the test)."""
    items: list[exposures.Exposure] = []
    exposures.register_source("test-book", lambda on: list(items))
    yield items
    exposures.sources._entries.pop("test-book", None)


def amounts(**overrides: Any) -> dict[str, Decimal]:
    """Finance figures in 万元 given as keyword arguments without the `_amount` suffix."""
    from danbao.regulatory.models import AMOUNT_FIELDS

    result = {name: Decimal(0) for name in AMOUNT_FIELDS}
    for key, value in overrides.items():
        result[f"{key}_amount"] = Decimal(value) * WAN
    return result
