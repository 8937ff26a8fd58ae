"""SECURITY C.36: audit events cannot be changed or removed, by the ORM or by raw SQL."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from danbao.audit import triggers
from danbao.audit.models import AuditEvent
from danbao.core.events import security_event


@pytest.fixture
def event(db) -> AuditEvent:
    security_event("auth.login", actor_username="owner", data={"note": "first"})
    security_event("auth.logout", actor_username="owner")
    return AuditEvent.objects.order_by("id").first()


def test_triggers_are_installed_by_the_migrations(db) -> None:
    assert triggers.installed(connection)


def test_queryset_update_and_delete_are_refused(event) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(reason="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_saving_or_deleting_an_existing_event_is_refused(event) -> None:
    event.reason = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    event.refresh_from_db()
    assert event.reason == ""


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'forged' WHERE id = %s",
        "UPDATE audit_auditevent SET data = '{}'",
        "DELETE FROM audit_auditevent WHERE id = %s",
        "DELETE FROM audit_auditevent",
    ],
)
def test_raw_sql_with_the_app_connection_is_aborted_by_the_trigger(event, sql) -> None:
    params = [event.pk] if "%s" in sql else []
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    event.refresh_from_db()
    assert event.reason == "" and event.data == {"note": "first"}
    assert AuditEvent.objects.count() == 2


@pytest.mark.postgres
def test_truncate_is_refused_on_postgres(event) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 2


@pytest.mark.postgres
def test_postgres_trigger_fires_for_update_and_delete(event) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal ORDER BY tgname")
        assert [row[0] for row in cursor.fetchall()] == ["audit_event_no_change", "audit_event_no_truncate"]
    for sql in ("UPDATE audit_auditevent SET actor_username = 'x'", "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk] if "%s" in sql else [])


def test_the_chain_head_is_not_protected(event) -> None:
    # The head is the writers' lock and pointer; writers update it on every event.
    from danbao.audit.models import AuditChainHead

    assert AuditChainHead.objects.get(pk=1).count == 2


@pytest.mark.parametrize("command", ["clean_old_history", "clean_duplicate_history"])
def test_history_cleanup_commands_refuse(db, command) -> None:
    with pytest.raises(CommandError, match="never deleted"):
        call_command(command, "--auto", days=1)


def test_history_cleanup_commands_are_ours(db) -> None:
    from django.core.management import get_commands

    assert get_commands()["clean_old_history"] == "danbao.audit"
    assert get_commands()["clean_duplicate_history"] == "danbao.audit"


def test_retention_events_aged_179_and_181_days_are_both_kept(event) -> None:
    """SECURITY C.39: there is no purge; old events survive every command that could clean up."""
    from datetime import timedelta

    from django.utils import timezone

    field = AuditEvent._meta.get_field("created_at")
    older = AuditEvent.objects.order_by("id").last()
    triggers.drop(connection)  # back-dating needs the owner's rights; the test transaction restores it
    with connection.cursor() as cursor:
        for obj, days in ((event, 179), (older, 181)):
            value = field.get_db_prep_value(timezone.now() - timedelta(days=days), connection)
            cursor.execute("UPDATE audit_auditevent SET created_at = %s WHERE id = %s", [value, obj.pk])
    triggers.install(connection)
    for command in ("clean_old_history", "clean_duplicate_history"):
        with pytest.raises(CommandError):
            call_command(command, "--auto", days=1)
    assert AuditEvent.objects.filter(pk__in=[event.pk, older.pk]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_transactional_test_writes_events_then_flushes() -> None:
    """The test plugin drops the triggers for Django's flush after this test and reinstalls them."""
    security_event("auth.login", actor_username="flush-me")
    assert triggers.installed(connection)


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_table_is_empty_and_protected_again() -> None:
    assert not AuditEvent.objects.filter(actor_username="flush-me").exists()
    assert triggers.installed(connection)
    security_event("auth.login", actor_username="second")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")
