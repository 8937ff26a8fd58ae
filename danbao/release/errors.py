"""Reason codes of the release app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("release.permission_denied", _("You may not do this on this project's release."))
TRANSITION = ErrorCode("release.transition", _("This step is not allowed in the current state."))
NOT_IN_FORCE = ErrorCode("release.not_in_force", _("The guarantee is %(state)s; only an in-force guarantee can be released."))
ALREADY = ErrorCode("release.already", _("The release of this guarantee was already registered (%(number)s)."))
SCAN_REQUIRED = ErrorCode("release.scan_required", _("Please attach the scan of the bank's release notice."))
REFERENCE_REQUIRED = ErrorCode("release.reference_required", _("Please enter the reference of the bank's notice."))
DATE_INVALID = ErrorCode("release.date_invalid", _("Please enter a valid date that is not in the future."))
TASK_DONE = ErrorCode("release.task_done", _("This task is already done."))
REGISTRY_REQUIRED = ErrorCode("release.registry_required", _("Please enter the registry office of the deregistration."))
BALANCE_OPEN = ErrorCode(
    "release.balance_open",
    _("The loan balance is still %(balance)s yuan; release only when it is 0 or the bank's notice confirms full repayment."),
)
