"""Reason codes of the partners services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("partners.permission_denied", _("You do not have permission to do this."))
REQUIRED = ErrorCode("partners.required", _("%(label)s is required."))
CODE_DUPLICATE = ErrorCode("partners.code_duplicate", _("The code %(value)s is already used by %(name)s."))
NUMBER_DUPLICATE = ErrorCode("partners.number_duplicate", _("The agreement number %(number)s is already used."))
PARENT_NOT_HEAD_OFFICE = ErrorCode(
    "partners.parent_not_head_office", _("A branch must belong to a head office; %(name)s is itself a branch.")
)
PARENT_HAS_BRANCHES = ErrorCode("partners.parent_has_branches", _("%(name)s has branches and cannot become a branch itself."))
BANK_INACTIVE = ErrorCode("partners.bank_inactive", _("The bank %(name)s is deactivated."))
SHARE_RANGE = ErrorCode("partners.share_range", _("%(label)s must be between 0%% and 100%%."))
SHARES_EXCEED = ErrorCode("partners.shares_exceed", _("The risk shares add up to %(total)s%%, more than 100%%."))
AMOUNT_NEGATIVE = ErrorCode("partners.amount_negative", _("%(label)s must not be negative."))
LINE_REQUIRED = ErrorCode("partners.line_required", _("Enter a credit line greater than zero."))
DATES_REVERSED = ErrorCode("partners.dates_reversed", _("The end date %(to)s is before the start date %(start)s."))
SINGLE_CAP_ABOVE_LINE = ErrorCode("partners.single_cap_above_line", _("The single guarantee cap cannot exceed the credit line."))
SCOPE_EMPTY = ErrorCode("partners.scope_empty", _("Choose at least one item the compensation covers."))
OVERLAP = ErrorCode(
    "partners.overlap",
    _("The bank already has agreement %(number)s in force from %(start)s to %(end)s; the periods overlap."),
)
NOT_EDITABLE = ErrorCode("partners.not_editable", _("This agreement is %(status)s and can no longer be changed."))
TRANSITION_NOT_ALLOWED = ErrorCode("partners.transition_not_allowed", _("An agreement that is %(status)s cannot be %(action)s."))
REASON_REQUIRED = ErrorCode("partners.reason_required", _("Give a reason."))
ALREADY_ENDED = ErrorCode("partners.already_ended", _("The agreement has already ended on %(end)s; it cannot be put in force."))
SAME_PERSON = ErrorCode(
    "partners.same_person",
    _("You prepared or last changed this agreement; another person with the right must put it in force (maker-checker)."),
)
STALE = ErrorCode("partners.stale", _("This record was changed by someone else; reload the page and try again."))
PRODUCT_CODE_INVALID = ErrorCode(
    "partners.product_code_invalid", _("Product codes may contain letters, digits, '-' and '_' only: %(value)s")
)
KIND_INVALID = ErrorCode("partners.kind_invalid", _("Choose a valid kind."))
