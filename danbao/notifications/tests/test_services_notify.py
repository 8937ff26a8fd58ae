"""notify(): templates per kind, channels after commit, failures recorded without breaking the caller."""

from __future__ import annotations

import pytest
from django.core import mail

from danbao.core.errors import DomainError
from danbao.notifications.models import DeliveryState, MessageRecipient, MessageTemplate
from danbao.notifications.services import message_template_save, notify


def test_notify_uses_the_kind_default_text_and_sends_email_after_commit(owner, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = notify(
            users=[owner], kind="system.job_failed", context={"job": "nightly", "time": "02:00", "error": "timeout"}, link="/system/jobs/"
        )
        assert len(mail.outbox) == 0  # nothing leaves before the caller's transaction commits
    assert message is not None and message.sender is None
    assert "nightly" in message.title and "timeout" in message.body
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "nightly" in mail.outbox[0].subject
    row = MessageRecipient.objects.get(message=message, user=owner)
    assert row.deliveries["email"]["state"] == "sent"
    assert row.delivery_state == DeliveryState.SENT


def test_notify_prefers_the_administrators_template(sysadmin, owner, django_capture_on_commit_callbacks) -> None:
    message_template_save(
        actor=sysadmin,
        kind="account.locked",
        channel="in_app",
        subject="账户 {username} 已锁定",
        body="{name}，您的账户已锁定 {minutes} 分钟。",
    )
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(users=[owner], kind="account.locked", context={"username": "owner", "name": "王业务", "minutes": 30})
    assert message.title == "账户 owner 已锁定"
    assert message.body == "王业务，您的账户已锁定 30 分钟。"
    assert mail.outbox[0].subject == "账户 owner 已锁定"  # e-mail falls back to the in-app template


def test_failed_email_is_recorded_and_does_not_raise(org, django_capture_on_commit_callbacks) -> None:
    from danbao.org.tests.factories import UserFactory

    no_mail = UserFactory(username="nomail", email="", department=org.dept_a)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(users=[no_mail], kind="system.notice", context={"title": "通知", "body": "正文"})
    row = MessageRecipient.objects.get(message=message)
    assert row.deliveries["email"]["state"] == "failed"
    assert row.delivery_state == DeliveryState.FAILED
    assert row.read_at is None  # the in-app copy is there regardless


def test_notify_skips_inactive_users_and_unknown_kinds(org, owner) -> None:
    from danbao.org.tests.factories import UserFactory

    gone = UserFactory(username="gone", department=org.dept_a, is_active=False)
    assert notify(users=[gone], kind="system.notice", context={}) is None
    with pytest.raises(DomainError):
        notify(users=[owner], kind="no.such.kind", context={})


def test_sms_and_wecom_go_out_only_for_kinds_with_a_template(sysadmin, owner, settings, django_capture_on_commit_callbacks) -> None:
    settings.NOTIFICATIONS = {"CHANNELS": ["email", "sms", "wecom"]}  # log-only default providers
    owner.mobile = "13900000001"
    owner.save(update_fields=["mobile"])
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(users=[owner], kind="system.notice", context={"title": "t", "body": "b"})
    assert set(MessageRecipient.objects.get(message=first).deliveries) == {"email"}

    message_template_save(actor=sysadmin, kind="system.notice", channel="sms", subject="{title}", body="{body}")
    with django_capture_on_commit_callbacks(execute=True):
        second = notify(users=[owner], kind="system.notice", context={"title": "t", "body": "b"})
    row = MessageRecipient.objects.get(message=second)
    assert row.deliveries["sms"]["state"] == "sent" and row.deliveries["sms"]["detail"] == "logged"
    assert "wecom" not in row.deliveries


def test_template_save_is_audited_with_history_and_refuses_duplicates(sysadmin, owner) -> None:
    from danbao.audit.models import AuditEvent

    template = message_template_save(actor=sysadmin, kind="system.notice", channel="email", subject="{title}", body="{body}")
    message_template_save(
        actor=sysadmin, template=template, kind="system.notice", channel="email", subject="【通知】{title}", body="{body}"
    )
    assert MessageTemplate.objects.get(pk=template.pk).subject == "【通知】{title}"
    assert template.history.count() == 2
    changed = AuditEvent.objects.get(event_type="message_template.changed")
    assert changed.data["changed"] == ["subject"]
    with pytest.raises(DomainError) as exc:
        message_template_save(actor=sysadmin, kind="system.notice", channel="email", subject="x", body="y")
    assert exc.value.code == "notifications.template_duplicate"
    with pytest.raises(DomainError) as exc:
        message_template_save(actor=owner, kind="system.notice", channel="sms", subject="x", body="y")
    assert exc.value.code == "notifications.permission_denied"


def test_manual_messages_have_no_administrator_template(sysadmin) -> None:
    with pytest.raises(DomainError) as exc:
        message_template_save(actor=sysadmin, kind="manual", channel="in_app", subject="{title}", body="{body}")
    assert exc.value.code == "notifications.kind_unknown"
