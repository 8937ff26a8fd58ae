"""Reason codes of the regulatory services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("regulatory.permission_denied", _("You do not have permission to do this."))
PERIOD_IN_FUTURE = ErrorCode(
    "regulatory.period_in_future", _("The period %(period)s is in the future: enter figures for past or current months only.")
)
NEGATIVE_AMOUNT = ErrorCode("regulatory.negative_amount", _("%(label)s must not be negative."))
STALE = ErrorCode("regulatory.stale", _("These figures were changed by someone else; reload the page and try again."))
REASON_REQUIRED = ErrorCode("regulatory.reason_required", _("Give the reason for correcting figures already entered."))
LEVELS_EXCEED_BASE = ErrorCode(
    "regulatory.levels_exceed_base",
    _("The asset items add up to %(levels)s, more than total assets less compensation receivable and entrusted funds (%(base)s)."),
)
PARAMETER_MISSING = ErrorCode("regulatory.parameter_missing", _("The parameter %(code)s has no value in force on %(date)s."))
