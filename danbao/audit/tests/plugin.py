"""pytest plugin (loaded by the root conftest): flushing the append-only table; the `audit_since` fixture.

Django empties the database after a transactional test (`live_server`, `transaction=True`) with
DELETE (SQLite) or TRUNCATE (PostgreSQL); the append-only triggers refuse both. Just before that
teardown the triggers are dropped, and right after it they are installed again, so every other test
runs against the protected table. Ordinary tests roll back and need nothing.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from pytest_django.plugin import blocking_manager_key


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: Any) -> Generator[None]:
    if not _transactional(item):
        yield
        return
    from django.db import connection

    from danbao.audit import triggers

    blocker = item.config.stash[blocking_manager_key]
    with blocker.unblock():
        triggers.drop(connection)
    yield
    # After the last test the session fixtures have already destroyed the test database (and the
    # connection points at the real one again): nothing to restore then.
    if nextitem is not None:
        with blocker.unblock():
            triggers.install(connection)


@pytest.fixture
def audit_since(db: Any) -> Any:
    """A marker of the newest audit event at set-up: `assert_one_event(..., since=audit_since)`."""
    from danbao.audit.tests.helpers import audit_mark

    return audit_mark()
