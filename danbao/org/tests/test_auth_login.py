"""Sign-in (SECURITY A.6, A.7, A.11, A.13, A.16, A.17): login log, lockout, IP throttling, refusals."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org import lockout
from danbao.org.models import UserSession
from danbao.org.services.auth import account_unlock
from danbao.org.tests.factories import DEFAULT_PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _events(kind):
    return list(AuditEvent.objects.filter(event_type=kind).order_by("id"))


def _fail(client, username="owner", ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": "Wrong#Password1"}, REMOTE_ADDR=ip)


def test_login_success_tracks_the_session_and_writes_one_event(client, owner):
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    response = client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD}, HTTP_USER_AGENT="Firefox/140")
    assert response.status_code == 302 and response["Location"] == reverse("core:workbench")
    key = client.session.session_key
    assert key != "attacker-chosen-session-id"  # session fixation (A.11)
    tracked = UserSession.objects.get(session_key=key)
    assert tracked.user == owner and tracked.user_agent == "Firefox/140"
    [event] = _events("auth.login")
    assert event.actor_username == "owner"


def test_wrong_password_and_unknown_user_look_identical(client, owner):
    wrong = _fail(client, "owner")
    unknown = _fail(client, "no-such-user")
    assert wrong.status_code == unknown.status_code == 200
    assert "登录名或密码不正确" in wrong.content.decode()

    def body(response):
        text = response.content.decode().replace("no-such-user", "owner")
        return re.sub(r'(X-CSRFToken": "|value="|nonce=")[^"]*"', "", text)  # per-request tokens

    assert body(wrong) == body(unknown)
    events = _events("auth.login_failed")
    assert [e.reason for e in events] == ["bad_credentials", "bad_credentials"]
    assert [e.data["username"] for e in events] == ["owner", "no-such-user"]
    assert all("Wrong#Password1" not in str(e.data) for e in events)


def test_five_failures_lock_the_account_and_the_right_password_is_refused(client, owner):
    for _ in range(4):
        assert _fail(client).status_code == 200
    fifth = _fail(client)
    assert fifth.status_code == 403
    assert 'data-testid="locked-out"' in fifth.content.decode()
    until = lockout.is_locked(owner)
    assert until is not None
    hhmm = timezone.localtime(until).strftime("%H:%M")
    assert hhmm in fifth.content.decode()
    assert len(_events("auth.locked")) == 1
    sixth = client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD})
    assert sixth.status_code == 403 and hhmm in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    assert _events("auth.login_failed")[-1].reason == "locked"
    # After the lockout period the right password works again.
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert lockout.is_locked(owner) is None
        response = client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD})
        assert response.status_code == 302


def test_unknown_user_is_locked_the_same_way(client, org):
    for _ in range(5):
        response = _fail(client, "ghost")
    assert response.status_code == 403 and 'data-testid="locked-out"' in response.content.decode()


def test_success_resets_the_failure_counter(client, owner):
    for _ in range(4):
        _fail(client)
    client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD})
    client.post(reverse("org:logout"))
    for _ in range(4):
        assert _fail(client).status_code == 200
    assert lockout.is_locked(owner) is None


def test_ip_is_throttled_after_20_failures_across_usernames(client, org):
    for n in range(20):
        _fail(client, f"user-{n}", ip="10.9.9.9")
    response = client.post(LOGIN, {"username": "someone", "password": "x"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert _events("auth.login_failed")[-1].reason == "ip_throttled"
    # Another address is not affected.
    assert _fail(client, "someone", ip="10.9.9.10").status_code == 200


def test_disabled_account_cannot_sign_in(client, owner):
    owner.is_active = False
    owner.save()
    response = client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "已停用" in response.content.decode()
    assert _events("auth.login_failed")[-1].reason == "disabled"


def test_account_past_valid_until_cannot_sign_in(client, owner):
    owner.valid_until = timezone.localdate() - timedelta(days=1)
    owner.save()
    response = client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "有效期" in response.content.decode()
    assert _events("auth.login_failed")[-1].reason == "expired"


def test_superuser_cannot_sign_in_in_production(client, owner, settings):
    owner.is_superuser = True
    owner.save()
    settings.DEBUG = False
    client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert _events("auth.login_failed")[-1].reason == "superuser"


def test_logout_ends_the_session_for_good(client, owner):
    client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD})
    old_cookie = client.cookies["sessionid"].value
    client.post(reverse("org:logout"))
    assert UserSession.objects.get(session_key=old_cookie).end_reason == "logout"
    assert len(_events("auth.logout")) == 1
    client.cookies["sessionid"] = old_cookie
    response = client.get(reverse("org:profile"))
    assert response.status_code == 302 and reverse("org:login") in response["Location"]


def test_login_page_renders_in_both_languages(client, org):
    zh = client.get(LOGIN).content.decode()
    assert 'data-testid="login-form"' in zh and 'data-testid="login-submit"' in zh and "登录" in zh
    client.cookies["django_language"] = "en"
    en = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="login-form"' in en


# ---------------------------------------------------------------- unlock


def _lock(client, username="owner"):
    for _ in range(5):
        _fail(client, username)


def test_unlock_service_lifts_the_lock_and_is_audited(client, owner, secadmin):
    _lock(client)
    account_unlock(actor=secadmin, user=owner)
    assert lockout.is_locked(owner) is None
    [event] = _events("auth.unlocked")
    assert event.actor_username == "secadmin" and event.object_id == str(owner.pk)
    assert client.post(LOGIN, {"username": "owner", "password": DEFAULT_PASSWORD}).status_code == 302


def test_unlock_refusals(client, owner, secadmin, colleague):
    with pytest.raises(DomainError) as exc:
        account_unlock(actor=secadmin, user=owner)
    assert exc.value.code == "org.not_locked"
    _lock(client)
    with pytest.raises(DomainError) as exc:
        account_unlock(actor=colleague, user=owner)
    assert exc.value.code == "org.permission_denied"


@pytest.mark.parametrize(("who", "status"), [("secadmin", 302), ("sysadmin", 302), ("auditadmin", 403), ("colleague", 403)])
def test_unlock_view_permissions(client, client_for, owner, request, who, status):
    _lock(client)
    actor = request.getfixturevalue(who)
    response = client_for(actor).post(reverse("org:user-unlock", args=[owner.pk]))
    assert response.status_code == status
    assert (lockout.is_locked(owner) is None) is (status == 302)


def test_unlock_view_redirects_to_the_user_page(client, client_for, owner, secadmin):
    _lock(client)
    response = client_for(secadmin).post(reverse("org:user-unlock", args=[owner.pk]))
    assert response.status_code == 302
    assert response["Location"] in (f"/org/users/{owner.pk}/", reverse("org:online-users")) or str(owner.pk) in response["Location"]
    assert client_for(secadmin).post(reverse("org:user-unlock", args=[999999])).status_code == 404
