"""What the archive app registers with the platform: permission codes and default grants, menu,
message kinds, audit names, to-dos, the nightly job, the dossier section and its demo step."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.archive import selectors
from danbao.audit import labels
from danbao.core import demo, menu, workbench
from danbao.core.menu import MenuGroup, MenuItem
from danbao.notifications import registry as message_kinds
from danbao.notifications.registry import MessageKind
from danbao.org import permissions, roles
from danbao.projects import dossier
from danbao.system.services import jobs as system_jobs

VIEW, MANAGE, REQUEST, APPROVE = selectors.VIEW, selectors.MANAGE, selectors.REQUEST, selectors.APPROVE

if "archive" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "archive",
            pgettext_lazy("archive app", "Archive"),
            (
                (VIEW, _("View project archive files, the archive register and borrowings in the data scope")),
                (MANAGE, _("Keep archive files: record paper documents, waive, archive, re-open, lend and take back")),
                (REQUEST, _("Request to borrow archived files")),
                (APPROVE, _("Approve or reject borrowing requests of others")),
            ),
        )
    )

for _role in ("archivist", "business_manager", "risk_manager", "dept_head", "general_manager", "legal"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("archivist", MANAGE)
for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "legal", "archivist", "finance"):
    roles.register_default_grants(_role, REQUEST)
for _role in ("dept_head", "general_manager"):
    roles.register_default_grants(_role, APPROVE)

menu.register_groups()
if "archive" not in menu.groups:
    menu.groups.register("archive", MenuGroup("archive", pgettext_lazy("menu", "Archive management"), "ti-archive", 45))
for _item in (
    MenuItem("archive.register", "archive", _("Archive register"), "archive:register", VIEW, 10, "ti-archive"),
    MenuItem("archive.ready", "archive", _("Files to archive"), "archive:ready", MANAGE, 20, "ti-folder-plus"),
    MenuItem("archive.borrowings", "archive", pgettext_lazy("archive", "Borrowings"), "archive:borrowings", REQUEST, 30, "ti-book-upload"),
    MenuItem("archive.boxes", "archive", _("Boxes and locations"), "archive:boxes", VIEW, 40, "ti-box"),
):
    if _item.key not in menu.items:
        menu.register_item(_item)


# --- message kinds --------------------------------------------------------------------------------

for _kind in (
    MessageKind(
        "archive.borrow_decided",
        _("Borrowing request decided"),
        _("Borrowing {number} {result}"),
        _("Your request to borrow archive documents ({number}) was {result}."),
        {"number": "JY-2026-0001", "result": pgettext_lazy("archive", "approved")},
    ),
    MessageKind(
        "archive.borrow_due_soon",
        _("Borrowed archive due soon"),
        _("Please return archive {file} by {due}"),
        _("The archive documents you borrowed ({number}, file {file}) are due back on {due}."),
        {"number": "JY-2026-0001", "file": "DA-2026-0001", "due": "2026-06-30"},
    ),
    MessageKind(
        "archive.borrow_overdue",
        _("Borrowed archive overdue"),
        _("Archive {file} overdue since {due}"),
        _("The archive documents borrowed under {number} (file {file}) were due back on {due} and are not returned."),
        {"number": "JY-2026-0001", "file": "DA-2026-0001", "due": "2026-06-30"},
    ),
):
    if _kind.code not in message_kinds.kinds:
        message_kinds.register_kind(_kind)


# --- audit names ----------------------------------------------------------------------------------

labels.register_group("archive.", pgettext_lazy("audit area", "Archive"))
labels.register_labels(
    {
        "archive.file_opened": pgettext_lazy("audit event", "Archive file opened"),
        "archive.item_recorded": pgettext_lazy("audit event", "Archive paper document recorded"),
        "archive.item_waived": pgettext_lazy("audit event", "Archive document waived"),
        "archive.item_unwaived": pgettext_lazy("audit event", "Archive waiver withdrawn"),
        "archive.file_archived": pgettext_lazy("audit event", "File archived"),
        "archive.file_reopened": pgettext_lazy("audit event", "Archive file re-opened"),
        "archive.borrow_requested": pgettext_lazy("audit event", "Archive borrowing requested"),
        "archive.borrow_approved": pgettext_lazy("audit event", "Archive borrowing approved"),
        "archive.borrow_rejected": pgettext_lazy("audit event", "Archive borrowing rejected"),
        "archive.borrow_cancelled": pgettext_lazy("audit event", "Archive borrowing cancelled"),
        "archive.borrow_lent": pgettext_lazy("audit event", "Archive documents handed over"),
        "archive.borrow_returned": pgettext_lazy("audit event", "Archive documents returned"),
    }
)


# --- workbench to-dos -----------------------------------------------------------------------------


def _todos(user: Any) -> list[workbench.Todo]:
    today = timezone.localdate()
    found: list[workbench.Todo] = []
    if user.can(APPROVE):
        for b in selectors.borrowings_tab(user, "approve", today)[:20]:
            found.append(
                workbench.Todo(
                    _("Approve archive borrowing"),
                    f"{b.number} {b.requester.real_name or b.requester.username} · {b.file.project.number}",
                    reverse("archive:borrowing-detail", args=[b.pk]),
                    due_date=b.expected_return,
                )
            )
    overdue = selectors.borrowings_tab(user, "overdue", today)
    if not user.can(MANAGE):
        overdue = overdue.filter(requester=user)
    for b in overdue[:20]:
        found.append(
            workbench.Todo(
                _("Archive return overdue"),
                f"{b.number} {b.file.number} · {b.requester.real_name or b.requester.username}",
                reverse("archive:borrowing-detail", args=[b.pk]),
                due_date=b.expected_return,
                urgent=True,
            )
        )
    if user.can(MANAGE):
        for project in selectors.ready_candidates(user, limit=10):
            found.append(
                workbench.Todo(
                    _("File ready to archive"),
                    f"{project.number} {project.customer.name} · {project.get_state_display()}",
                    reverse("archive:project", args=[project.pk]),
                )
            )
    return found


if "archive" not in workbench.providers:
    workbench.register(workbench.TodoProvider("archive", pgettext_lazy("archive app", "Archive"), _todos, REQUEST))


# --- the nightly job ------------------------------------------------------------------------------

_JOB = system_jobs.DefaultJob(
    "档案借阅归还提醒",
    "danbao.archive.tasks.nightly",
    "40",
    "1",
    "每天 01:40 提醒借阅人即将到期的档案借阅，并对逾期未还的借阅提醒借阅人和经办档案管理员",
)
if not any(job.task == _JOB.task for job in system_jobs.DEFAULT_JOBS):
    system_jobs.DEFAULT_JOBS.append(_JOB)


# --- the project dossier --------------------------------------------------------------------------


def _dossier_context(user: Any, project: Any) -> dict[str, Any]:
    return selectors.dossier_section(user, project)


if "archive" not in dossier.sections:
    dossier.register(dossier.DossierSection("archive", "archive/_dossier_section.html", _dossier_context, 95))


# --- demo -----------------------------------------------------------------------------------------


def _run_demo() -> str:
    from danbao.archive.demo import seed

    return seed()


if "archive" not in demo.steps:
    # After the monitoring (130) and release (140) steps.
    demo.register(demo.DemoStep("archive", 150, _run_demo))

from danbao.archive import parameters as _parameters  # noqa: E402
from danbao.system.seeds import register_parameter_seeder  # noqa: E402

register_parameter_seeder("archive", _parameters.ensure_parameters)
