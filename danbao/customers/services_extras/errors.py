"""Refusal codes of statements, related parties, screening and credit records."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("customers.permission_denied", _("You do not have permission to do this."))
STATEMENT_UNBALANCED = ErrorCode(
    "customers.statement_unbalanced", _("The statement does not balance: %(details)s Correct the figures or save it as a draft.")
)
STATEMENT_DUPLICATE = ErrorCode("customers.statement_duplicate", _("A statement for this customer and period already exists."))
STATEMENT_FUTURE = ErrorCode("customers.statement_future", _("The period end date cannot be in the future."))
HOUSEHOLD_DUPLICATE = ErrorCode("customers.household_duplicate", _("An income-and-assets statement for %(year)s already exists."))
HOUSEHOLD_KIND = ErrorCode("customers.household_kind", _("Income-and-assets statements are for farmers and natural persons only."))
IMPORT_INVALID = ErrorCode("customers.import_invalid", _("The file has %(count)s error(s); nothing was saved."))
RELATION_PARTY_MISSING = ErrorCode("customers.relation_party_missing", _("Choose a customer or enter the party's name."))
RELATION_SELF = ErrorCode("customers.relation_self", _("A customer cannot be its own related party."))
RELATION_BAD_CODE = ErrorCode("customers.relation_bad_code", _("The identity code is not valid: %(details)s"))
RELATION_SHARE = ErrorCode("customers.relation_share", _("A shareholder needs a share between 0 and 100 percent."))
RELATION_ENDED = ErrorCode("customers.relation_ended", _("This relation has already ended."))
HIT_HANDLED = ErrorCode("customers.hit_handled", _("This hit has already been handled."))
HIT_REASON = ErrorCode("customers.hit_reason", _("Give a reason for the decision."))
ENTRY_NAME = ErrorCode("customers.entry_name", _("A blacklist entry needs a name."))
CONSENT_MISSING = ErrorCode(
    "customers.consent_missing", _("No valid credit consent covers %(date)s: record the customer's authorisation first.")
)
CONSENT_DATES = ErrorCode("customers.consent_dates", _("The consent must be valid until a date after it was signed."))
CONSENT_OTHER_CUSTOMER = ErrorCode("customers.consent_other_customer", _("This consent belongs to another customer."))
