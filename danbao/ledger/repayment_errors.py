"""Reason codes of repayments, release and maturity (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

REPAY_DENIED = ErrorCode("ledger.repay_denied", _("You may not record repayments for this guarantee."))
RELEASE_DENIED = ErrorCode("ledger.release_denied", _("You may not release this guarantee."))
REPAY_NOT_IN_FORCE = ErrorCode("ledger.repay_not_in_force", _("The guarantee is %(state)s; repayments can no longer be recorded."))
REPAY_AMOUNT = ErrorCode("ledger.repay_amount", _("Amounts must be zero or more, in yuan and fen, and the repayment must not be zero."))
REPAY_DATE = ErrorCode("ledger.repay_date", _("The repayment date %(date)s must be between the loan date %(loan_date)s and today."))
REPAY_OVER_BALANCE = ErrorCode(
    "ledger.repay_over_balance", _("The principal repaid %(amount)s yuan exceeds the principal outstanding %(balance)s yuan.")
)
REPAY_KEY_TAKEN = ErrorCode("ledger.repay_key_taken", _("This submission key belongs to another loan."))
ALREADY_REVERSED = ErrorCode("ledger.already_reversed", _("This repayment was already reversed."))
RELEASE_BALANCE = ErrorCode(
    "ledger.release_balance",
    _("The loan balance is %(balance)s yuan; release needs a zero balance or the bank's notice confirming full repayment."),
)
RELEASE_DATE = ErrorCode("ledger.release_date", _("The release date must not be in the future."))
