"""System-app fixtures: a clean cache per test (the calendar, dictionaries and parameters are cached)."""

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def events(event_type: str) -> list[Any]:
    from danbao.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))
