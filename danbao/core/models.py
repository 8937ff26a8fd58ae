"""Core models: the attachment table (danbao.core.attachments)."""

from danbao.core.attachments.models import Attachment  # noqa: F401
