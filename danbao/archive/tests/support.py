"""Archive test helpers: the archivist, the numbering rules and parameters, a withdrawn project, and a
file made complete (every required line received as original) and archived."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danbao.archive import services
from danbao.archive.models import ArchiveFile


@pytest.fixture
def archive_setup(db: Any) -> None:
    from danbao.archive.parameters import ensure_parameters

    ensure_parameters()
    services.numbering_ensure()


@pytest.fixture
def archivist(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="archivist", department=org.head_office, roles=[org.roles["archivist"]], real_name="林档案")


@pytest.fixture
def withdrawn(world: dict[str, Any], owner: Any, b_manager: Any, archive_setup: Any) -> Any:
    """A project of the owner (department A) withdrawn right after intake."""
    from danbao.projects import services as project_services
    from danbao.projects.tests.support import intake

    project = intake(world, owner, b_manager)
    return project_services.project_withdraw(actor=owner, project=project, reason="客户另有融资安排，撤回申请")


def tick_all(archivist: Any, file: ArchiveFile) -> None:
    for item in file.items.filter(current=True, required=True):
        services.item_record(actor=archivist, file=file, item_pk=item.pk, received="original", pages=3)


def archived_file(archivist: Any, project: Any, on: dt.date | None = None) -> ArchiveFile:
    file = services.file_open(actor=archivist, project=project)
    tick_all(archivist, file)
    return services.file_archive(actor=archivist, file=file, box="2026-B01", room="档案室 301", cabinet="柜 1", shelf="第 2 层", on=on)


def attach(owner_obj: Any, kind: str, user: Any, name: str = "scan.pdf") -> Any:
    """A stored attachment row on `owner_obj` (set-up only: the owner's own upload rules are tested there)."""
    import uuid

    from django.contrib.contenttypes.models import ContentType

    from danbao.core.attachments.models import Attachment

    return Attachment.objects.create(
        owner_type=ContentType.objects.get_for_model(type(owner_obj)),
        owner_id=str(owner_obj.pk),
        kind=kind,
        version=1,
        original_name=name,
        stored_name=f"test/{uuid.uuid4().hex}.pdf",
        size=100,
        sha256="0" * 64,
        mime_type="application/pdf",
        extension="pdf",
        uploaded_by=user,
    )
