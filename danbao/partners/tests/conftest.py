"""Partners fixtures: a general manager, a chairman and a finance user besides the root cast, and a
fake in-force book (`book`) registered as an exposure source for the test only."""

from __future__ import annotations

from typing import Any

import pytest


def _user(org: Any, username: str, *roles: str, **extra: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username=username, department=org.head_office, roles=[org.roles[r] for r in roles], **extra)


@pytest.fixture
def gm(org: Any) -> Any:
    return _user(org, "gm", "general_manager", real_name="杨总经理")


@pytest.fixture
def chairman(org: Any) -> Any:
    return _user(org, "chairman", "chairman", real_name="徐董事长")


@pytest.fixture
def finance(org: Any) -> Any:
    return _user(org, "finance", "finance", real_name="何财务")


@pytest.fixture
def book(monkeypatch: Any) -> list[Any]:
    """A list of Exposure rows the in-force book returns for any date; append to it in the test."""
    from danbao.regulatory import exposures

    rows: list[Any] = []
    monkeypatch.setitem(exposures.sources._entries, "partners-test", lambda on: list(rows))
    return rows


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Dated parameters are cached; a value set by one test must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
