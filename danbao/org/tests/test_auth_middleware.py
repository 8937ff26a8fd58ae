"""Account security middleware (SECURITY A.4, A.12, A.13): timeouts, polling, forced logout, password age."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from danbao.audit.models import AuditEvent
from danbao.org.models import UserSession
from danbao.org.services.passwords import password_set
from danbao.org.tests.factories import DEFAULT_PASSWORD

PROFILE = "/accounts/profile/"


def _login(client, user, password=DEFAULT_PASSWORD):
    response = client.post(reverse("org:login"), {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return UserSession.objects.get(session_key=client.session.session_key)


def _is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("org:login"))


def test_idle_timeout_logs_out_with_a_clear_message(client, owner):
    tracked = _login(client, owner)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get(PROFILE)
        assert _is_login_redirect(response)
        assert "reason=idle" in response["Location"]
        page = client.get(response["Location"]).content.decode()
        assert "会话已超时" in page
    tracked.refresh_from_db()
    assert tracked.end_reason == "idle_timeout" and tracked.ended_at
    assert AuditEvent.objects.filter(event_type="auth.session_ended", reason="idle_timeout").count() == 1


def test_activity_keeps_the_session_alive(client, owner):
    _login(client, owner)
    start = timezone.now()
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get(PROFILE).status_code == 200


def test_privileged_users_time_out_after_15_minutes(client, secadmin, owner):
    _login(client, secadmin)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _is_login_redirect(client.get(PROFILE))


def test_polling_does_not_count_as_activity(client, owner):
    _login(client, owner)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=20)):
        assert client.get(PROFILE, HTTP_X_DANBAO_POLL="1").status_code == 200
    with time_machine.travel(start + timedelta(minutes=35)):
        assert _is_login_redirect(client.get(PROFILE))


def test_absolute_timeout_after_12_hours(client, owner):
    _login(client, owner)
    start = timezone.now()
    for step in range(1, 29):  # active every 25 minutes for 11 h 40 min
        with time_machine.travel(start + timedelta(minutes=25 * step)):
            assert client.get(PROFILE).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        assert _is_login_redirect(client.get(PROFILE))


def test_absolute_limit_holds_even_when_the_session_was_renewed(client, owner):
    tracked = _login(client, owner)
    # Saving the session renews Django's expiry date; the tracked start time still counts.
    UserSession.objects.filter(pk=tracked.pk).update(created_at=timezone.now() - timedelta(hours=12, minutes=1))
    response = client.get(PROFILE)
    assert _is_login_redirect(response) and "reason=absolute" in response["Location"]
    tracked.refresh_from_db()
    assert tracked.end_reason == "absolute_timeout"


def test_forced_logout_takes_effect_on_the_next_request(client, owner, secadmin):
    from danbao.org.services.sessions import session_force_end

    tracked = _login(client, owner)
    session_force_end(actor=secadmin, session_id=tracked.pk)
    assert _is_login_redirect(client.get(PROFILE))


def test_expired_password_blocks_every_page_until_changed(client, owner):
    _login(client, owner)
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        # Fresh login 91 days later (old session would be expired anyway).
        client.logout()
        _login(client, owner)
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == reverse("org:password-change")
        assert client.get(PROFILE)["Location"] == reverse("org:password-change")
        assert client.get("/", HTTP_HX_REQUEST="true").status_code == 403
        assert client.get("/api/schema/").status_code == 403
        page = client.get(reverse("org:password-change"))
        assert page.status_code == 200 and "密码已过期" in page.content.decode()
        # The new password may not equal the current one.
        response = client.post(
            reverse("org:password-change"),
            {"old_password": DEFAULT_PASSWORD, "new_password1": DEFAULT_PASSWORD, "new_password2": DEFAULT_PASSWORD},
        )
        assert response.status_code == 200
        new = "Lantern#Harbour2027"
        response = client.post(
            reverse("org:password-change"), {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 302
        assert client.get(PROFILE).status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(new)


def test_temporary_password_forces_a_change_at_first_login(client, owner, sysadmin):
    password_set(user=owner, raw_password="Tmp#Pass2026x", actor=sysadmin, temporary=True)
    _login(client, owner, "Tmp#Pass2026x")
    assert client.get("/")["Location"] == reverse("org:password-change")
    page = client.get(reverse("org:password-change")).content.decode()
    assert "临时密码" in page
    # Logout and static files stay reachable.
    assert client.post(reverse("org:logout")).status_code == 302


def test_expired_temporary_password_cannot_sign_in(client, owner, sysadmin):
    password_set(user=owner, raw_password="Tmp#Pass2026x", actor=sysadmin, temporary=True)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = client.post(reverse("org:login"), {"username": "owner", "password": "Tmp#Pass2026x"})
        assert "_auth_user_id" not in client.session
        assert "临时密码已过期" in response.content.decode()


@pytest.mark.parametrize("path", ["/healthz", "/static/js/danbao.js"])
def test_open_paths_stay_reachable_while_a_change_is_due(client, owner, path):
    owner.must_change_password = True
    owner.save()
    client.force_login(owner)
    assert client.get(path).status_code != 302
