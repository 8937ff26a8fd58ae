"""Names of the approval-workflow events in the audit log (audit.labels)."""

from django.utils.translation import pgettext_lazy

from danbao.audit import labels

labels.register_group("workflow.", pgettext_lazy("audit area", "Approval workflow"))
labels.register_labels(
    {
        "workflow.instance_start": pgettext_lazy("audit event", "Approval started"),
        "workflow.task_approve": pgettext_lazy("audit event", "Approved"),
        "workflow.task_reject": pgettext_lazy("audit event", "Rejected"),
        "workflow.task_return": pgettext_lazy("audit event", "Returned"),
        "workflow.instance_resubmit": pgettext_lazy("audit event", "Resubmitted"),
        "workflow.instance_withdraw": pgettext_lazy("audit event", "Withdrawn by the submitter"),
        "workflow.instance_terminate": pgettext_lazy("audit event", "Approval terminated"),
        "workflow.instance_urge": pgettext_lazy("audit event", "Approvers urged"),
        "workflow.task_transfer": pgettext_lazy("audit event", "Task transferred"),
        "workflow.task_delegate": pgettext_lazy("audit event", "Task delegated"),
        "workflow.task_add_signer": pgettext_lazy("audit event", "Signer added"),
        "workflow.task_remove_signer": pgettext_lazy("audit event", "Signer removed"),
        "workflow.committee_complete": pgettext_lazy("audit event", "Committee decision applied"),
        "workflow.definition_create": pgettext_lazy("audit event", "Flow created"),
        "workflow.version_edit": pgettext_lazy("audit event", "Flow draft edited"),
        "workflow.version_publish": pgettext_lazy("audit event", "Flow version published"),
    }
)
