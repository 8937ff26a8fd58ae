"""Reason codes of the ledger app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("ledger.permission_denied", _("You may not record a disbursement for this project."))
TRANSITION_NOT_ALLOWED = ErrorCode("ledger.transition_not_allowed", _("A guarantee in state %(source)s cannot move to %(target)s."))
REASON_REQUIRED = ErrorCode("ledger.reason_required", _("Please give a reason."))
PROJECT_NOT_APPROVED = ErrorCode(
    "ledger.project_not_approved", _("Project %(number)s is in state %(state)s; only an approved project can be disbursed.")
)
NO_LETTER = ErrorCode(
    "ledger.no_letter", _("Project %(number)s has no valid guarantee letter; the letter must be issued before the bank lends.")
)
NOT_IN_FORCE = ErrorCode("ledger.not_in_force", _("The guarantee of project %(number)s is %(state)s; no further tranche can be recorded."))
RULES_BLOCKED = ErrorCode("ledger.rules_blocked", _("The pre-disbursement rules refuse this loan: %(reasons)s"))
AMOUNT_INVALID = ErrorCode("ledger.amount_invalid", _("The loan amount must be greater than zero, in yuan and fen."))
OVER_APPROVAL = ErrorCode(
    "ledger.over_approval",
    _(
        "The loans would exceed the approved amount of %(approved)s yuan: %(lent)s yuan already lent, "
        "%(remaining)s yuan remaining, this tranche %(amount)s yuan."
    ),
)
DATES_INVALID = ErrorCode("ledger.dates_invalid", _("The maturity date must be after the loan date."))
LOAN_DATE_FUTURE = ErrorCode("ledger.loan_date_future", _("The loan date %(date)s is in the future; record a loan once the bank has lent."))
LOAN_BEFORE_LETTER = ErrorCode(
    "ledger.loan_before_letter", _("The loan date %(date)s is before the guarantee letter was issued (%(issued)s).")
)
TERM_EXCEEDED = ErrorCode(
    "ledger.term_exceeded",
    _(
        "The maturity date %(maturity)s is beyond the approved term of %(months)s months from the first loan date %(first)s "
        "(latest allowed %(latest)s)."
    ),
)
RATE_INVALID = ErrorCode("ledger.rate_invalid", _("The annual interest rate must be at least 0 and below 100%%."))
METHOD_INVALID = ErrorCode("ledger.method_invalid", _("Unknown repayment method."))
CONTRACT_REQUIRED = ErrorCode("ledger.contract_required", _("Enter the bank's loan contract number."))
CONTRACT_TAKEN = ErrorCode("ledger.contract_taken", _("Loan contract %(contract)s of %(bank)s is already recorded for project %(number)s."))
KEY_TAKEN = ErrorCode("ledger.key_taken", _("This submission was already used for another project; reload the form."))
NO_AGREEMENT = ErrorCode("ledger.no_agreement", _("No cooperation agreement with %(bank)s is in force on %(date)s."))
CREDIT_LINE = ErrorCode(
    "ledger.credit_line",
    _(
        "The credit line of agreement %(agreement)s is not enough: limit %(limit)s yuan, used %(used)s yuan, "
        "available %(available)s yuan, this tranche %(amount)s yuan."
    ),
)
SHARES_INVALID = ErrorCode(
    "ledger.shares_invalid",
    _("The risk shares add up to more than 100%%: bank %(bank)s, re-guarantor %(reguarantor)s, fund %(fund)s, government pool %(pool)s."),
)
CUSTOM_REQUIRED = ErrorCode("ledger.custom_required", _("A custom repayment method needs the bank's schedule (upload the Excel file)."))
SCHEDULE = ErrorCode("ledger.schedule", _("Repayment schedule: %(problem)s"))
IMPORT_FILE = ErrorCode("ledger.import_file", _("The file could not be read as an Excel workbook (.xlsx)."))
IMPORT_ROW = ErrorCode("ledger.import_row", _("Row %(row)s: %(problem)s"))
IMPORT_EMPTY = ErrorCode("ledger.import_empty", _("The file has no schedule lines (columns: due date, principal, interest)."))
