"""Reason codes of the archive app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("archive.permission_denied", _("You may not do this."))
TRANSITION_NOT_ALLOWED = ErrorCode("archive.transition_not_allowed", _("Not possible in state %(source)s: %(action)s."))
REASON_REQUIRED = ErrorCode("archive.reason_required", _("Please give a reason."))
NOT_READY = ErrorCode("archive.not_ready", _("The project cannot be archived yet: %(lines)s."))
ITEMS_MISSING = ErrorCode("archive.items_missing", _("These required documents are missing: %(items)s."))
LOCATION_REQUIRED = ErrorCode("archive.location_required", _("Give the box, the room and the cabinet."))
FILE_CLOSED = ErrorCode("archive.file_closed", _("The file is archived; re-open it with a reason to change its checklist."))
STALE = ErrorCode("archive.stale", _("The file was changed by someone else; please reload and try again."))
PAGES_INVALID = ErrorCode("archive.pages_invalid", _("Pages must be a whole number from 1 to 9999."))
NOT_ARCHIVED = ErrorCode("archive.not_archived", _("Only archived files can be borrowed."))
DUE_INVALID = ErrorCode("archive.due_invalid", _("The return date must be from today to %(days)s days ahead."))
PURPOSE_REQUIRED = ErrorCode("archive.purpose_required", _("Please give the purpose of the borrowing."))
OWN_REQUEST = ErrorCode("archive.own_request", _("You cannot approve your own borrowing request."))
NOT_REQUESTER = ErrorCode("archive.not_requester", _("Only the requester can cancel the request."))
ALREADY_OPEN_REQUEST = ErrorCode("archive.already_requested", _("You already have an open request for this file."))
CONDITION_REQUIRED = ErrorCode("archive.condition_required", _("Record the condition of the documents on return."))
FILE_LENT = ErrorCode("archive.file_lent", _("The file is lent out; it can be re-opened when it is back."))
