"""Input shapes of the organisation pages; business preconditions live in services."""

from __future__ import annotations

from django.contrib.auth import forms as auth_forms

from danbao.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass
