"""Security notices: password changes and lockouts reach the user's inbox after commit, in-app only."""

from __future__ import annotations

from django.core import mail

from danbao.core.events import security_event
from danbao.notifications.models import MessageRecipient
from danbao.org.services.passwords import password_set


def test_password_change_puts_a_notice_in_the_inbox(owner, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        password_set(user=owner, raw_password="Xq7#mnbvLk2!", actor=owner)
    row = MessageRecipient.objects.get(user=owner, message__kind="account.password_changed")
    assert owner.username in row.message.body
    assert row.message.link == "/profile/" or row.message.link.startswith("/")
    assert row.deliveries == {}  # in-app only: no e-mail from the bridge
    assert len(mail.outbox) == 0


def test_lockout_notice_goes_to_the_existing_account_only(owner, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        security_event("auth.locked", result="failure", data={"username": "owner"})
        security_event("auth.locked", result="failure", data={"username": "no-such-login"})
    rows = MessageRecipient.objects.filter(message__kind="account.locked")
    assert [r.user_id for r in rows] == [owner.pk]


def test_notice_is_dropped_when_the_action_rolls_back(owner, django_capture_on_commit_callbacks) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                security_event("auth.locked", result="failure", data={"username": "owner"})
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert not MessageRecipient.objects.filter(message__kind="account.locked").exists()


def test_two_factor_changes_notify_the_user_without_secrets(owner, django_capture_on_commit_callbacks) -> None:
    from danbao.org.models import TOTPDevice
    from danbao.org.services import otp

    with django_capture_on_commit_callbacks(execute=True):
        otp.totp_setup_begin(actor=owner)
        security_event("account.otp_enabled", actor=owner, object_type="org.User", object_id=owner.pk)
        security_event("account.otp_disabled", actor=owner, object_type="org.User", object_id=owner.pk)
    bodies = [r.message.body for r in MessageRecipient.objects.filter(user=owner, message__kind="account.two_factor_changed")]
    assert len(bodies) == 2
    assert any("开启" in b or "turned on" in b for b in bodies)
    assert any("关闭" in b or "turned off" in b for b in bodies)
    seed = TOTPDevice.objects.get(user=owner).key
    assert all(seed not in b for b in bodies)
