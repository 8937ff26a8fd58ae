"""Reason codes of the scoring services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("scoring.permission_denied", _("You do not have permission to do this."))
CODE_INVALID = ErrorCode("scoring.code_invalid", _("The code may contain only letters, digits, - and _ (at most 32)."))
CODE_TAKEN = ErrorCode("scoring.code_taken", _("Code %(value)s is already used."))
NAME_REQUIRED = ErrorCode("scoring.name_required", _("Enter a name."))
KINDS_REQUIRED = ErrorCode("scoring.kinds_required", _("Choose at least one customer kind."))
KIND_UNKNOWN = ErrorCode("scoring.kind_unknown", _("Unknown customer kind %(kind)s."))
PRODUCT_UNKNOWN = ErrorCode("scoring.product_unknown", _("Unknown product code %(value)s."))
NOT_DRAFT = ErrorCode("scoring.not_draft", _("Version %(number)s is %(status)s and can no longer be changed."))
DRAFT_EXISTS = ErrorCode("scoring.draft_exists", _("Version %(number)s is already being drafted: edit or publish it first."))
FACTOR_INVALID = ErrorCode("scoring.factor_invalid", _("%(problems)s"))
FACTOR_UNKNOWN = ErrorCode("scoring.factor_unknown", _("This version has no factor %(factor_code)s."))
FACTOR_DUPLICATE = ErrorCode("scoring.factor_duplicate", _("Factor code %(factor_code)s is already used in this version."))
GRADES_INVALID = ErrorCode("scoring.grades_invalid", _("%(problems)s"))
NOT_PUBLISHABLE = ErrorCode("scoring.not_publishable", _("The version cannot be published yet: %(problems)s"))
NOT_PUBLISHED = ErrorCode("scoring.not_published", _("Only a published scorecard version can be used for an assessment."))
NOT_RETIRABLE = ErrorCode("scoring.not_retirable", _("Only a published version can be retired."))
REASON_REQUIRED = ErrorCode("scoring.reason_required", _("Give a reason."))
KIND_NOT_COVERED = ErrorCode(
    "scoring.kind_not_covered", _("This scorecard is not for customers of kind %(kind)s; choose a scorecard for this kind.")
)
CUSTOMER_CLOSED = ErrorCode("scoring.customer_closed", _("The customer is closed; it cannot be assessed."))
CUSTOMER_OUT_OF_SCOPE = ErrorCode("scoring.customer_out_of_scope", _("You cannot see this customer."))
ANSWER_INVALID = ErrorCode("scoring.answer_invalid", _("%(factor)s: choose one of the answers offered."))
COVERAGE_INVALID = ErrorCode("scoring.coverage_invalid", _("The counter-guarantee coverage must be a number of at least 0."))
NOT_QUALITATIVE = ErrorCode(
    "scoring.not_qualitative", _("Only qualitative factors may be adjusted; %(factor)s comes from the customer's data.")
)
ANSWER_UNCHANGED = ErrorCode("scoring.answer_unchanged", _("The answer is unchanged."))
