"""Archive pages: who sees each page (403 without the permission, 404 outside the data scope) and the
happy path of every page and action."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from danbao.archive import services
from danbao.archive.models import ArchiveFile, Borrowing, BorrowState, FileState
from danbao.archive.tests.support import archived_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(withdrawn: Any, archivist: Any) -> ArchiveFile:
    return archived_file(archivist, withdrawn)


def test_register_permissions_scope_and_export(
    archived: ArchiveFile, client_for: Any, owner: Any, outsider: Any, nobody: Any, archivist: Any
) -> None:
    url = reverse("archive:register")
    assert client_for(nobody).get(url).status_code == 403
    page = client_for(archivist).get(url)
    assert page.status_code == 200 and archived.number in page.content.decode()
    assert archived.number in client_for(owner).get(url).content.decode()
    assert archived.number not in client_for(outsider).get(url).content.decode()  # other department
    filtered = client_for(archivist).get(url, {"state": "archived", "box": "2026-B01", "year": str(archived.archived_on.year)})
    assert archived.number in filtered.content.decode()
    assert archived.number not in client_for(archivist).get(url, {"state": "open"}).content.decode()
    export = client_for(archivist).get(url, {"export": "xlsx"})
    assert export.status_code in (200, 302)


def test_ready_page_lists_ended_projects_for_archivists(withdrawn: Any, client_for: Any, archivist: Any, owner: Any) -> None:
    url = reverse("archive:ready")
    assert client_for(owner).get(url).status_code == 403
    page = client_for(archivist).get(url)
    assert page.status_code == 200 and withdrawn.number in page.content.decode()


def test_boxes_page(archived: ArchiveFile, client_for: Any, archivist: Any, nobody: Any) -> None:
    assert client_for(nobody).get(reverse("archive:boxes")).status_code == 403
    page = client_for(archivist).get(reverse("archive:boxes"))
    assert page.status_code == 200 and "2026-B01" in page.content.decode() and archived.number in page.content.decode()


def test_project_file_page_scope(withdrawn: Any, client_for: Any, owner: Any, outsider: Any, nobody: Any, archivist: Any) -> None:
    url = reverse("archive:project", args=[withdrawn.pk])
    assert client_for(nobody).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    page = client_for(owner).get(url)
    assert page.status_code == 200 and "file-open" not in page.content.decode()  # no manage right
    page = client_for(archivist).get(url)
    assert 'data-testid="file-open"' in page.content.decode()


def test_archivist_opens_ticks_waives_and_archives_through_the_pages(withdrawn: Any, client_for: Any, archivist: Any, owner: Any) -> None:
    assert client_for(owner).post(reverse("archive:open", args=[withdrawn.pk])).status_code == 403
    client = client_for(archivist)
    assert client.post(reverse("archive:open", args=[withdrawn.pk])).status_code == 302
    file = ArchiveFile.objects.get(project=withdrawn)
    item = file.items.get(key="application.form")
    response = client.post(
        reverse("archive:archive", args=[withdrawn.pk]), {"box": "B1", "room": "R1", "cabinet": "C1", "version": file.version}
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.state == FileState.OPEN  # blocked: the application is missing
    page = client.get(reverse("archive:project", args=[withdrawn.pk])).content.decode()
    assert 'data-testid="missing"' in page
    client.post(reverse("archive:waive", args=[withdrawn.pk, item.pk]), {"reason": "仅有电子件"})
    item.refresh_from_db()
    assert item.waived
    client.post(reverse("archive:waive", args=[withdrawn.pk, item.pk]), {"undo": "1"})
    item.refresh_from_db()
    assert not item.waived
    client.post(reverse("archive:item", args=[withdrawn.pk, item.pk]), {"received": "original", "pages": "4", "note": "签字齐全"})
    item.refresh_from_db()
    assert (item.received, item.pages, item.note, item.checked_by) == ("original", 4, "签字齐全", archivist)
    file.refresh_from_db()
    client.post(
        reverse("archive:archive", args=[withdrawn.pk]),
        {"box": "B1", "room": "R1", "cabinet": "C1", "shelf": "S2", "version": file.version},
    )
    file.refresh_from_db()
    assert file.state == FileState.ARCHIVED and file.location == "R1 / C1 / S2"
    client.post(reverse("archive:reopen", args=[withdrawn.pk]), {"reason": ""})
    file.refresh_from_db()
    assert file.state == FileState.ARCHIVED
    client.post(reverse("archive:reopen", args=[withdrawn.pk]), {"reason": "补充材料"})
    file.refresh_from_db()
    assert file.state == FileState.OPEN


def test_item_post_needs_manage(withdrawn: Any, client_for: Any, archivist: Any, owner: Any) -> None:
    file = services.file_open(actor=archivist, project=withdrawn)
    item = file.items.first()
    assert client_for(owner).post(reverse("archive:item", args=[withdrawn.pk, item.pk]), {"received": "copy"}).status_code == 403
    assert client_for(owner).post(reverse("archive:waive", args=[withdrawn.pk, item.pk]), {"reason": "x"}).status_code == 403


def test_borrowing_pages_full_cycle(
    archived: ArchiveFile, client_for: Any, owner: Any, dept_head: Any, archivist: Any, outsider: Any, nobody: Any
) -> None:
    url = reverse("archive:borrow", args=[archived.pk])
    assert client_for(nobody).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    owner_client = client_for(owner)
    assert owner_client.get(url).status_code == 200
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = owner_client.post(
        url, {"purpose": "复核抵押资料", "form": "original", "mode": "take_out", "expected_return": due, "items": ""}
    )
    borrowing = Borrowing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("archive:borrowing-detail", args=[borrowing.pk])
    detail = reverse("archive:borrowing-detail", args=[borrowing.pk])
    assert owner_client.get(detail).status_code == 200
    assert client_for(outsider).get(detail).status_code == 404
    assert 'data-testid="tab-mine"' in owner_client.get(reverse("archive:borrowings")).content.decode()
    # The requester has no approve right; a colleague without it is refused too.
    assert owner_client.post(reverse("archive:borrowing-act", args=[borrowing.pk, "approve"])).status_code == 403
    head = client_for(dept_head)
    assert borrowing.number in head.get(reverse("archive:borrowings") + "?tab=approve").content.decode()
    assert 'data-testid="borrow-approve"' in head.get(detail).content.decode()
    head.post(reverse("archive:borrowing-act", args=[borrowing.pk, "approve"]), {"comment": "同意"})
    borrowing.refresh_from_db()
    assert borrowing.state == BorrowState.APPROVED and borrowing.decided_by == dept_head
    keeper = client_for(archivist)
    keeper.post(reverse("archive:borrowing-act", args=[borrowing.pk, "lend"]))
    borrowing.refresh_from_db()
    assert borrowing.state == BorrowState.LENT
    assert borrowing.number in keeper.get(reverse("archive:borrowings") + "?tab=lent").content.decode()
    keeper.post(reverse("archive:borrowing-act", args=[borrowing.pk, "return"]), {"condition": "完好"})
    borrowing.refresh_from_db()
    assert borrowing.state == BorrowState.RETURNED
    assert keeper.post(reverse("archive:borrowing-act", args=[borrowing.pk, "bogus"])).status_code == 403


def test_overdue_tab_and_workbench_todos(archived: ArchiveFile, client_for: Any, owner: Any, dept_head: Any, archivist: Any) -> None:
    from danbao.core import workbench

    today = timezone.localdate()
    borrowing = services.borrow_request(
        actor=owner, file=archived, purpose="复核", expected_return=today - dt.timedelta(days=2), on=today - dt.timedelta(days=10)
    )
    assert any("Approve" in str(t.kind) or "审批" in str(t.kind) for t in workbench.todos_for(dept_head))
    services.borrow_approve(actor=dept_head, borrowing=borrowing)
    services.borrow_lend(actor=archivist, borrowing=borrowing)
    page = client_for(archivist).get(reverse("archive:borrowings") + "?tab=overdue").content.decode()
    assert borrowing.number in page
    assert any(t.urgent for t in workbench.todos_for(archivist))
    assert any(t.urgent for t in workbench.todos_for(owner))


def test_dossier_section_renders(archived: ArchiveFile, client_for: Any, owner: Any) -> None:
    page = client_for(owner).get(reverse("projects:project-detail", args=[archived.project_id]))
    assert page.status_code == 200
    assert 'data-testid="dossier-archive"' in page.content.decode() and archived.number in page.content.decode()


def test_menu_has_the_archive_group(client_for: Any, archivist: Any) -> None:
    from danbao.core.menu import menu_for

    groups = {g.group.key: [i["key"] if isinstance(i, dict) and "key" in i else i for i in g.items] for g in menu_for(archivist)}
    assert "archive" in groups and len(groups["archive"]) == 4
