"""Input shapes of the sign-in and security pages; business preconditions live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm, StyledFormMixin, StyledModelForm
from danbao.org.models import SecurityPolicy
from danbao.org.passwords import MAX_LENGTH
from danbao.org.services.policy import EDITABLE_FIELDS


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        # One message for an unknown login name and a wrong password (no account enumeration).
        "invalid_login": _("The login name or password is not correct."),
        "inactive": _("The login name or password is not correct."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Login name")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "placeholder": _("Login name")})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password", "placeholder": _("Password")})
        self.fields["password"].max_length = MAX_LENGTH


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Repeat the new password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(str(text) for text in password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", _("The two new passwords do not match."))
        return data


class OtpTokenForm(StyledForm):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
    )


class OtpDisableForm(StyledForm):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ReauthForm(StyledForm):
    password = forms.CharField(
        label=_("Password or authenticator code"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class SecurityPolicyForm(StyledModelForm):
    class Meta:
        model = SecurityPolicy
        fields = list(EDITABLE_FIELDS)
