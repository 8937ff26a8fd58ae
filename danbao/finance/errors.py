"""Reason codes of the finance app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("finance.permission_denied", _("You may not do this in finance."))
NOT_APPROVED = ErrorCode("finance.not_approved", _("Project %(number)s has no approved terms yet; fees are planned after approval."))
AMOUNT_INVALID = ErrorCode("finance.amount_invalid", _("The amount must be a positive number of yuan with at most two decimals."))
DATE_INVALID = ErrorCode("finance.date_invalid", _("Please give a valid date."))
DATE_IN_FUTURE = ErrorCode("finance.date_in_future", _("The date of receipt cannot be in the future."))
PAYER_REQUIRED = ErrorCode("finance.payer_required", _("Please give the payer's name."))
METHOD_INVALID = ErrorCode("finance.method_invalid", _("Please choose how the money was received."))
KEY_REQUIRED = ErrorCode("finance.key_required", _("The request carries no idempotency key; please reload the page and try again."))
KEY_REUSED = ErrorCode(
    "finance.key_reused",
    _("This request key was already used for a different receipt (%(number)s); reload the page to record a new one."),
)
ALLOCATION_EMPTY = ErrorCode("finance.allocation_empty", _("Allocate the receipt to at least one receivable."))
ALLOCATION_FOREIGN = ErrorCode("finance.allocation_foreign", _("A receivable of another project cannot be paid by this receipt."))
ALLOCATION_CLOSED = ErrorCode("finance.allocation_closed", _("%(item)s is %(state)s and cannot be paid."))
ALLOCATION_OVER_RECEIVABLE = ErrorCode(
    "finance.allocation_over_receivable", _("%(item)s has %(outstanding)s yuan outstanding; %(amount)s yuan cannot be allocated to it.")
)
ALLOCATION_OVER_RECEIPT = ErrorCode(
    "finance.allocation_over_receipt", _("The allocations add up to %(total)s yuan, more than the receipt's %(amount)s yuan.")
)
ALREADY_REVERSED = ErrorCode("finance.already_reversed", _("Receipt %(number)s is already reversed."))
REASON_REQUIRED = ErrorCode("finance.reason_required", _("Please give a reason."))
TRANSITION_NOT_ALLOWED = ErrorCode("finance.transition_not_allowed", _("A receivable in state %(source)s cannot become %(target)s."))
DEFERRAL_CLOSED = ErrorCode("finance.deferral_closed", _("Only an open or partly paid receivable can be deferred; this one is %(state)s."))
DEFERRAL_PENDING = ErrorCode("finance.deferral_pending", _("A deferral of this receivable is already waiting for a decision."))
DEFERRAL_DATE = ErrorCode("finance.deferral_date", _("The new date must be later than the due date %(due)s."))
DEFERRAL_DECIDED = ErrorCode("finance.deferral_decided", _("This deferral has already been decided (%(status)s)."))
SAME_PERSON = ErrorCode("finance.same_person", _("A deferral must be decided by someone other than who requested it."))
COMMENT_REQUIRED = ErrorCode("finance.comment_required", _("Please give a reason for refusing."))
NO_PLAN = ErrorCode("finance.no_plan", _("Project %(number)s has no fee plan yet."))
