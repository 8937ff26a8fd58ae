"""Archive services: checklist composition, readiness, blocking on missing items, waivers, numbering,
the file lifecycle, borrowing maker-checker and the reminders (idempotent, controlled date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from danbao.archive import checklist, readiness, services
from danbao.archive.models import ArchiveFile, Borrowing, BorrowState, FileState, FileTransition
from danbao.archive.tests.support import archived_file, attach, tick_all
from danbao.core.checklist import ChecklistItem
from danbao.core.errors import DomainError

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


# --- checklist composition ------------------------------------------------------------------------


def test_withdrawn_project_needs_only_its_application(withdrawn: Any) -> None:
    lines = checklist.compose(withdrawn)
    keys = [line.key for line in lines]
    assert keys[0] == "application.form"
    assert "review.approval_letter" not in keys and "review.risk_opinion" not in keys
    application = lines[0]
    assert application.required and application.section == "application" and not application.in_system


def test_application_scan_counts_as_held_in_the_system(withdrawn: Any, owner: Any) -> None:
    attach(withdrawn, "application", owner)
    line = checklist.compose(withdrawn)[0]
    assert line.in_system and "1" in line.detail


def test_approved_project_lists_review_and_lending_documents(lettered: Any) -> None:
    keys = [line.key for line in checklist.compose(lettered)]
    assert "review.risk_opinion" in keys
    assert "review.approval_letter" in keys
    assert any(key.startswith("letter:") for key in keys)
    sections = [line.section for line in checklist.compose(lettered)]
    assert sections == sorted(sections, key=checklist.SECTIONS.index)


def test_registered_document_sources_add_lines_once(withdrawn: Any) -> None:
    line = checklist.DocLine("release.notice", "release", "解保通知书", True, True, "JB-1")
    checklist.register_documents("test.release", lambda project: [line, line])
    try:
        keys = [line.key for line in checklist.compose(withdrawn)]
        assert keys.count("release.notice") == 1 and keys[-1] == "release.notice"
    finally:
        checklist.documents._entries.pop("test.release")


# --- readiness ------------------------------------------------------------------------------------


def test_ended_projects_are_ready(withdrawn: Any) -> None:
    lines = readiness.readiness_for(withdrawn)
    assert [line.ok for line in lines] == [True]


def test_approved_project_not_ready_without_a_release_check(approved: Any, monkeypatch: Any) -> None:
    """No check registered: the fallback asks danbao.release.selectors.release_complete; when that
    module or function is missing the project is reported not releasable yet (never archivable)."""
    import importlib
    import types

    monkeypatch.setattr(readiness.checks, "_entries", {})
    real_import = importlib.import_module

    def missing(name: str, *args: Any) -> Any:
        if name == "danbao.release.selectors":
            raise ImportError(name)
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", missing)
    lines = readiness.readiness_for(approved)
    assert [(line.key, line.ok) for line in lines] == [("archive.release", False)]

    monkeypatch.setattr(importlib, "import_module", lambda name, *a: types.SimpleNamespace())  # module without the function
    assert [line.ok for line in readiness.readiness_for(approved)] == [False]
    fake = types.SimpleNamespace(release_complete=lambda project: True)
    monkeypatch.setattr(importlib, "import_module", lambda name, *a: fake)
    assert [line.ok for line in readiness.readiness_for(approved)] == [True]


def test_registered_check_decides_for_approved_projects(approved: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(readiness.checks, "_entries", {})
    readiness.register("test.release", lambda project: [ChecklistItem("t", "released", project.pk < 0, "no")])
    try:
        assert not all(line.ok for line in readiness.readiness_for(approved))
    finally:
        readiness.unregister("test.release")
    readiness.register("test.release", lambda project: [ChecklistItem("t", "released", True, "yes")])
    try:
        assert all(line.ok for line in readiness.readiness_for(approved))
    finally:
        readiness.unregister("test.release")


def test_project_in_progress_cannot_be_archived(world: Any, owner: Any, b_manager: Any, archivist: Any, archive_setup: Any) -> None:
    from danbao.projects.tests.support import intake

    project = intake(world, owner, b_manager)
    file = services.file_open(actor=archivist, project=project)
    tick_all(archivist, file)
    with pytest.raises(DomainError) as exc:
        services.file_archive(actor=archivist, file=file, box="B1", room="R", cabinet="C")
    assert exc.value.code == "archive.not_ready"
    assert ArchiveFile.objects.get(pk=file.pk).state == FileState.OPEN


# --- file: open, record, waive, archive -----------------------------------------------------------


def test_file_open_is_idempotent_and_needs_manage(withdrawn: Any, archivist: Any, owner: Any) -> None:
    first = services.file_open(actor=archivist, project=withdrawn)
    again = services.file_open(actor=archivist, project=withdrawn)
    assert first.pk == again.pk and first.items.count() == again.items.count() >= 1
    with pytest.raises(DomainError):
        services.file_open(actor=owner, project=withdrawn)


def test_missing_items_block_archiving_with_the_exact_list(withdrawn: Any, archivist: Any) -> None:
    file = services.file_open(actor=archivist, project=withdrawn)
    with pytest.raises(DomainError) as exc:
        services.file_archive(actor=archivist, file=file, box="B1", room="R", cabinet="C")
    assert exc.value.code == "archive.items_missing"
    assert "Guarantee application form" in exc.value.message or "担保申请书" in exc.value.message
    file.refresh_from_db()
    assert file.state == FileState.OPEN and file.number == ""


def test_waiver_needs_a_reason_and_unblocks(withdrawn: Any, archivist: Any) -> None:
    file = services.file_open(actor=archivist, project=withdrawn)
    item = file.items.get(key="application.form")
    with pytest.raises(DomainError) as exc:
        services.item_waive(actor=archivist, file=file, item_pk=item.pk, reason="  ")
    assert exc.value.code == "archive.reason_required"
    services.item_waive(actor=archivist, file=file, item_pk=item.pk, reason="原件由客户留存，仅电子件")
    archived = services.file_archive(actor=archivist, file=file, box="B1", room="R", cabinet="C", on=TODAY)
    assert archived.state == FileState.ARCHIVED
    with pytest.raises(IntegrityError), transaction.atomic():
        type(item).objects.filter(pk=item.pk).update(waiver_reason="")


def test_archive_numbers_location_retention_and_audit(withdrawn: Any, archivist: Any) -> None:
    from danbao.audit.models import AuditEvent

    file = archived_file(archivist, withdrawn, on=TODAY)
    assert file.number == "DA2026-0001"
    assert (file.box, file.location) == ("2026-B01", "档案室 301 / 柜 1 / 第 2 层")
    assert file.retention == "30年" and file.retention_until == dt.date(2056, 6, 1)
    assert file.archived_by == archivist and file.archived_on == TODAY
    assert FileTransition.objects.filter(file=file, action="archive").count() == 1
    assert AuditEvent.objects.filter(event_type="archive.file_archived", object_id=str(file.pk)).exists()
    with pytest.raises(DomainError):  # archived twice: nothing happens twice
        services.file_archive(actor=archivist, file=file, box="X", room="R", cabinet="C")


def test_location_is_required(withdrawn: Any, archivist: Any) -> None:
    file = services.file_open(actor=archivist, project=withdrawn)
    tick_all(archivist, file)
    with pytest.raises(DomainError) as exc:
        services.file_archive(actor=archivist, file=file, box="", room="R", cabinet="C")
    assert exc.value.code == "archive.location_required"


def test_retention_zero_years_is_permanent(archive_setup: Any, sysadmin: Any) -> None:
    from danbao.archive import parameters
    from danbao.system.models import Parameter
    from danbao.system.services.parameters import parameter_set

    parameter = Parameter.objects.get(code=parameters.RETENTION)
    parameter_set(
        actor=sysadmin, parameter=parameter, value="0", valid_from=dt.date(2026, 1, 1), note="永久保管", today=dt.date(2025, 12, 1)
    )
    assert services.retention_for(dt.date(2025, 6, 1))[0] == "30年"
    assert services.retention_for(dt.date(2026, 6, 1)) == ("永久", None)


def test_checklist_is_frozen_after_archiving_and_reopen_needs_a_reason(withdrawn: Any, archivist: Any, owner: Any) -> None:
    file = archived_file(archivist, withdrawn, on=TODAY)
    with pytest.raises(DomainError) as exc:
        services.item_record(actor=archivist, file=file, item_pk=file.items.first().pk, received="copy")
    assert exc.value.code == "archive.file_closed"
    attach(withdrawn, "materials", owner, "late.pdf")
    from danbao.archive.selectors import late_documents

    assert [line.key for line in late_documents(file)] == ["project.materials"]
    with pytest.raises(DomainError) as exc:
        services.file_reopen(actor=archivist, file=file, reason="")
    assert exc.value.code == "archive.reason_required"
    file = services.file_reopen(actor=archivist, file=file, reason="补充申请材料原件")
    assert file.state == FileState.OPEN and file.reopen_count == 1
    assert file.items.filter(key="project.materials", required=True).exists()
    tick_all(archivist, file)
    again = services.file_archive(actor=archivist, file=file, box="2026-B02", room="档案室 301", cabinet="柜 1", on=TODAY)
    assert again.number == "DA2026-0001" and again.box == "2026-B02"  # the number is kept


def test_stale_version_is_refused(withdrawn: Any, archivist: Any) -> None:
    file = services.file_open(actor=archivist, project=withdrawn)
    tick_all(archivist, file)
    with pytest.raises(DomainError) as exc:
        services.file_archive(actor=archivist, file=file, box="B", room="R", cabinet="C", expected_version=file.version + 5)
    assert exc.value.code == "archive.stale"


# --- borrowing ------------------------------------------------------------------------------------


@pytest.fixture
def archived(withdrawn: Any, archivist: Any) -> ArchiveFile:
    return archived_file(archivist, withdrawn)


def _request(user: Any, file: ArchiveFile, days: int = 7, **extra: Any) -> Borrowing:
    from django.utils import timezone

    return services.borrow_request(
        actor=user, file=file, purpose="复核反担保资料", expected_return=timezone.localdate() + dt.timedelta(days=days), **extra
    )


def test_borrowing_happy_path_moves_file_out_and_back(archived: ArchiveFile, owner: Any, dept_head: Any, archivist: Any) -> None:
    borrowing = _request(owner, archived, form="original", mode="take_out")
    assert borrowing.state == BorrowState.REQUESTED and borrowing.number.startswith("JY")
    services.borrow_approve(actor=dept_head, borrowing=borrowing, comment="同意")
    services.borrow_lend(actor=archivist, borrowing=borrowing)
    archived.refresh_from_db()
    assert archived.state == FileState.LENT
    with pytest.raises(DomainError) as exc:
        services.file_reopen(actor=archivist, file=archived, reason="补件")
    assert exc.value.code == "archive.file_lent"
    with pytest.raises(DomainError) as exc:
        services.borrow_return(actor=archivist, borrowing=borrowing, condition="")
    assert exc.value.code == "archive.condition_required"
    services.borrow_return(actor=archivist, borrowing=borrowing, condition="完好")
    borrowing.refresh_from_db()
    archived.refresh_from_db()
    assert borrowing.state == BorrowState.RETURNED and borrowing.returned_to == archivist
    assert archived.state == FileState.ARCHIVED
    assert [t.action for t in borrowing.transitions.all()] == ["approve", "lend", "return"]


def test_requester_cannot_approve_own_request(archived: ArchiveFile, dept_head: Any) -> None:
    borrowing = _request(dept_head, archived)
    with pytest.raises(DomainError) as exc:
        services.borrow_approve(actor=dept_head, borrowing=borrowing)
    assert exc.value.code == "archive.own_request"
    assert Borrowing.objects.get(pk=borrowing.pk).state == BorrowState.REQUESTED


def test_business_manager_cannot_approve_and_archivist_cannot_lend_unapproved(
    archived: ArchiveFile, owner: Any, colleague: Any, archivist: Any
) -> None:
    borrowing = _request(owner, archived)
    with pytest.raises(DomainError):
        services.borrow_approve(actor=colleague, borrowing=borrowing)
    with pytest.raises(DomainError) as exc:
        services.borrow_lend(actor=archivist, borrowing=borrowing)
    assert exc.value.code == "archive.transition_not_allowed"


def test_reject_needs_reason_and_cancel_only_by_requester(archived: ArchiveFile, owner: Any, colleague: Any, dept_head: Any) -> None:
    borrowing = _request(owner, archived)
    with pytest.raises(DomainError):
        services.borrow_reject(actor=dept_head, borrowing=borrowing, reason=" ")
    with pytest.raises(DomainError) as exc:
        services.borrow_cancel(actor=colleague, borrowing=borrowing)
    assert exc.value.code == "archive.not_requester"
    services.borrow_cancel(actor=owner, borrowing=borrowing)
    assert Borrowing.objects.get(pk=borrowing.pk).state == BorrowState.CANCELLED


def test_request_rules(archived: ArchiveFile, withdrawn: Any, owner: Any, archivist: Any, world: Any, b_manager: Any) -> None:
    with pytest.raises(DomainError) as exc:
        _request(owner, archived, days=400)
    assert exc.value.code == "archive.due_invalid"
    with pytest.raises(DomainError) as exc:
        services.borrow_request(actor=owner, file=archived, purpose=" ", expected_return=dt.date.today())
    assert exc.value.code == "archive.purpose_required"
    _request(owner, archived)
    with pytest.raises(DomainError) as exc:  # double submit
        _request(owner, archived)
    assert exc.value.code == "archive.already_requested"
    assert Borrowing.objects.count() == 1
    from danbao.projects import services as project_services
    from danbao.projects.tests.support import intake

    other = project_services.project_withdraw(actor=owner, project=intake(world, owner, b_manager), reason="撤回")
    open_file = services.file_open(actor=archivist, project=other)
    with pytest.raises(DomainError) as exc:
        _request(owner, open_file)
    assert exc.value.code == "archive.not_archived"


def test_two_loans_keep_the_file_out_until_both_return(
    archived: ArchiveFile, owner: Any, colleague: Any, dept_head: Any, archivist: Any
) -> None:
    first, second = _request(owner, archived), _request(colleague, archived)
    for b in (first, second):
        services.borrow_approve(actor=dept_head, borrowing=b)
        services.borrow_lend(actor=archivist, borrowing=b)
    services.borrow_return(actor=archivist, borrowing=first, condition="完好")
    archived.refresh_from_db()
    assert archived.state == FileState.LENT
    services.borrow_return(actor=archivist, borrowing=second, condition="完好")
    archived.refresh_from_db()
    assert archived.state == FileState.ARCHIVED


def test_reminders_are_sent_once_with_a_controlled_date(
    archived: ArchiveFile, owner: Any, dept_head: Any, archivist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    from danbao.notifications.models import Message

    today = timezone.localdate()
    borrowing = _request(owner, archived, days=5)
    services.borrow_approve(actor=dept_head, borrowing=borrowing)
    services.borrow_lend(actor=archivist, borrowing=borrowing)
    due = borrowing.expected_return
    with django_capture_on_commit_callbacks(execute=True):
        assert services.borrow_remind(today) == {"soon": 0, "overdue": 0}
        assert services.borrow_remind(due - dt.timedelta(days=3)) == {"soon": 1, "overdue": 0}
        assert services.borrow_remind(due - dt.timedelta(days=2)) == {"soon": 0, "overdue": 0}
        assert services.borrow_remind(due + dt.timedelta(days=1)) == {"soon": 0, "overdue": 1}
        assert services.borrow_remind(due + dt.timedelta(days=9)) == {"soon": 0, "overdue": 0}
    kinds = list(Message.objects.values_list("kind", flat=True)) if hasattr(Message, "kind") else []
    if kinds:
        assert kinds.count("archive.borrow_due_soon") == 1
        assert kinds.count("archive.borrow_overdue") == 1
    borrowing.refresh_from_db()
    assert borrowing.reminded_soon_on == due - dt.timedelta(days=3)
    assert borrowing.reminded_overdue_on == due + dt.timedelta(days=1)


def test_nightly_task_runs(archive_setup: Any) -> None:
    from danbao.archive.tasks import nightly

    assert "reminded 0 due soon, 0 overdue" in nightly()


def test_self_approval_is_impossible_in_the_database(archived: ArchiveFile, owner: Any) -> None:
    borrowing = _request(owner, archived)
    with pytest.raises(IntegrityError), transaction.atomic():
        Borrowing.objects.filter(pk=borrowing.pk).update(decided_by=owner)
