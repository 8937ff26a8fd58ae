"""Archive reads, always through the project data scope (archivists have the whole institution by their
role's scope; business staff see the files of their own projects and department)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from danbao.archive import checklist, lifecycle, readiness
from danbao.archive.models import ArchiveFile, ArchiveItem, Borrowing, BorrowState, FileState
from danbao.org.scope import get_in_scope
from danbao.projects.selectors import project_get_for, project_list_for

VIEW, MANAGE, REQUEST, APPROVE = lifecycle.VIEW, lifecycle.MANAGE, lifecycle.REQUEST, lifecycle.APPROVE

FILE_RELATED = ("project", "project__customer", "project__bank", "project__product_version__product", "archived_by")


def file_list_for(user: Any) -> QuerySet[ArchiveFile]:
    return ArchiveFile.objects.select_related(*FILE_RELATED).filter(project__in=project_list_for(user).values("pk"))


def file_get_for(user: Any, pk: Any, request: Any = None) -> ArchiveFile:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        from django.http import Http404

        raise Http404 from None
    return get_in_scope(file_list_for(user), user, request, pk=pk)


def project_for(user: Any, pk: Any, request: Any = None) -> Any:
    return project_get_for(user, pk, request)


def file_of(project: Any) -> ArchiveFile | None:
    return ArchiveFile.objects.filter(project=project).first()


def items_of(file: ArchiveFile) -> list[ArchiveItem]:
    return list(file.items.select_related("checked_by").order_by("order", "id"))


def grouped(items: list[Any]) -> list[tuple[str, list[Any]]]:
    """Checklist lines grouped by section, in lifecycle order."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(item.section, []).append(item)
    order = {code: i for i, code in enumerate(checklist.SECTIONS)}
    return [(checklist.section_label(code), groups[code]) for code in sorted(groups, key=lambda c: order.get(c, 99))]


def missing_of(items: list[ArchiveItem]) -> list[ArchiveItem]:
    return [item for item in items if item.missing]


def late_documents(file: ArchiveFile) -> list[checklist.DocLine]:
    """Documents that appeared in the system after the file was archived (re-open to add them)."""
    if file.state == FileState.OPEN:
        return []
    have = set(file.items.values_list("key", flat=True))
    return [line for line in checklist.compose(file.project) if line.key not in have]


def borrowing_list_for(user: Any) -> QuerySet[Borrowing]:
    """Borrowings of files in the user's scope, plus the user's own requests."""
    scoped = project_list_for(user).values("pk")
    return Borrowing.objects.select_related("file", "file__project", "file__project__customer", "requester", "decided_by").filter(
        Q(file__project__in=scoped) | Q(requester=user)
    )


def borrowing_get_for(user: Any, pk: Any, request: Any = None) -> Borrowing:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        from django.http import Http404

        raise Http404 from None
    return get_in_scope(borrowing_list_for(user), user, request, pk=pk)


TABS = ("mine", "approve", "lent", "overdue", "all")


def borrowings_tab(user: Any, tab: str, today: dt.date) -> QuerySet[Borrowing]:
    queryset = borrowing_list_for(user)
    if tab == "mine":
        return queryset.filter(requester=user)
    if tab == "approve":
        if not user.can(APPROVE):
            return queryset.none()
        return queryset.filter(state=BorrowState.REQUESTED).exclude(requester=user)
    if tab == "lent":
        return queryset.filter(state__in=(BorrowState.APPROVED, BorrowState.LENT))
    if tab == "overdue":
        return queryset.filter(state=BorrowState.LENT, expected_return__lt=today)
    return queryset


def tab_counts(user: Any, today: dt.date) -> dict[str, int]:
    return {tab: borrowings_tab(user, tab, today).count() for tab in TABS if tab != "all"}


def ready_candidates(user: Any, limit: int = 20) -> list[Any]:
    """Projects whose file could be archived now (readiness ok) and is not archived yet."""
    projects = (
        project_list_for(user)
        .filter(Q(state__in=readiness.ENDED_BEFORE_LENDING) | Q(state="approved", guarantee__state="released"))
        .exclude(archive_file__state__in=(FileState.ARCHIVED, FileState.LENT))
        .order_by("-state_changed_at", "-id")
    )
    found = []
    for project in projects[: limit * 3]:
        if all(line.ok for line in readiness.readiness_for(project)):
            found.append(project)
        if len(found) >= limit:
            break
    return found


def may_approve(user: Any, borrowing: Borrowing) -> bool:
    return user.can(APPROVE) and borrowing.state == BorrowState.REQUESTED and borrowing.requester_id != user.pk


def boxes(user: Any) -> list[dict[str, Any]]:
    """Archived files grouped by location and box (room → cabinet → shelf → box)."""
    rows: dict[tuple[str, str, str, str], list[ArchiveFile]] = {}
    for file in file_list_for(user).exclude(state=FileState.OPEN).order_by("room", "cabinet", "shelf", "box", "number"):
        rows.setdefault((file.room, file.cabinet, file.shelf, file.box), []).append(file)
    return [
        {
            "room": room,
            "cabinet": cabinet,
            "shelf": shelf,
            "box": box,
            "files": files,
            "lent": sum(f.state == FileState.LENT for f in files),
        }
        for (room, cabinet, shelf, box), files in rows.items()
    ]


def dossier_section(user: Any, project: Any) -> dict[str, Any]:
    file = file_of(project)
    borrowings = list(file.borrowings.select_related("requester").order_by("-id")[:5]) if file is not None else []
    return {
        "archive_file": file,
        "archive_borrowings": borrowings,
        "archive_may_view": bool(user and user.can(VIEW)),
    }
