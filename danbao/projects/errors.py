"""Reason codes of the projects app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("projects.permission_denied", _("You may not do this on this project."))
TRANSITION_NOT_ALLOWED = ErrorCode("projects.transition_not_allowed", _("A project in state %(source)s cannot move to %(target)s."))
REASON_REQUIRED = ErrorCode("projects.reason_required", _("Please give a reason."))
STALE = ErrorCode("projects.stale", _("The project was changed by someone else; please reload and try again."))
CUSTOMER_INACTIVE = ErrorCode("projects.customer_inactive", _("Customer %(customer)s is closed and cannot apply."))
NO_PRODUCT_VERSION = ErrorCode("projects.no_product_version", _("Product %(product)s has no published version in force on %(on)s."))
AMOUNT_INVALID = ErrorCode("projects.amount_invalid", _("The amount must be greater than zero."))
TERM_INVALID = ErrorCode("projects.term_invalid", _("The term must be a whole number of months greater than zero."))
FEE_RATE_INVALID = ErrorCode("projects.fee_rate_invalid", _("The fee rate must be between 0 and 100%%."))
SAME_MANAGERS = ErrorCode(
    "projects.same_managers", _("The A-role and B-role managers must be two different people (separation of duties).")
)
MANAGER_INACTIVE = ErrorCode("projects.manager_inactive", _("%(name)s cannot be a project manager (inactive or without project rights)."))
BRANCH_MISMATCH = ErrorCode("projects.branch_mismatch", _("Branch %(branch)s does not belong to bank %(bank)s."))
BANK_INACTIVE = ErrorCode("projects.bank_inactive", _("Bank %(bank)s is not active."))
CHANNEL_INACTIVE = ErrorCode("projects.channel_inactive", _("Channel %(channel)s is not active."))
OUT_OF_SCOPE = ErrorCode("projects.out_of_scope", _("The department is outside your data scope."))
INTAKE_BLOCKED = ErrorCode("projects.intake_blocked", _("The application is refused by the intake rules: %(reasons)s"))
PRE_APPROVAL_BLOCKED = ErrorCode("projects.pre_approval_blocked", _("The rules before approval block this project: %(reasons)s"))
OVERRIDE_REASON = ErrorCode("projects.override_reason", _("The rules need an exception approval: give the reason for the exception."))
OVERRIDE_OWN = ErrorCode("projects.override_own", _("The exception must be decided by someone other than who took the application."))
NOT_MANAGER = ErrorCode("projects.not_manager", _("Only the project's A-role manager can do this."))
REVIEWER_IS_MANAGER = ErrorCode(
    "projects.reviewer_is_manager", _("The project's own managers cannot review or approve it (separation of duties).")
)
OPINION_REQUIRED = ErrorCode("projects.opinion_required", _("Write the risk review opinion first."))
RECOMMENDATION_INVALID = ErrorCode("projects.recommendation_invalid", _("Choose a recommendation."))
NO_APPROVAL_FLOW = ErrorCode(
    "projects.no_approval_flow",
    _("Product %(product)s has no approval flow for %(amount)s yuan; ask the product manager to bind one."),
)
NOT_APPROVER = ErrorCode(
    "projects.not_approver", _("Only an approver with a pending approval task on this project can enter the approved terms.")
)
TERMS_INVALID = ErrorCode("projects.terms_invalid", _("Approved terms: %(problem)s"))
NOT_APPROVED = ErrorCode("projects.not_approved", _("Only an approved project has an approval letter or can be changed."))
CHANGE_PENDING = ErrorCode("projects.change_pending", _("This project already has a change request waiting for approval."))
CHANGE_NOTHING = ErrorCode("projects.change_nothing", _("The change request changes nothing."))
CHANGE_NO_FLOW = ErrorCode("projects.change_no_flow", _("No published change approval flow exists; ask the administrator to publish one."))
