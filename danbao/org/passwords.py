"""Password rules from the security policy (等保 8.1.4.1a; a documented deviation from ASVS 2.1.9/2.1.10).

Django's AUTH_PASSWORD_VALIDATORS run these on every password set through a form or service.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danbao.org.models import PasswordHistory, SecurityPolicy

MAX_LENGTH = 128


class LengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum = SecurityPolicy.current().password_min_length
        if len(password) < minimum:
            raise ValidationError(_("The password must have at least %(min)d characters.") % {"min": minimum}, code="password_too_short")
        if len(password) > MAX_LENGTH:
            raise ValidationError(_("The password may have at most %(max)d characters.") % {"max": MAX_LENGTH}, code="password_too_long")

    def get_help_text(self) -> str:
        return _("At least %(min)d characters.") % {"min": SecurityPolicy.current().password_min_length}


class CharacterClassValidator:
    CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")

    def validate(self, password: str, user: Any = None) -> None:
        present = sum(1 for pattern in self.CLASSES if re.search(pattern, password))
        if present < 3:
            raise ValidationError(
                _("The password must contain at least 3 of these 4 kinds: lower-case letters, upper-case letters, digits, symbols."),
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("Use at least 3 of: lower-case letters, upper-case letters, digits, symbols.")


class NotContainingLoginValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if username and len(username) >= 3 and username in password.lower():
            raise ValidationError(_("The password may not contain the login name."), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("It may not contain your login name.")


class HistoryValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        count = SecurityPolicy.current().password_history_count
        recent = [user.password] if user.password else []
        recent += list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count])
        if any(check_password(password, encoded) for encoded in recent[:count]):
            raise ValidationError(
                _("The new password must differ from your last %(count)d passwords.") % {"count": count},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("It must differ from your recent passwords.")
