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
