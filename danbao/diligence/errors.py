"""Reason codes of the diligence app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("diligence.permission_denied", _("You may not do this on this project's due diligence."))
NOT_A_ROLE = ErrorCode("diligence.not_a_role", _("Only the project's A-role manager can write and sign the report."))
NOT_B_ROLE = ErrorCode("diligence.not_b_role", _("Only the project's B-role manager can confirm or return the report."))
TRANSITION_NOT_ALLOWED = ErrorCode("diligence.transition_not_allowed", _("A report in state %(source)s cannot move to %(target)s."))
REASON_REQUIRED = ErrorCode("diligence.reason_required", _("Please give a reason."))
STALE = ErrorCode("diligence.stale", _("The report was changed by someone else; please reload and try again."))
PROJECT_STATE = ErrorCode(
    "diligence.project_state",
    _("Project %(number)s is in state %(state)s; due diligence can only be changed while it is accepted or in due diligence."),
)
ALREADY_STARTED = ErrorCode("diligence.already_started", _("The due-diligence report of this project has already been started."))
NOT_EDITABLE = ErrorCode(
    "diligence.not_editable", _("The report is %(state)s and cannot be changed; it must be returned or reopened first.")
)
SECTIONS_MISSING = ErrorCode("diligence.sections_missing", _("Fill in these parts before signing: %(sections)s."))
AMOUNT_INVALID = ErrorCode("diligence.amount_invalid", _("The proposed amount must be greater than zero."))
TERM_INVALID = ErrorCode("diligence.term_invalid", _("The proposed term must be a whole number of months greater than zero."))
FEE_RATE_INVALID = ErrorCode("diligence.fee_rate_invalid", _("The proposed fee rate must be between 0 and 100%%."))
OPINION_REQUIRED = ErrorCode("diligence.opinion_required", _("Write your own opinion as the B-role before confirming."))
SAME_PERSON = ErrorCode("diligence.same_person", _("The report must be confirmed by someone other than who signed it."))
NOT_REOPENABLE = ErrorCode("diligence.not_reopenable", _("Only a confirmed report can be reopened."))
WAIVER_FORBIDDEN = ErrorCode(
    "diligence.waiver_forbidden",
    _("A material can only be waived by the project's B-role manager or the department head, never by the A-role."),
)
ALREADY_WAIVED = ErrorCode("diligence.already_waived", _("%(material)s is already waived."))
VISIT_INVALID = ErrorCode("diligence.visit_invalid", _("Site visit: %(problem)s"))
VISIT_VOIDED = ErrorCode("diligence.visit_voided", _("This site visit is voided."))
POSITION_INVALID = ErrorCode("diligence.position_invalid", _("The position sent by the browser is not valid; the photo was not saved."))
NOT_READY = ErrorCode("diligence.not_ready", _("Due diligence is not complete: %(problems)s"))
