"""event_record: fields, scrubbing of secrets and personal data, and audit failure = business failure."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import transaction
from django.test import RequestFactory

from danbao.audit.models import AuditEvent
from danbao.audit.services import event_record
from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.events import security_event


def test_event_carries_actor_roles_request_and_object(owner) -> None:
    request = RequestFactory().get("/x/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0")
    request.request_id = "req0001"
    request.user = owner
    security_event("customer.update", request=request, object_type="customer", object_id=7, data={"before": "a", "after": "b"})
    event = assert_one_event(
        "customer.update",
        actor_id=owner.pk,
        actor_username="owner",
        actor_name="王业务",
        actor_roles="business_manager",
        ip_address="10.1.2.3",
        user_agent="Mozilla/5.0",
        request_id="req0001",
        object_type="customer",
        object_id="7",
        result="success",
    )
    assert event.created_at.utcoffset().total_seconds() == 0  # stored in UTC, shown in Asia/Shanghai


def test_secrets_are_masked_at_any_depth(db) -> None:
    event = event_record(
        "auth.login_failed",
        actor_username="x",
        data={
            "password": "S3cret-Pass!",
            "form": {"new_password1": "S3cret-Pass!", "otp_code": "123456", "api_key": "ak_live_abc", "name": "张三"},
            "items": [{"client_secret": "zzz"}],
            "token": "",
        },
    )
    event.refresh_from_db()
    assert event.data == {
        "password": "***",
        "form": {"new_password1": "***", "otp_code": "***", "api_key": "***", "name": "张三"},
        "items": [{"client_secret": "***"}],
        "token": "",
    }
    stored = str(AuditEvent.objects.values_list("data", flat=True).get(pk=event.pk))
    for secret in ("S3cret-Pass!", "123456", "ak_live_abc", "zzz"):
        assert secret not in stored


def test_id_and_card_numbers_in_free_text_are_masked(db) -> None:
    event = event_record("customer.view", data={"note": "身份证 110101199003074578 卡号 6222021234567890123", "amount": "1234567.89"})
    assert event.data["note"] == "身份证 1101**********4578 卡号 6222***********0123"
    assert event.data["amount"] == "1234567.89"


def test_a_newline_in_the_login_name_cannot_forge_a_second_line(db) -> None:
    event = event_record("auth.login_failed", actor_username="mallory\n2026-01-01 INFO auth.login admin", result="failure")
    event.refresh_from_db()
    assert "\n" not in event.actor_username
    assert event.actor_username == "mallory?2026-01-01 INFO auth.login admin"
    assert "\n" not in event.reason and "\r" not in str(event)


def test_long_and_odd_values_are_cut_to_the_column(db) -> None:
    event = event_record("x" * 100, object_id="9" * 100, reason="r\r\n" * 40, data={"v": "a\x00b"})
    event.refresh_from_db()
    assert len(event.event_type) == 64 and len(event.object_id) == 64 and len(event.reason) == 64
    assert event.data == {"v": "ab"}


def test_audit_failure_rolls_the_business_write_back(org, monkeypatch) -> None:
    """SECURITY C.38: the writer raising inside the caller's transaction aborts the whole action."""

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("audit store unavailable")

    department = apps.get_model("org", "Department")  # audit sits below org: no import of it
    monkeypatch.setattr(AuditEvent, "save", broken_save)
    with pytest.raises(RuntimeError, match="audit store unavailable"):
        with transaction.atomic():
            department.objects.create(code="NEW1", name="新设部门", parent=org.head_office)
            security_event("org.dept_create", object_type="department", object_id="NEW1")
    assert not department.objects.filter(code="NEW1").exists()
    assert not department.history.filter(code="NEW1").exists()
    assert_no_event("org.dept_create")


def test_helpers_count_only_events_since_the_mark(db) -> None:
    security_event("auth.login", actor_username="a")
    mark = audit_mark()
    security_event("auth.login", actor_username="b", data={"method": "password"})
    event = assert_one_event("auth.login", since=mark, actor_username="b", data={"method": "password"})
    assert event.actor_username == "b"
    with pytest.raises(AssertionError, match="exactly one"):
        assert_one_event("auth.login")
    with pytest.raises(AssertionError, match="actor_username"):
        assert_one_event("auth.login", since=mark, actor_username="a")
    with pytest.raises(AssertionError, match="method"):
        assert_one_event("auth.login", since=mark, data={"method": "otp"})


def test_audit_since_fixture(audit_since) -> None:
    security_event("auth.logout", actor_username="c")
    assert [e.event_type for e in audit_since.events()] == ["auth.logout"]


def test_audit_failure_during_a_page_request_fails_the_request(client_for, auditadmin, monkeypatch) -> None:
    """The user gets the error page, not a silently unaudited action."""

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("audit store unavailable")

    client = client_for(auditadmin)
    client.raise_request_exception = False
    monkeypatch.setattr(AuditEvent, "save", broken_save)
    response = client.get("/audit/events/", {"q": "someone"})
    assert response.status_code == 500
