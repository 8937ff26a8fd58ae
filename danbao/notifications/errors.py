"""Reason codes of the message centre (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("notifications.permission_denied", _("You do not have permission to do this."))
NO_RECIPIENTS = ErrorCode(
    "notifications.no_recipients", _("Nobody would receive this message: choose at least one active user, role or department.")
)
LINK_INVALID = ErrorCode("notifications.link_invalid", _("The link must be a path inside this system, starting with a single /."))
TITLE_REQUIRED = ErrorCode("notifications.title_required", _("Enter a title."))
KIND_UNKNOWN = ErrorCode("notifications.kind_unknown", _("Unknown message kind %(kind)s."))
TEMPLATE_DUPLICATE = ErrorCode("notifications.template_duplicate", _("A template for this kind and channel already exists."))
