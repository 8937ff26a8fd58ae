"""Reason codes of the approval engine (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("workflow.permission_denied", _("You do not have permission to do this."))
FLOW_TYPE_UNKNOWN = ErrorCode("workflow.flow_type_unknown", _("Unknown flow type %(flow_type)s."))
NO_PUBLISHED_VERSION = ErrorCode("workflow.no_published_version", _("The flow %(flow)s has no published version."))
GRAPH_INVALID = ErrorCode("workflow.graph_invalid", _("The flow cannot be published: %(problems)s"))
VERSION_NOT_DRAFT = ErrorCode("workflow.version_not_draft", _("Only a draft version can be changed or published."))
ALREADY_ACTIVE = ErrorCode("workflow.already_active", _("This item already has an approval in progress."))
WRONG_OBJECT = ErrorCode("workflow.wrong_object", _("This flow type does not apply to this kind of item."))
INSTANCE_NOT_RUNNING = ErrorCode("workflow.instance_not_running", _("This approval is no longer in progress."))
TRANSITION_NOT_ALLOWED = ErrorCode("workflow.transition_not_allowed", _("An approval cannot go from %(source)s to %(target)s."))
TASK_HANDLED = ErrorCode("workflow.task_handled", _("This task has already been handled by %(name)s."))
NOT_ASSIGNEE = ErrorCode("workflow.not_assignee", _("This task is not assigned to you."))
OWN_INSTANCE = ErrorCode("workflow.own_instance", _("You submitted this item, so you cannot approve it."))
NO_ASSIGNEE = ErrorCode(
    "workflow.no_assignee", _("Nobody can handle the step %(node)s, and nobody holds the fallback queue permission either.")
)
RETURN_TARGET_INVALID = ErrorCode("workflow.return_target_invalid", _("The item can only be returned to a step it has already passed."))
REASON_REQUIRED = ErrorCode("workflow.reason_required", _("Enter a reason."))
NOT_SUBMITTER = ErrorCode("workflow.not_submitter", _("Only the person who submitted this item can do this."))
ALREADY_ACTED = ErrorCode("workflow.already_acted", _("Someone has already acted on this item, so it can no longer be withdrawn."))
NOT_RETURNED = ErrorCode("workflow.not_returned", _("This item is not waiting for you to submit it again."))
TRANSFER_TARGET_INVALID = ErrorCode(
    "workflow.transfer_target_invalid", _("%(name)s cannot take over this task (yourself, the submitter or an excluded person).")
)
SIGNER_INVALID = ErrorCode("workflow.signer_invalid", _("%(name)s cannot be added as a signer here."))
SIGNER_NOT_REMOVABLE = ErrorCode("workflow.signer_not_removable", _("Only a signer who was added and has not acted yet can be removed."))
NOT_COMMITTEE_NODE = ErrorCode("workflow.not_committee_node", _("This approval is not waiting for a committee decision."))
URGE_TOO_SOON = ErrorCode("workflow.urge_too_soon", _("A reminder was sent less than an hour ago."))
DELEGATE_CANNOT_REJECT = ErrorCode(
    "workflow.delegate_cannot_reject", _("A delegated task gives an opinion and goes back; it cannot reject.")
)
TOO_MANY_FILES = ErrorCode("workflow.too_many_files", _("At most %(limit)s files can be attached to one decision."))
CONDITIONS_TOO_LONG = ErrorCode("workflow.conditions_too_long", _("The conditions are too long (at most %(limit)s characters)."))
GRAPH_UNREADABLE = ErrorCode("workflow.graph_unreadable", _("The flow graph cannot be read: %(problem)s"))
