"""Test helpers for every app: "this action wrote exactly one audit event of this type" (SECURITY C.33).

    from danbao.audit.tests.helpers import assert_one_event, audit_mark

    mark = audit_mark()
    customer_void(actor=owner, customer=c, reason="dup")
    event = assert_one_event("customer.void", since=mark, actor_id=owner.pk, object_id=str(c.pk))

`fields` compare against the event's attributes; `data={...}` must be a subset of the event's data.
Without `since` every event in the test's database counts (each test runs in its own transaction).
The `audit_since` fixture (from danbao/audit/tests/plugin.py, available everywhere) gives a marker
taken when the fixture was set up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from danbao.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditMark:
    """The id of the newest event when the mark was taken."""

    last_id: int

    def events(self, event_type: str | None = None) -> list[AuditEvent]:
        queryset = AuditEvent.objects.filter(id__gt=self.last_id).order_by("id")
        if event_type is not None:
            queryset = queryset.filter(event_type=event_type)
        return list(queryset)


def audit_mark() -> AuditMark:
    return AuditMark(AuditEvent.objects.aggregate(newest=Max("id"))["newest"] or 0)


def assert_one_event(event_type: str, *, since: AuditMark | None = None, **fields: Any) -> AuditEvent:
    """Exactly one event of `event_type` since the mark, and it carries `fields`; returns it."""
    mark = since or AuditMark(0)
    found = mark.events(event_type)
    written = [e.event_type for e in mark.events()]
    assert len(found) == 1, f"expected exactly one {event_type!r} event, found {len(found)}; events written: {written}"
    event = found[0]
    expected_data = fields.pop("data", None)
    for name, expected in fields.items():
        actual = getattr(event, name)
        assert actual == expected, f"{event_type} event: {name} is {actual!r}, expected {expected!r}"
    if expected_data is not None:
        for key, expected in expected_data.items():
            assert event.data.get(key) == expected, f"{event_type} event: data[{key!r}] is {event.data.get(key)!r}, expected {expected!r}"
    return event


def assert_no_event(event_type: str, *, since: AuditMark | None = None) -> None:
    found = (since or AuditMark(0)).events(event_type)
    assert not found, f"expected no {event_type!r} event, found {len(found)}"
