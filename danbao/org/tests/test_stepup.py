"""Step-up authentication (SECURITY A.18): exports need the password entered within 5 minutes."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from danbao.audit.models import AuditEvent
from danbao.org.tests.factories import DEFAULT_PASSWORD

EXPORT = "/org/users/?export=xlsx"


def _sign_in(client, user) -> None:
    response = client.post(reverse("org:login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_export_right_after_sign_in_needs_no_reentry(client, sysadmin) -> None:
    _sign_in(client, sysadmin)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_export_after_five_minutes_asks_for_the_password_then_goes_on(client, sysadmin) -> None:
    _sign_in(client, sysadmin)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        response = client.get(EXPORT)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("org:reauth"))
        assert not AuditEvent.objects.filter(event_type="data.export").exists()
        page = client.get(response["Location"])
        assert "reauth-form" in page.content.decode()
        back = client.post(reverse("org:reauth"), {"password": DEFAULT_PASSWORD, "next": EXPORT})
        assert back.status_code == 302 and back["Location"] == EXPORT
        assert client.get(EXPORT).status_code == 200
    assert AuditEvent.objects.filter(event_type="auth.reauthenticated", actor_username="sysadmin").count() == 1
    assert AuditEvent.objects.filter(event_type="data.export").count() == 1


def test_htmx_export_gets_a_client_redirect(client, sysadmin) -> None:
    client.force_login(sysadmin)
    response = client.get(EXPORT, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("org:reauth"))


def test_wrong_password_is_refused_and_five_wrong_entries_sign_out(client, sysadmin) -> None:
    client.force_login(sysadmin)
    response = client.post(reverse("org:reauth"), {"password": "wrong", "next": EXPORT})
    assert response.status_code == 200
    assert "不正确" in response.content.decode() or "not correct" in response.content.decode()
    for _ in range(4):
        response = client.post(reverse("org:reauth"), {"password": "wrong", "next": EXPORT})
    assert response.status_code == 302 and response["Location"] == reverse("org:login")
    assert client.get("/").status_code == 302  # signed out
    assert AuditEvent.objects.filter(event_type="auth.reauth_failed").count() == 5


def test_next_may_not_leave_the_site(client, sysadmin) -> None:
    client.force_login(sysadmin)
    response = client.post(reverse("org:reauth"), {"password": DEFAULT_PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:workbench")
