"""Archive demo: the files of demo projects that ended before lending (rejected / withdrawn / declined)
and of guarantees the release demo has released are archived by the archivist (every required paper
received as original, boxes by year, one room); then a few borrowings in each state, one of them
overdue, requested by a business manager and approved by the department head.

Everything goes through the services. Idempotent: archived files are skipped, borrowings are only made
while the demo has none. Fast: at most 24 files.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from danbao.archive import parameters, selectors, services
from danbao.archive.models import ArchiveFile, Borrowing, FileState
from danbao.core.errors import DomainError
from danbao.org.models import User

MAX_FILES = 24


def _archive(archivist: Any, project: Any, index: int) -> bool:
    file = services.file_open(actor=archivist, project=project)
    if file.state != FileState.OPEN:
        return False
    for item in file.items.filter(current=True, required=True):
        if not item.done:
            services.item_record(actor=archivist, file=file, item_pk=item.pk, received="original", pages=2 + (index + item.order) % 9)
    on = timezone.localdate()
    try:
        services.file_archive(
            actor=archivist,
            file=file,
            box=f"{on.year}-B{index // 6 + 1:02d}",
            room="档案室 301",
            cabinet=f"柜 {index // 12 + 1}",
            shelf=f"第 {index % 4 + 1} 层",
            on=on,
        )
    except DomainError:
        return False
    return True


def _borrowings(archivist: Any) -> int:
    manager = User.objects.filter(username="manager").first()
    head = User.objects.filter(username="depthead").first()
    if manager is None or head is None or Borrowing.objects.exists():
        return 0
    files = list(selectors.file_list_for(manager).filter(state=FileState.ARCHIVED).order_by("id")[:6])
    today = timezone.localdate()
    made = 0
    plan = ("requested", "approved", "lent", "returned", "rejected", "overdue")
    for file, target in zip(files, plan, strict=False):
        on = today - dt.timedelta(days=20) if target == "overdue" else today
        due = today - dt.timedelta(days=3) if target == "overdue" else today + dt.timedelta(days=10)
        borrowing = services.borrow_request(
            actor=manager,
            file=file,
            purpose="贷后检查复核原始资料" if target != "rejected" else "个人学习",
            items="反担保合同、他项权证" if target in ("lent", "overdue") else "",
            form="original" if target in ("lent", "overdue", "returned") else "copy",
            mode="take_out" if target in ("lent", "overdue") else "on_site",
            expected_return=due,
            on=on,
        )
        made += 1
        if target == "requested":
            continue
        if target == "rejected":
            services.borrow_reject(actor=head, borrowing=borrowing, reason="用途不明确，请说明具体业务需要")
            continue
        services.borrow_approve(actor=head, borrowing=borrowing, comment="同意")
        if target == "approved":
            continue
        services.borrow_lend(actor=archivist, borrowing=borrowing)
        if target == "returned":
            services.borrow_return(actor=archivist, borrowing=borrowing, condition="完好，页数无误")
    return made


def seed() -> str:
    archivist = User.objects.filter(username="archivist").first()
    if archivist is None:
        return "archive: no archivist user"
    parameters.ensure_parameters()
    services.numbering_ensure()
    archived = 0
    done = ArchiveFile.objects.exclude(state=FileState.OPEN).count()
    if done < MAX_FILES:
        for index, project in enumerate(selectors.ready_candidates(archivist, limit=MAX_FILES - done), start=done):
            archived += _archive(archivist, project, index)
    made = _borrowings(archivist)
    return f"archive: {archived} files archived, {made} borrowings"
