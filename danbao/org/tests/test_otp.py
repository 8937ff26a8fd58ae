"""Two-factor authentication (SECURITY A.8, A.9): enrolment, gate, replay, throttling, backup codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org.models import SecurityPolicy, TOTPDevice
from danbao.org.services import otp as svc
from danbao.org.tests.factories import DEFAULT_PASSWORD


def _code(device, at=None):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = (at or timezone.now()).timestamp()
    return f"{totp.token():06d}"


def _enrol(user):
    svc.totp_setup_begin(actor=user)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    codes = svc.totp_setup_confirm(actor=user, token=_code(device))
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def two_factor_on(org):
    policy = SecurityPolicy.current()
    policy.two_factor_enabled = True
    policy.save()
    return policy


def _login(client, user):
    response = client.post(reverse("org:login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return response


def test_setup_page_shows_qr_and_key_and_confirms(client_for, owner):
    client = client_for(owner)
    page = client.get(reverse("org:otp-setup"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in body and 'data-testid="otp-secret"' in body
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    response = client.post(reverse("org:otp-setup"), {"token": _code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=owner).count() == 5
    assert body.count('<li class="list-group-item') == 0 and 'data-testid="otp-backup-codes"' in response.content.decode()
    assert AuditEvent.objects.filter(event_type="account.otp_enabled").count() == 1
    # The seed is never shown again once enrolled.
    again = client.get(reverse("org:otp-setup"))
    assert again.status_code == 302


def test_wrong_setup_code_is_refused(owner):
    svc.totp_setup_begin(actor=owner)
    with pytest.raises(DomainError) as exc:
        svc.totp_setup_confirm(actor=owner, token="000000")
    assert exc.value.code == "org.otp_invalid"
    assert not TOTPDevice.objects.get(user=owner).confirmed


def test_admins_must_set_up_2fa_before_anything_else(client, secadmin, two_factor_on):
    _login(client, secadmin)
    for url in ("/", reverse("org:policy"), reverse("org:online-users")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("org:otp-setup"))
    assert client.get("/", HTTP_HX_REQUEST="true").status_code == 403
    assert client.get("/api/schema/").status_code == 403
    assert client.get(reverse("org:otp-setup")).status_code == 200


def test_business_user_is_not_asked_unless_the_role_requires_it(client, owner, org, two_factor_on):
    _login(client, owner)
    assert client.get("/").status_code == 200
    role = org.roles["business_manager"]
    role.require_2fa = True
    role.save()
    assert client.get("/")["Location"].startswith(reverse("org:otp-setup"))


def test_enrolled_user_must_verify_after_password_then_reaches_pages(client, secadmin, two_factor_on):
    device, _codes = _enrol(secadmin)
    _login(client, secadmin)
    response = client.get(reverse("org:policy"))
    assert response["Location"].startswith(reverse("org:otp-verify"))
    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        response = client.post(reverse("org:otp-verify") + "?next=/security/policy/", {"token": _code(device), "next": "/security/policy/"})
        assert response.status_code == 302 and response["Location"] == "/security/policy/"
        assert client.get(reverse("org:policy")).status_code == 200
    assert AuditEvent.objects.filter(event_type="auth.otp_ok").count() == 1


def test_a_code_cannot_be_replayed(owner):
    device, _ = _enrol(owner)
    with time_machine.travel(timezone.now() + timedelta(seconds=90), tick=False):
        code = _code(device)
        svc.otp_verify(actor=owner, token=code)
        with pytest.raises(DomainError) as exc:
            svc.otp_verify(actor=owner, token=code)
        assert exc.value.code == "org.otp_invalid"
    failed = AuditEvent.objects.filter(event_type="auth.otp_failed").get()
    assert code not in str(failed.data)


def test_wrong_codes_are_throttled_with_back_off(owner):
    device, _ = _enrol(owner)
    start = timezone.now() + timedelta(seconds=90)
    with time_machine.travel(start, tick=False):
        with pytest.raises(DomainError):
            svc.otp_verify(actor=owner, token="000000" if _code(device) != "000000" else "111111")
        # Right away, even a right code is refused while the back-off runs.
        with pytest.raises(DomainError) as exc:
            svc.otp_verify(actor=owner, token=_code(device))
        assert exc.value.code == "org.otp_throttled"
    for n in range(4):
        device.refresh_from_db()
        with time_machine.travel(start + timedelta(seconds=2 ** (n + 1)), tick=False), pytest.raises(DomainError):
            svc.otp_verify(actor=owner, token="999999" if _code(device) != "999999" else "888888")
    device.refresh_from_db()
    assert device.throttling_failure_count == 5
    assert AuditEvent.objects.filter(event_type="auth.otp_failed").count() >= 5


def test_backup_codes_work_once(owner):
    _device, codes = _enrol(owner)
    svc.otp_verify(actor=owner, token=codes[0])
    with pytest.raises(DomainError):
        svc.otp_verify(actor=owner, token=codes[0])
    assert svc.backup_codes_left(owner) == 4


def test_user_may_turn_off_optional_2fa_with_password(client_for, owner):
    _device, codes = _enrol(owner)
    client = client_for(owner)
    # Not yet verified in this session: the gate sends the request to the verify page.
    assert client.post(reverse("org:otp-disable"), {"password": DEFAULT_PASSWORD})["Location"].startswith(reverse("org:otp-verify"))
    assert client.post(reverse("org:otp-verify"), {"token": codes[0]}).status_code == 302
    response = client.post(reverse("org:otp-disable"), {"password": "wrong"})
    assert TOTPDevice.objects.filter(user=owner).exists()
    response = client.post(reverse("org:otp-disable"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert AuditEvent.objects.filter(event_type="account.otp_disabled").count() == 1


def test_mandatory_2fa_cannot_be_turned_off(secadmin, two_factor_on):
    _enrol(secadmin)
    with pytest.raises(DomainError) as exc:
        svc.otp_disable(actor=secadmin, password=DEFAULT_PASSWORD)
    assert exc.value.code == "org.otp_mandatory"


def test_profile_shows_2fa_status_and_links(client_for, owner):
    client = client_for(owner)
    body = client.get(reverse("org:profile")).content.decode()
    assert 'data-testid="otp-setup-link"' in body and 'data-testid="sessions-link"' in body
    _enrol(owner)
    client.force_login(owner)
    body = client.get(reverse("org:profile"))
    # An enrolled user who is not verified is sent to the verify page first.
    assert body.status_code == 302 and body["Location"].startswith(reverse("org:otp-verify"))


def test_enrolled_user_verifies_before_a_forced_password_change(client, owner):
    _device, codes = _enrol(owner)
    owner.must_change_password = True
    owner.save()
    _login(client, owner)
    assert client.get(reverse("org:password-change"))["Location"].startswith(reverse("org:otp-verify"))
    client.post(reverse("org:otp-verify"), {"token": codes[0]})
    assert client.get("/")["Location"] == reverse("org:password-change")
    assert client.get(reverse("org:password-change")).status_code == 200


def test_seed_is_ciphertext_in_the_database(owner) -> None:
    """SECURITY A.10: a raw read of the device row shows no usable seed."""
    from django.db import connection

    svc.totp_setup_begin(actor=owner)
    device = TOTPDevice.objects.get(user=owner)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {TOTPDevice._meta.db_table} WHERE id = %s", [device.pk])  # noqa: S608
        raw = cursor.fetchone()[0]
    assert raw.startswith("v1:test:")
    assert device.key not in raw
    assert len(device.bin_key) == 20


def test_backup_codes_are_stored_only_as_keyed_hashes(owner):
    from django_otp.plugins.otp_static.models import StaticToken

    _device, codes = _enrol(owner)
    stored = set(StaticToken.objects.filter(device__user=owner).values_list("token", flat=True))
    assert len(stored) == 5 and not stored & set(codes)
    assert all(len(token) == 16 for token in stored)
    svc.otp_verify(actor=owner, token=codes[1].upper())  # case does not matter to the user
    assert svc.backup_codes_left(owner) == 4
