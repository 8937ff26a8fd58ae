"""Approval workflow engine (流程管理): versioned flow definitions, instances, tasks and their history.

Knows nothing about guarantees: domain apps register flow types in `registry` (floor 1b).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PERMISSIONS_LABELS = (
    ("workflow.definition.manage", _("Design and publish approval flows")),
    ("workflow.instance.admin", _("Supervise approvals: terminate, reassign, view stuck items")),
    ("workflow.fallback.handle", _("Handle approval steps nobody else can take (fallback queue)")),
)


class WorkflowConfig(AppConfig):
    name = "danbao.workflow"
    label = "workflow"
    verbose_name = _("Approval workflow")

    def ready(self) -> None:
        from danbao.core import workbench
        from danbao.notifications import registry as message_kinds
        from danbao.org import permissions
        from danbao.system.services import jobs
        from danbao.workflow import (
            attachments,
            kinds,
            registrations_audit,  # noqa: F401
            selectors,
        )

        if "workflow" not in permissions.catalog:
            permissions.register(permissions.PermissionGroup("workflow", _("Approval workflow"), PERMISSIONS_LABELS))
        for kind in kinds.MESSAGE_KINDS:
            if kind.code not in message_kinds.kinds:
                message_kinds.register_kind(kind)
        if not any(job.task == kinds.DEADLINE_JOB.task for job in jobs.DEFAULT_JOBS):
            jobs.DEFAULT_JOBS.append(kinds.DEADLINE_JOB)
        if "workflow.tasks" not in workbench.providers:
            workbench.register(workbench.TodoProvider("workflow.tasks", _("Approvals"), selectors.todos_for))
        attachments.register()
        self._menu()

    def _menu(self) -> None:
        from danbao.core import menu
        from danbao.core.menu import MenuItem

        entries = [
            MenuItem("workflow.todo", "workbench", _("My to-do"), "workflow:todo", None, 20, "ti-checklist"),
            MenuItem("workflow.done", "workbench", _("Done by me"), "workflow:done", None, 21, "ti-checks"),
            MenuItem("workflow.cc", "workbench", _("CC to me"), "workflow:cc", None, 22, "ti-mail-forward"),
            MenuItem(
                "workflow.definitions",
                "system",
                _("Approval flows"),
                "workflow:definition-list",
                "workflow.definition.manage",
                60,
                "ti-hierarchy-2",
            ),
            MenuItem(
                "workflow.instances",
                "system",
                _("All approvals"),
                "workflow:instance-list",
                "workflow.instance.admin",
                62,
                "ti-list-search",
            ),
            MenuItem(
                "workflow.monitor",
                "system",
                _("Stuck and overdue approvals"),
                "workflow:monitor",
                "workflow.instance.admin",
                61,
                "ti-alarm",
            ),
        ]
        for item in entries:
            if item.key not in menu.items:
                menu.register_item(item)
