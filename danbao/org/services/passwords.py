"""Setting passwords: the one door that validates against the policy, keeps history and flags changes."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from danbao.core.events import security_event
from danbao.org import errors
from danbao.org.models import PasswordHistory, SecurityPolicy, User


def generate_temporary_password(length: int = 14) -> str:
    """A random one-time password with all four character classes."""
    alphabet = string.ascii_letters + string.digits + "#%+=!@"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(c in "#%+=!@" for c in candidate)
        ):
            return candidate


@transaction.atomic
def password_set(*, user: User, raw_password: str, actor: User | None, temporary: bool = False) -> None:
    """Validate `raw_password` for `user`, store it and remember the previous hash.

    `temporary=True` (admin creation or reset): the user must change it at next login and it
    expires after the policy's temporary-password hours. Raises DomainError PASSWORD_INVALID.
    """
    try:
        validate_password(raw_password, user)
    except ValidationError as exc:
        raise errors.PASSWORD_INVALID.error(reasons=" ".join(exc.messages)) from None
    policy = SecurityPolicy.current()
    if user.pk and user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[policy.password_history_count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.set_password(raw_password)
    now = timezone.now()
    user.password_changed_at = now
    user.must_change_password = temporary
    user.temporary_password_expires_at = now + timedelta(hours=policy.temporary_password_hours) if temporary else None
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "temporary_password_expires_at"])
    security_event(
        "account.password_reset" if temporary else "account.password_changed",
        actor=actor,
        object_type="org.User",
        object_id=user.pk,
        data={"username": user.username},
    )


def password_expired(user: User, policy: SecurityPolicy | None = None) -> bool:
    """True when the password is older than the policy allows, or a temporary one has run out."""
    now = timezone.now()
    if user.temporary_password_expires_at and user.temporary_password_expires_at < now:
        return True
    if user.password_changed_at is None:
        return False
    max_age = (policy or SecurityPolicy.current()).password_max_age_days
    return bool(max_age) and user.password_changed_at + timedelta(days=max_age) < now
