"""Reason codes of the risk app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("risk.permission_denied", _("You may not do this."))
CLASS_INVALID = ErrorCode("risk.class_invalid", _("Unknown risk class %(value)s."))
REASON_REQUIRED = ErrorCode("risk.reason_required", _("Please give a reason."))
CLASS_STATE = ErrorCode("risk.class_state", _("This classification is %(state)s and cannot be changed that way."))
BELOW_FLOOR = ErrorCode("risk.below_floor", _("The class cannot be milder than the objective floor %(floor)s set by days past due."))
SAME_PERSON = ErrorCode("risk.same_person", _("The checker must be a different person from the one who proposed the class."))
NOTE_REQUIRED = ErrorCode("risk.note_required", _("Please give a note."))
WARNING_CLOSED = ErrorCode("risk.warning_closed", _("The warning is closed."))
