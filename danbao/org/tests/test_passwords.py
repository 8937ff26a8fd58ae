"""Password policy (SECURITY A.1–A.5): composition, length, hashing, history, temporary passwords."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import override

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org.services.passwords import generate_temporary_password, password_expired, password_set

GOOD = "Qingdao#River2026"


@pytest.mark.parametrize(
    ("candidate", "message"),
    [
        ("abc12345", "至少包含"),  # two classes only
        ("aaaaaaaaaaaa", "至少包含"),
        ("Password1234", "常见"),
        ("xOwner#2026x", "登录名"),
        ("abcdefgh1234", "至少包含"),  # 12 characters, two classes
        ("Ab1#", "至少"),  # too short
    ],
)
def test_weak_passwords_are_refused_with_a_specific_chinese_message(owner, candidate, message):
    before = owner.password
    with override("zh-hans"), pytest.raises(DomainError) as exc:
        password_set(user=owner, raw_password=candidate, actor=owner)
    assert exc.value.code == "org.password_invalid"
    assert message in exc.value.message
    owner.refresh_from_db()
    assert owner.password == before


def test_good_password_is_accepted_and_audited(owner):
    password_set(user=owner, raw_password=GOOD, actor=owner)
    owner.refresh_from_db()
    assert owner.check_password(GOOD)
    assert not owner.must_change_password
    event = AuditEvent.objects.get(event_type="account.password_changed")
    assert GOOD not in str(event.data)


def test_length_64_accepted_129_refused(owner, client):
    long_ok = ("Ab1#" * 16)[:64]
    password_set(user=owner, raw_password=long_ok, actor=owner)
    with override("zh-hans"), pytest.raises(DomainError) as exc:
        password_set(user=owner, raw_password="Ab1#" * 32 + "x", actor=owner)
    assert "128" in exc.value.message
    # The last character matters: no truncation.
    response = client.post("/accounts/login/", {"username": "owner", "password": long_ok[:-1] + "Z"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    client.post("/accounts/login/", {"username": "owner", "password": long_ok})
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_production_hasher_is_argon2():
    import importlib

    import danbao.settings as production

    importlib.reload(production)
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_last_five_passwords_cannot_be_reused(owner):
    used = [f"Harbour#{n}Lantern" for n in range(5)]
    for pw in used:
        password_set(user=owner, raw_password=pw, actor=owner)
    for pw in used:
        with pytest.raises(DomainError):
            password_set(user=owner, raw_password=pw, actor=owner)
    password_set(user=owner, raw_password="Harbour#9Lantern", actor=owner)


def test_temporary_password_must_be_changed_and_expires_within_24_hours(owner):
    temp = generate_temporary_password()
    password_set(user=owner, raw_password=temp, actor=None, temporary=True)
    owner.refresh_from_db()
    assert owner.must_change_password
    assert owner.temporary_password_expires_at <= timezone.now() + timedelta(hours=24)
    assert not password_expired(owner)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert password_expired(owner)


def test_password_older_than_policy_expires(owner):
    assert not password_expired(owner)
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert password_expired(owner)
