"""Reason codes of the product services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("products.permission_denied", _("You do not have permission to do this."))
CODE_REQUIRED = ErrorCode("products.code_required", _("Enter a product code of letters, digits, - or _ (at most 32)."))
CODE_TAKEN = ErrorCode("products.code_taken", _("A product with code %(value)s already exists."))
NAME_REQUIRED = ErrorCode("products.name_required", _("Enter the product name."))
NOT_DRAFT = ErrorCode(
    "products.not_draft", _("Version %(number)s is published and can no longer be changed; edit the product to make a new draft.")
)
STALE = ErrorCode("products.stale", _("This draft was changed by someone else; reload the page and try again."))
TRANSITION = ErrorCode("products.transition", _("A product cannot go from %(source)s to %(target)s."))
REASON_REQUIRED = ErrorCode("products.reason_required", _("Give a reason."))
RETIRED = ErrorCode("products.retired", _("This product is retired and can no longer be changed."))
INVALID = ErrorCode("products.invalid", _("%(message)s"))
POLICY_CAP = ErrorCode("products.policy_cap", _("%(message)s"))
FLOW_INVALID = ErrorCode("products.flow_invalid", _("Approval flow %(flow)s is not an active flow of type %(flow_type)s."))
