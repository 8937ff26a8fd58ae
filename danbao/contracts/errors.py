"""Reason codes of the contracts app (English source, zh-Hans in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("contracts.permission_denied", _("You may not do this on this project's contracts."))
TEMPLATE_PERMISSION_DENIED = ErrorCode("contracts.template_permission_denied", _("You may not edit or publish contract templates."))
UNKNOWN_PLACEHOLDERS = ErrorCode(
    "contracts.unknown_placeholders",
    _("These placeholders are not in the catalogue: %(names)s. Use only the placeholders listed beside the editor."),
)
BROKEN_PLACEHOLDER = ErrorCode(
    "contracts.broken_placeholder", _("Line %(line)s has an unclosed or empty placeholder; write placeholders as {{name}}.")
)
TABLE_PLACEHOLDER_INLINE = ErrorCode(
    "contracts.table_placeholder_inline", _("The table placeholder %(name)s must stand alone on its own line (line %(line)s).")
)
TITLE_REQUIRED = ErrorCode("contracts.title_required", _("Please give the contract title."))
BODY_REQUIRED = ErrorCode("contracts.body_required", _("The wording is empty."))
VERSION_PUBLISHED = ErrorCode(
    "contracts.version_published", _("Version %(number)s is published and can no longer be changed; create a new version.")
)
DRAFT_EXISTS = ErrorCode("contracts.draft_exists", _("Version %(number)s of this template is still a draft; edit or publish it first."))
NOT_A_DRAFT = ErrorCode("contracts.not_a_draft", _("Only a draft version can be published."))
STALE = ErrorCode("contracts.stale", _("This was changed by someone else; please reload and try again."))
NO_PUBLISHED_TEMPLATE = ErrorCode("contracts.no_published_template", _("There is no published template for the %(kind)s."))
PROJECT_NOT_APPROVED = ErrorCode(
    "contracts.project_not_approved", _("Project %(number)s is in state %(state)s; contracts are generated only for approved projects.")
)
NO_TERMS = ErrorCode("contracts.no_terms", _("Project %(number)s has no effective approved terms."))
NOT_REQUIRED = ErrorCode("contracts.not_required", _("This project does not need a contract of this kind for this subject."))
ALREADY_GENERATED = ErrorCode(
    "contracts.already_generated", _("Contract %(number)s already exists for this; void it first to generate a new one.")
)
TRANSITION_NOT_ALLOWED = ErrorCode("contracts.transition_not_allowed", _("A contract in state %(source)s cannot become %(target)s."))
SCAN_REQUIRED = ErrorCode("contracts.scan_required", _("Upload the signed scan before marking the contract signed."))
SIGNED_ON_REQUIRED = ErrorCode("contracts.signed_on_required", _("Please give the signing date."))
SIGNED_ON_INVALID = ErrorCode(
    "contracts.signed_on_invalid", _("The signing date cannot be before the contract was generated (%(generated)s) or in the future.")
)
SIGNATORIES_REQUIRED = ErrorCode("contracts.signatories_required", _("Record who signed for each party."))
REASON_REQUIRED = ErrorCode("contracts.reason_required", _("Please give a reason."))
