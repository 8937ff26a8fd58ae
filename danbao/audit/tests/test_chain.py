"""SECURITY C.37: the hash chain survives the database round-trip and exposes any tampering."""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import RequestFactory

from danbao.audit import triggers
from danbao.audit.chain import chain_verify
from danbao.audit.models import AuditEvent
from danbao.audit.services import GENESIS_HASH, compute_hash, event_record


def _verify() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit_chain", stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


@pytest.fixture
def chain(db, owner) -> list[AuditEvent]:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001", HTTP_USER_AGENT="测试浏览器/1.0")
    request.request_id = "abc123"
    events = [
        event_record("auth.login", request=request, actor=owner),
        event_record(
            "data.export",
            actor=owner,
            object_type="customer",
            object_id=42,
            data={"z": 1, "a": {"y": [3, 2, 1], "b": "中文"}, "amount": Decimal("1234567.89"), "rate": 0.1, "big": 1e20},
        ),
        event_record("auth.login_failed", actor_username="nobody", result="failure", reason="bad_password", data={"n": None}),
        event_record("access.denied", actor=owner, result="failure", reason="permission", data={"path": "/x/"}),
        event_record("auth.logout", actor=owner),
    ]
    return events


def test_empty_chain_verifies(db) -> None:
    ok, output = _verify()
    assert ok and "OK: 0 events verified" in output


def test_hashes_verify_after_the_database_round_trip(chain) -> None:
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.hash for e in stored] == [e.hash for e in chain]
    for event in stored:
        assert compute_hash(event) == event.hash
    assert stored[0].prev_hash == GENESIS_HASH
    assert stored[0].ip_address == "2001:db8::1"
    assert stored[1].data["amount"] == "1234567.89"
    ok, output = _verify()
    assert ok, output
    assert output.strip() == "OK: 5 events verified"


def test_changed_text_is_reported_with_the_exact_record(chain) -> None:
    target = chain[2]
    triggers.drop(connection)  # what a database owner could do; the test transaction restores it
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'ok' WHERE id = %s", [target.pk])
    ok, output = _verify()
    assert not ok
    broken = [line for line in output.splitlines() if line.startswith("BROKEN:")]
    assert broken == [
        f"BROKEN: id={target.pk} time={target.created_at.strftime('%Y-%m-%d %H:%M:%S.%f%z')} type=auth.login_failed: "
        "content does not match its hash (record altered)"
    ]
    assert "audit chain broken: 1 problem(s) in 5 events" in output


def test_changed_json_details_are_detected(chain) -> None:
    triggers.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"path": "/y/"}', chain[3].pk])
    report = chain_verify()
    assert [b.event_id for b in report.breaks] == [chain[3].pk]


def test_a_deleted_record_in_the_middle_is_detected(chain) -> None:
    triggers.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[2].pk])
    report = chain_verify()
    assert not report.ok
    assert [(b.event_id, b.event_type) for b in report.breaks] == [(chain[3].pk, "access.denied")]
    assert "removed" in report.breaks[0].problem


def test_deleting_the_newest_records_is_detected_through_the_head(chain) -> None:
    triggers.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[4].pk])
    report = chain_verify()
    assert report.breaks == []
    assert "newest records removed" in report.head_problem
    ok, output = _verify()
    assert not ok


def test_a_rehashed_forgery_is_still_caught_by_the_next_link(chain) -> None:
    """Recomputing the forged row's own hash does not help: the next row points at the old hash."""
    target = AuditEvent.objects.get(pk=chain[1].pk)
    target.reason = "forged"
    new_hash = compute_hash(target)
    triggers.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'forged', hash = %s WHERE id = %s", [new_hash, target.pk])
    report = chain_verify()
    assert [b.event_id for b in report.breaks] == [chain[2].pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises writers and proves nothing")
    event_record("system.start")
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(25):
                event_record("data.view", actor_username=f"worker{n}", object_id=i, data={"worker": n, "i": i})
        except BaseException as exc:  # noqa: BLE001  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = chain_verify()
    assert report.ok, [str(b) for b in report.breaks]
    assert report.count == 101
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == len(set(prev_hashes)) == 101
