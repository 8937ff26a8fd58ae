"""Reason codes of the rules services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("rules.permission_denied", _("You do not have permission to do this."))
STALE = ErrorCode("rules.stale", _("This rule was changed by someone else; reload the page and try again."))
REASON_REQUIRED = ErrorCode("rules.reason_required", _("Give a reason for the change."))
TEXT_REQUIRED = ErrorCode("rules.text_required", _("Enter the rule name and both reason texts."))
STAGES_REQUIRED = ErrorCode("rules.stages_required", _("Choose at least one valid stage."))
SEVERITY_INVALID = ErrorCode("rules.severity_invalid", _("Choose a valid severity."))
PRODUCTS_REQUIRED = ErrorCode("rules.products_required", _("Choose the products the rule applies to, or apply it to all products."))
PRODUCT_UNKNOWN = ErrorCode("rules.product_unknown", _("Unknown product code %(value)s."))
PARAM_UNKNOWN = ErrorCode("rules.param_unknown", _("Rule %(rule)s has no parameter %(key)s."))
PARAM_VALUE = ErrorCode("rules.param_value", _("Invalid value for %(label)s: %(problem)s"))
PARAM_PERIOD = ErrorCode("rules.param_period", _("The period overlaps the value valid from %(start)s; choose a later start date."))
PARAM_MISSING = ErrorCode("rules.param_missing", _("Rule %(rule)s: parameter %(key)s has no value in force on %(date)s."))
NOT_REGISTERED = ErrorCode("rules.not_registered", _("Rule %(code)s has no check in this version of the system."))
STAGE_INVALID = ErrorCode("rules.stage_invalid", _("Choose a valid stage."))
