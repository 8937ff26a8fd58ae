"""Reason codes of attachment uploads, voids and downloads."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

OWNER_NOT_REGISTERED = ErrorCode("attachments.owner_not_registered", _("This record does not take documents."))
KIND_UNKNOWN = ErrorCode("attachments.kind_unknown", _("Unknown document type: %(kind)s."))
FORBIDDEN = ErrorCode("attachments.forbidden", _("You may not change the documents of this record."))
EMPTY = ErrorCode("attachments.empty", _("The file is empty."))
TOO_LARGE = ErrorCode("attachments.too_large", _("File too large: at most %(limit)s MB."))
TYPE_NOT_ALLOWED = ErrorCode(
    "attachments.type_not_allowed", _("Files of type “%(extension)s” are not accepted for %(kind)s. Allowed: %(allowed)s.")
)
CONTENT_MISMATCH = ErrorCode("attachments.content_mismatch", _("The file content does not match its extension."))
EXECUTABLE = ErrorCode("attachments.executable", _("Programs and scripts are not accepted."))
ACTIVE_CONTENT = ErrorCode("attachments.active_content", _("Web pages and SVG images are not accepted, whatever their name."))
ARCHIVE_UNSAFE = ErrorCode(
    "attachments.archive_unsafe", _("The document is refused: it unpacks to too many parts or far more data than its size.")
)
ARCHIVE_INVALID = ErrorCode("attachments.archive_invalid", _("The document is damaged or not a valid Office file."))
MACROS = ErrorCode("attachments.macros", _("Documents with macros are not accepted."))
INFECTED = ErrorCode("attachments.infected", _("The file was refused by the virus scanner."))
NOTE_TOO_LONG = ErrorCode("attachments.note_too_long", _("The note is too long (at most 200 characters)."))
ALREADY_VOIDED = ErrorCode("attachments.already_voided", _("This file has already been voided."))
REASON_REQUIRED = ErrorCode("attachments.reason_required", _("Give a reason for voiding the file."))
