"""The archive demo step: archives ended projects' files and makes borrowings; idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from danbao.archive.models import ArchiveFile, Borrowing, FileState

pytestmark = pytest.mark.django_db


def test_demo_archives_ended_projects_and_is_idempotent(world: Any, owner: Any, b_manager: Any, archivist: Any, dept_head: Any) -> None:
    from danbao.archive.demo import seed
    from danbao.projects import services as project_services
    from danbao.projects.tests.support import intake

    manager = owner
    manager.username = "manager"  # the demo's business manager
    manager.save(update_fields=["username"])
    for _ in range(2):
        project_services.project_withdraw(actor=manager, project=intake(world, manager, b_manager), reason="客户撤回")
    intake(world, manager, b_manager)  # still in progress: not archived
    first = seed()
    assert ArchiveFile.objects.filter(state=FileState.ARCHIVED).count() == 2
    assert Borrowing.objects.count() == 2
    assert set(Borrowing.objects.values_list("state", flat=True)) == {"requested", "approved"}
    assert all(f.number and f.box and f.room for f in ArchiveFile.objects.all())
    second = seed()
    assert ArchiveFile.objects.count() == 2 and Borrowing.objects.count() == 2
    assert "2 files archived" in first and "0 files archived, 0 borrowings" in second
