"""Message kinds the engine sends and its scheduled job (registered in apps.ready)."""

from django.utils.translation import gettext_lazy as _

from danbao.notifications.registry import MessageKind
from danbao.system.services.jobs import DefaultJob

_SAMPLE = {"title": _("Guarantee project of Hengda Machinery"), "node": _("Department head review")}

MESSAGE_KINDS = (
    MessageKind(
        "workflow.task_assigned",
        _("Approval task assigned"),
        _("To approve: {title}"),
        _("{title} is waiting for you at step {node}. Due: {due}."),
        {**_SAMPLE, "due": "2026-06-30"},
    ),
    MessageKind(
        "workflow.task_reminder",
        _("Approval task due soon"),
        _("Due soon: {title}"),
        _("The approval of {title} at step {node} is due on {due}."),
        {**_SAMPLE, "due": "2026-06-30"},
    ),
    MessageKind(
        "workflow.task_overdue",
        _("Approval task overdue"),
        _("Due today or overdue: {title}"),
        _("The approval of {title} at step {node} was due on {due}. Please handle it now."),
        {**_SAMPLE, "due": "2026-06-30"},
    ),
    MessageKind(
        "workflow.instance_finished",
        _("Approval finished"),
        _("Approval finished: {title}"),
        _("The approval of {title} has ended: {result}."),
        {**_SAMPLE, "result": _("Approved")},
    ),
    MessageKind(
        "workflow.instance_returned",
        _("Approval returned to you"),
        _("Returned: {title}"),
        _("{title} was returned to you: {reason}. Correct it and submit it again."),
        {**_SAMPLE, "reason": _("Add the latest financial statements")},
    ),
    MessageKind(
        "workflow.cc",
        _("Approval copied to you"),
        _("For your information: {title}"),
        _("{title} was copied to you at step {node}."),
        _SAMPLE,
    ),
    MessageKind(
        "workflow.urge",
        _("Approval reminder from the submitter"),
        _("Please handle: {title}"),
        _("{by} asks you to handle {title}. {comment}"),
        {**_SAMPLE, "by": "王业务", "comment": ""},
    ),
)

DEADLINE_JOB = DefaultJob(
    "审批时限提醒与升级",
    "danbao.workflow.tasks.check_deadlines",
    "0",
    "8",
    "每天 08:00 提醒即将到期与已到期的审批任务，并按节点设置升级超时任务",
)
