"""Reason codes of the monitoring app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("monitoring.permission_denied", _("You may not do this."))
NOT_ASSIGNEE = ErrorCode("monitoring.not_assignee", _("Only the manager the inspection is assigned to can report it."))
NOT_IN_FORCE = ErrorCode("monitoring.not_in_force", _("The guarantee is not in force."))
CLASS_INVALID = ErrorCode("monitoring.class_invalid", _("Unknown risk class %(value)s."))
CLASS_UNCHANGED = ErrorCode("monitoring.class_unchanged", _("The plan already uses risk class %(value)s."))
REASON_REQUIRED = ErrorCode("monitoring.reason_required", _("Please give a reason."))
TASK_CLOSED = ErrorCode("monitoring.task_closed", _("This inspection task is %(status)s and cannot be reported."))
TRANSITION_NOT_ALLOWED = ErrorCode("monitoring.transition_not_allowed", _("A report in state %(source)s cannot move to %(target)s."))
NOT_EDITABLE = ErrorCode("monitoring.not_editable", _("The report is %(state)s and cannot be changed."))
FIELDS_MISSING = ErrorCode("monitoring.fields_missing", _("Fill in these parts before submitting: %(fields)s."))
DATE_INVALID = ErrorCode("monitoring.date_invalid", _("The inspection date cannot be in the future or before the loan."))
OWN_REPORT = ErrorCode("monitoring.own_report", _("You cannot accept or return your own report."))
STALE = ErrorCode("monitoring.stale", _("The report was changed by someone else; please reload and try again."))
POSITION_INVALID = ErrorCode("monitoring.position_invalid", _("The position sent by the browser is not valid; the photo was not saved."))
BATCH_EMPTY = ErrorCode("monitoring.batch_empty", _("Choose at least one inspection task."))
BATCH_MIXED = ErrorCode("monitoring.batch_mixed", _("A batch inspection takes only open tasks of one manager: %(task)s is not."))
EVENT_CLOSED = ErrorCode("monitoring.event_closed", _("The risk event is closed."))
CONCLUSION_REQUIRED = ErrorCode("monitoring.conclusion_required", _("Write the conclusion before closing the risk event."))
EVENT_INVALID = ErrorCode("monitoring.event_invalid", _("Risk event: %(problem)s"))
