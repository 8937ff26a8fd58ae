"""Reason codes of the letters app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("letters.permission_denied", _("You may not do this on this project's letters or conditions."))
NOT_MANAGER = ErrorCode("letters.not_manager", _("Only the project's A-role or B-role manager can mark its conditions."))
PROJECT_NOT_APPROVED = ErrorCode("letters.project_not_approved", _("Project %(number)s is %(state)s; letters need an approved project."))
NO_TERMS = ErrorCode("letters.no_terms", _("Project %(number)s has no effective approved terms."))
CONDITION_SUPERSEDED = ErrorCode(
    "letters.condition_superseded", _("This condition was dropped by a later change of the terms and can no longer be changed.")
)
CONDITION_STATE = ErrorCode("letters.condition_state", _("The condition is %(state)s; this step is not possible now."))
NOTE_REQUIRED = ErrorCode("letters.note_required", _("Please write a note: how the condition is met, or why it does not apply."))
REASON_REQUIRED = ErrorCode("letters.reason_required", _("Please give a reason."))
SAME_PERSON = ErrorCode("letters.same_person", _("A condition must be confirmed by someone other than who marked it."))
STALE = ErrorCode("letters.stale", _("The record was changed by someone else; please reload and try again."))
NOT_READY = ErrorCode("letters.not_ready", _("The guarantee letter cannot be issued yet. Missing: %(missing)s"))
ISSUER_IS_MANAGER = ErrorCode(
    "letters.issuer_is_manager", _("The project's A-role or B-role manager cannot issue its letter; another authorised person must.")
)
INTENT_AFTER_GUARANTEE = ErrorCode(
    "letters.intent_after_guarantee", _("A guarantee letter has already been issued; an intent letter is no longer possible.")
)
TRANSITION_NOT_ALLOWED = ErrorCode("letters.transition_not_allowed", _("A letter in state %(source)s cannot move to %(target)s."))
BANK_MISSING = ErrorCode("letters.bank_missing", _("The effective terms name no lending bank."))
