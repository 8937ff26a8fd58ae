"""Reason codes of the organisation and account services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PASSWORD_INVALID = ErrorCode("org.password_invalid", _("The password does not meet the policy: %(reasons)s"))
PERMISSION_DENIED = ErrorCode("org.permission_denied", _("You do not have permission to do this."))
