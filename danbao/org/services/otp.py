"""Two-factor authentication with TOTP (django-otp): enrolment, verification, backup codes, opting out.

Mandatory when the security policy turns it on, for the three administrators and for roles marked
"two-factor required"; any user may opt in. The seed is shown only while the device is unconfirmed.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from danbao.core.crypto import blind_index
from danbao.core.events import security_event
from danbao.org import errors
from danbao.org.models import SecurityPolicy, TOTPDevice, User

BACKUP_CODE_COUNT = 5
DEVICE_NAME = "totp"


def otp_mandatory(user: User, policy: SecurityPolicy | None = None) -> bool:
    """True when the policy requires a second factor for this user."""
    policy = policy or SecurityPolicy.current()
    if not policy.two_factor_enabled:
        return False
    return any(role.admin_kind or role.require_2fa for role in user.active_roles)


def totp_device_for(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def otp_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_code_digest(code: str) -> str:
    """What is stored for a backup code: a keyed hash (core.crypto.blind_index), never the code itself,
    so a copy of the database does not give away second factors. Case and spaces do not matter."""
    return blind_index("otp-backup:" + code.replace(" ", ""))[:16]


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, for manual entry
    qr_data_uri: str  # data:image/svg+xml;base64,… (CSP allows data: images)


@transaction.atomic
def totp_setup_begin(*, actor: User) -> Enrolment:
    """Create (or reuse) the unconfirmed authenticator and return what the set-up page shows."""
    if otp_enrolled(actor):
        raise errors.OTP_ALREADY_SET_UP.error()
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    uri = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    return Enrolment(device=device, secret=secret, qr_data_uri=uri)


def totp_setup_confirm(*, actor: User, token: str) -> list[str]:
    """Confirm the authenticator with a first code; returns the backup codes (shown once)."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        raise errors.OTP_NOT_SET_UP.error()
    with transaction.atomic():
        ok = device.verify_token(token.strip())
        if ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            StaticDevice.objects.filter(user=actor).delete()
            static = StaticDevice.objects.create(user=actor, name="backup", confirmed=True)
            codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
            for code in codes:
                static.token_set.create(token=backup_code_digest(code))
            security_event("account.otp_enabled", actor=actor, object_type="org.User", object_id=actor.pk)
    # Raised after the block so the device's throttling counter is kept.
    if not ok:
        raise errors.OTP_INVALID.error()
    return codes


def _throttled_until(device: TOTPDevice | StaticDevice) -> datetime | None:
    allowed, data = device.verify_is_allowed()
    return None if allowed else (data or {}).get("locked_until")


def otp_verify(*, actor: User, token: str) -> TOTPDevice | StaticDevice:
    """Check a 6-digit authenticator code or a backup code; writes "auth.otp_ok" or "auth.otp_failed".

    A TOTP code is accepted once (django-otp remembers the last time step); wrong codes are throttled
    with exponential back-off (1, 2, 4, 8 … seconds); a backup code is deleted when used.
    """
    token = (token or "").strip().replace(" ", "")
    if token.isdigit() and len(token) == 6:
        device: TOTPDevice | StaticDevice | None = totp_device_for(actor)
        kind = "totp"
    else:
        device = StaticDevice.objects.filter(user=actor, confirmed=True).first()
        kind = "backup"
    if device is None:
        device = totp_device_for(actor)
        if device is None:
            raise errors.OTP_NOT_SET_UP.error()
    until = _throttled_until(device)
    with transaction.atomic():
        ok = until is None and device.verify_token(backup_code_digest(token) if isinstance(device, StaticDevice) else token)
        if ok:
            security_event("auth.otp_ok", actor=actor, object_type="org.User", object_id=actor.pk, data={"method": kind})
        else:
            reason = "throttled" if until else "invalid"
            security_event(
                "auth.otp_failed",
                actor=actor,
                object_type="org.User",
                object_id=actor.pk,
                result="failure",
                reason=reason,
                data={"method": kind},
            )
    # Raised after the block: the failure event and the throttling counter must be kept.
    if until is not None:
        seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
        raise errors.OTP_THROTTLED.error(seconds=seconds)
    if not ok:
        raise errors.OTP_INVALID.error()
    return device


@transaction.atomic
def otp_disable(*, actor: User, password: str) -> None:
    """The user turns their own two-factor authentication off (not when it is mandatory for them)."""
    if otp_mandatory(actor):
        raise errors.OTP_MANDATORY.error()
    if not otp_enrolled(actor):
        raise errors.OTP_NOT_SET_UP.error()
    if not actor.check_password(password):
        raise errors.PASSWORD_WRONG.error()
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    security_event("account.otp_disabled", actor=actor, object_type="org.User", object_id=actor.pk)
