"""Own sessions and online users (SECURITY A.13, A.15): list, end one, end others, forced logout."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org.models import UserSession
from danbao.org.services import sessions as svc
from danbao.org.tests.factories import DEFAULT_PASSWORD


def _browser(user, agent="Chrome/130"):
    browser = Client(HTTP_USER_AGENT=agent)
    response = browser.post(reverse("org:login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return browser, UserSession.objects.get(session_key=browser.session.session_key)


def test_own_sessions_page_lists_active_sessions(owner, colleague):
    phone, _ = _browser(owner, "Mobile Safari")
    desk, _ = _browser(owner, "Firefox/140")
    _browser(colleague)
    page = desk.get(reverse("org:sessions"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mobile Safari" in body and "Firefox/140" in body and "当前设备" in body
    assert body.count("<tr>") == 1 + 2  # header + owner's two sessions only


def test_end_one_own_session(owner):
    phone, phone_session = _browser(owner, "Mobile Safari")
    desk, desk_session = _browser(owner, "Firefox/140")
    response = desk.post(reverse("org:session-end", args=[phone_session.pk]))
    assert response.status_code == 302
    phone_session.refresh_from_db()
    assert phone_session.end_reason == "ended_by_user"
    assert not Session.objects.filter(session_key=phone_session.session_key).exists()
    assert phone.get(reverse("org:profile")).status_code == 302
    assert desk.get(reverse("org:profile")).status_code == 200
    assert AuditEvent.objects.filter(event_type="auth.session_ended", reason="ended_by_user").count() == 1


def test_cannot_end_someone_elses_or_the_current_session(owner, colleague):
    _, theirs = _browser(colleague)
    desk, mine = _browser(owner)
    with pytest.raises(DomainError) as exc:
        svc.session_end_own(actor=owner, session_id=theirs.pk, current_key=mine.session_key)
    assert exc.value.code == "org.session_not_found"
    with pytest.raises(DomainError) as exc:
        svc.session_end_own(actor=owner, session_id=mine.pk, current_key=mine.session_key)
    assert exc.value.code == "org.session_is_current"
    theirs.refresh_from_db()
    assert theirs.ended_at is None


def test_sign_out_all_other_devices(owner):
    others = [_browser(owner, f"Agent {n}")[0] for n in range(2)]
    desk, mine = _browser(owner, "Desk")
    desk.post(reverse("org:sessions-end-others"))
    assert [b.get(reverse("org:profile")).status_code for b in others] == [302, 302]
    assert desk.get(reverse("org:profile")).status_code == 200
    assert list(svc.session_list_for(owner)) == [mine]


def test_password_change_ends_all_other_sessions(owner):
    phone, _ = _browser(owner, "Phone")
    desk, mine = _browser(owner, "Desk")
    new = "Lantern#Harbour2027"
    response = desk.post(reverse("org:password-change"), {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert phone.get(reverse("org:profile")).status_code == 302
    assert desk.get(reverse("org:profile")).status_code == 200
    assert AuditEvent.objects.filter(event_type="account.password_changed").count() == 1


def test_wrong_old_password_is_refused(client_for, owner):
    client = client_for(owner)
    response = client.post(
        reverse("org:password-change"),
        {"old_password": "nope", "new_password1": "Lantern#Harbour2027", "new_password2": "Lantern#Harbour2027"},
    )
    assert response.status_code == 200 and "当前密码不正确" in response.content.decode()


# ---------------------------------------------------------------- online users


@pytest.mark.parametrize(
    ("who", "status"),
    [("secadmin", 200), ("sysadmin", 403), ("auditadmin", 403), ("owner", 403), ("risk_manager", 403), ("nobody", 403)],
)
def test_online_users_page_permissions(client_for, request, who, status):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("org:online-users")).status_code == status


def test_online_users_lists_everyone_signed_in(client_for, owner, colleague, secadmin):
    _browser(owner)
    _browser(colleague)
    body = client_for(secadmin).get(reverse("org:online-users")).content.decode()
    assert "王业务" in body and "李同事" in body


def test_force_logout_by_the_security_administrator(client_for, owner, secadmin):
    browser, tracked = _browser(owner)
    admin = client_for(secadmin)
    response = admin.post(reverse("org:session-force-end", args=[tracked.pk]))
    assert response.status_code == 302
    assert browser.get(reverse("org:profile")).status_code == 302
    tracked.refresh_from_db()
    assert tracked.end_reason == "forced_logout"
    event = AuditEvent.objects.get(event_type="auth.session_ended", reason="forced_logout")
    assert event.actor_username == "secadmin" and event.data["username"] == "owner"


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin", "colleague"])
def test_force_logout_needs_the_permission(client_for, request, owner, who):
    browser, tracked = _browser(owner)
    assert client_for(request.getfixturevalue(who)).post(reverse("org:session-force-end", args=[tracked.pk])).status_code == 403
    with pytest.raises(DomainError):
        svc.session_force_end(actor=request.getfixturevalue(who), session_id=tracked.pk)
    assert browser.get(reverse("org:profile")).status_code == 200


def test_force_logout_of_an_ended_session_is_refused(owner, secadmin):
    _, tracked = _browser(owner)
    svc.session_force_end(actor=secadmin, session_id=tracked.pk)
    with pytest.raises(DomainError) as exc:
        svc.session_force_end(actor=secadmin, session_id=tracked.pk)
    assert exc.value.code == "org.session_not_found"


def test_activity_is_written_at_most_once_a_minute(client_for, owner):
    client = client_for(owner)
    client.get(reverse("org:profile"))
    tracked = UserSession.objects.get(user=owner)
    first = tracked.last_activity_at
    client.get(reverse("org:profile"))
    tracked.refresh_from_db()
    assert tracked.last_activity_at == first
