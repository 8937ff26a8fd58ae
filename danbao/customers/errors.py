"""Reason codes of the customer services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("customers.permission_denied", _("You do not have permission to do this."))
IDENTITY_INVALID = ErrorCode("customers.identity_invalid", _("%(errors)s"))
DUPLICATE = ErrorCode("customers.duplicate", _("A customer with this identity number already exists: %(name)s"))
STALE = ErrorCode("customers.stale", _("This customer was changed by someone else; reload the page and try again."))
CLOSED = ErrorCode("customers.closed", _("This customer is closed and can no longer be changed."))
ALREADY_CLOSED = ErrorCode("customers.already_closed", _("This customer is already closed."))
REASON_REQUIRED = ErrorCode("customers.reason_required", _("Give a reason."))
NAME_REQUIRED = ErrorCode("customers.name_required", _("Enter the customer's name."))
KIND_INVALID = ErrorCode("customers.kind_invalid", _("Choose a valid customer kind."))
INDUSTRY_UNKNOWN = ErrorCode("customers.industry_unknown", _("Unknown industry code %(value)s."))
REGION_UNKNOWN = ErrorCode("customers.region_unknown", _("Unknown region code %(value)s."))
MOBILE_INVALID = ErrorCode("customers.mobile_invalid", _("Enter an 11-digit mainland mobile number starting with 1."))
MANAGER_REQUIRED = ErrorCode("customers.manager_required", _("Choose the managing department and the customer manager."))
SIZE_INVALID = ErrorCode("customers.size_invalid", _("Choose a valid size class."))
SIZE_NOT_APPLICABLE = ErrorCode("customers.size_not_applicable", _("Size classes apply to organisations only."))
FIELD_NOT_ALLOWED = ErrorCode("customers.field_not_allowed", _("The field %(field)s does not apply to this customer kind."))
PERSON_ID_INVALID = ErrorCode("customers.person_id_invalid", _("%(label)s: %(errors)s"))
