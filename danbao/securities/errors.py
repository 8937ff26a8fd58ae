"""Reason codes of the securities app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("securities.permission_denied", _("You may not do this on these counter-guarantees or this collateral."))
PROJECT_NOT_APPROVED = ErrorCode(
    "securities.project_not_approved", _("Project %(number)s is not approved; counter-guarantees are recorded for approved projects only.")
)
TRANSITION_NOT_ALLOWED = ErrorCode("securities.transition_not_allowed", _("A measure that is %(source)s cannot become %(target)s."))
REASON_REQUIRED = ErrorCode("securities.reason_required", _("Please give a reason."))
STALE = ErrorCode("securities.stale", _("This was changed by someone else; please reload and try again."))
NOT_EDITABLE = ErrorCode("securities.not_editable", _("Only a measure still to be put in place can be changed; this one is %(state)s."))
NOT_FULFILLABLE = ErrorCode("securities.not_fulfillable", _("The measure cannot be marked as in place yet: %(missing)s."))
PROVIDER_INVALID = ErrorCode("securities.provider_invalid", _("Provider: %(problem)s"))
ID_CODE_INVALID = ErrorCode("securities.id_code_invalid", _("Identity code: %(problem)s"))
AMOUNT_INVALID = ErrorCode("securities.amount_invalid", _("%(field)s must be an amount greater than zero."))
KIND_INVALID = ErrorCode("securities.kind_invalid", _("Unknown kind: %(kind)s."))
TYPE_MISMATCH = ErrorCode(
    "securities.type_mismatch",
    _(
        "A %(type)s cannot secure a %(kind)s measure "
        "(mortgage: real estate, land, equipment, vehicles; pledge: receivables, equity, deposits, warehouse receipts)."
    ),
)
NOT_SECURED_KIND = ErrorCode("securities.not_secured_kind", _("Only mortgage and pledge measures have collateral."))
NO_VALUE = ErrorCode("securities.no_value", _("Collateral %(number)s has no confirmed value yet; record an appraisal first."))
OVER_ALLOCATED = ErrorCode(
    "securities.over_allocated",
    _(
        "Collateral %(number)s is worth %(value)s yuan and %(allocated)s yuan of it already secures other measures; "
        "at most %(headroom)s yuan can still be allocated, not %(requested)s yuan."
    ),
)
ALREADY_ALLOCATED = ErrorCode("securities.already_allocated", _("This collateral already secures this measure."))
ALLOCATION_RELEASED = ErrorCode("securities.allocation_released", _("This allocation is already released."))
ATTRIBUTES_INVALID = ErrorCode("securities.attributes_invalid", _("Collateral details: %(problem)s"))
REVALUATION_PENDING = ErrorCode(
    "securities.revaluation_pending", _("A revaluation of this collateral is already waiting for confirmation; confirm or reject it first.")
)
SAME_PERSON = ErrorCode("securities.same_person", _("A revaluation must be confirmed by someone other than who proposed it."))
NOT_PROPOSED = ErrorCode("securities.not_proposed", _("This revaluation is no longer waiting for confirmation."))
DATE_INVALID = ErrorCode("securities.date_invalid", _("%(field)s: %(problem)s"))
FIELD_REQUIRED = ErrorCode("securities.field_required", _("%(field)s is required."))
SHARE_INVALID = ErrorCode("securities.share_invalid", _("The owners' shares add up to %(total)s%%, more than 100%%."))
CUSTODY_NOT_OUT = ErrorCode("securities.custody_not_out", _("This document is not out of custody."))
CUSTODY_OUT = ErrorCode("securities.custody_out", _("The title documents are out of custody (%(reason)s); record their return first."))
