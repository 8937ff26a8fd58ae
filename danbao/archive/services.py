"""Archive services: open and refresh a project's file, record paper received, waive, archive, re-open;
request, approve, reject, cancel, lend and return borrowings; reminders and the nightly job.

Every entry service takes `actor`, checks the permission (through the lifecycle table), runs in one
transaction with the row locked, and writes an audit event. Bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from danbao.archive import checklist, errors, lifecycle, parameters, readiness
from danbao.archive.models import ArchiveFile, ArchiveItem, Borrowing, BorrowState, FileState, Received
from danbao.core.events import security_event

ARCHIVE_NUMBERING = "archive_file"
BORROW_NUMBERING = "archive_borrowing"
NUMBERING_RULES = (
    # code, name, prefix, date pattern, separator, width, reset
    (ARCHIVE_NUMBERING, "档案号", "DA", "{YYYY}", "-", 4, "yearly"),
    (BORROW_NUMBERING, "档案借阅单号", "JY", "{YYYY}", "-", 4, "yearly"),
)


def numbering_ensure() -> int:
    """Create the archive and borrowing numbering rules when missing (idempotent)."""
    from danbao.system.models import NumberingRule
    from danbao.system.services.numbering import numbering_rule_create

    created = 0
    for code, name, prefix, pattern, separator, width, reset in NUMBERING_RULES:
        if NumberingRule.objects.filter(code=code).exists():
            continue
        numbering_rule_create(
            actor=None, code=code, name=name, prefix=prefix, date_pattern=pattern, separator=separator, sequence_width=width, reset=reset
        )
        created += 1
    return created


def audit(event: str, actor: Any, obj: Any, **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        data={k: (str(v) if v is not None else None) for k, v in data.items()},
    )


def _send(user_ids: list[int], kind: str, context: dict[str, Any], link: str) -> None:
    from danbao.notifications.services import notify
    from danbao.org.models import User

    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if users:
        with transaction.atomic():
            notify(users=users, kind=kind, context=context, link=link)


def notify_after_commit(user_ids: list[int], kind: str, context: dict[str, Any], link: str) -> None:
    """Send once the caller's transaction commits (a rolled-back run sends nothing)."""
    ids = sorted({i for i in user_ids if i})
    if ids:
        transaction.on_commit(partial(_send, ids, kind, {k: str(v) for k, v in context.items()}, link))


def _require(actor: Any, permission: str) -> None:
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(permission):
        raise errors.PERMISSION_DENIED.error()


def _locked(file: ArchiveFile, expected_version: int | None = None) -> ArchiveFile:
    locked = ArchiveFile.objects.select_for_update(of=("self",)).select_related("project").get(pk=file.pk)
    if expected_version is not None and locked.version != expected_version:
        raise errors.STALE.error()
    return locked


# --- the file and its checklist -------------------------------------------------------------------


def _refresh(file: ArchiveFile) -> int:
    """Bring the items of an open file in line with what the database holds; returns how many lines
    were added. Lines no longer produced stay, marked not current (nothing is deleted)."""
    lines = checklist.compose(file.project)
    existing = {item.key: item for item in file.items.all()}
    added = 0
    for order, line in enumerate(lines, start=1):
        item = existing.pop(line.key, None)
        values = dict(
            section=line.section,
            label=line.label[:200],
            order=order,
            required=line.required,
            in_system=line.in_system,
            detail=line.detail[:300],
            url=line.url[:300],
            current=True,
        )
        if item is None:
            ArchiveItem.objects.create(file=file, key=line.key, **values)
            added += 1
        elif any(getattr(item, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(item, name, value)
            item.save(update_fields=list(values))
    for item in existing.values():
        if item.current:
            item.current = False
            item.save(update_fields=["current"])
    return added


def file_open(*, actor: Any, project: Any) -> ArchiveFile:
    """The project's archive file, created with its checklist on first use (idempotent)."""
    _require(actor, lifecycle.MANAGE)
    with transaction.atomic():
        file, created = ArchiveFile.objects.select_for_update(of=("self",)).get_or_create(project=project)
        if created:
            _refresh(file)
            audit("archive.file_opened", actor, file, project=project.number)
    return file


def file_refresh(*, file: ArchiveFile) -> int:
    """Re-read the checklist of an open file (derived data only; archived files stay frozen)."""
    if file.state != FileState.OPEN:
        return 0
    with transaction.atomic():
        locked = _locked(file)
        if locked.state != FileState.OPEN:
            return 0
        return _refresh(locked)


def _item(file: ArchiveFile, item_pk: int) -> ArchiveItem:
    try:
        return ArchiveItem.objects.select_for_update(of=("self",)).get(file=file, pk=item_pk)
    except ArchiveItem.DoesNotExist:
        raise errors.PERMISSION_DENIED.error() from None


def item_record(*, actor: Any, file: ArchiveFile, item_pk: int, received: str, pages: int | None = None, note: str = "") -> ArchiveItem:
    """Record the paper of one checklist line: original, copy, or not received ("")."""
    _require(actor, lifecycle.MANAGE)
    if received not in Received.values:
        raise errors.PERMISSION_DENIED.error()
    if pages is not None and not 1 <= int(pages) <= 9999:
        raise errors.PAGES_INVALID.error(field="pages")
    with transaction.atomic():
        locked = _locked(file)
        if locked.state != FileState.OPEN:
            raise errors.FILE_CLOSED.error()
        item = _item(locked, item_pk)
        item.received, item.pages, item.note = received, pages if received else None, (note or "").strip()[:200]
        item.checked_by, item.checked_at = actor, timezone.now()
        item.save(update_fields=["received", "pages", "note", "checked_by", "checked_at"])
        audit("archive.item_recorded", actor, locked, item=item.key, received=received or "-", pages=pages)
    return item


def item_waive(*, actor: Any, file: ArchiveFile, item_pk: int, reason: str) -> ArchiveItem:
    """Waive a required line (the paper does not exist or is kept elsewhere): a reason is required."""
    _require(actor, lifecycle.MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    with transaction.atomic():
        locked = _locked(file)
        if locked.state != FileState.OPEN:
            raise errors.FILE_CLOSED.error()
        item = _item(locked, item_pk)
        item.waived, item.waiver_reason = True, reason[:300]
        item.checked_by, item.checked_at = actor, timezone.now()
        item.save(update_fields=["waived", "waiver_reason", "checked_by", "checked_at"])
        audit("archive.item_waived", actor, locked, item=item.key, reason=reason)
    return item


def item_unwaive(*, actor: Any, file: ArchiveFile, item_pk: int) -> ArchiveItem:
    _require(actor, lifecycle.MANAGE)
    with transaction.atomic():
        locked = _locked(file)
        if locked.state != FileState.OPEN:
            raise errors.FILE_CLOSED.error()
        item = _item(locked, item_pk)
        if item.waived:
            item.waived, item.waiver_reason = False, ""
            item.save(update_fields=["waived", "waiver_reason"])
            audit("archive.item_unwaived", actor, locked, item=item.key)
    return item


def retention_for(on: dt.date) -> tuple[str, dt.date | None]:
    """The retention label and end date of a file archived on `on` (parameter: years, 0 = permanent)."""
    years = parameters.value(parameters.RETENTION, on)
    if years <= 0:
        return "永久", None
    try:
        until = on.replace(year=on.year + years)
    except ValueError:  # 29 February
        until = on.replace(year=on.year + years, day=28)
    return f"{years}年", until


def file_archive(
    *,
    actor: Any,
    file: ArchiveFile,
    box: str,
    room: str,
    cabinet: str,
    shelf: str = "",
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> ArchiveFile:
    """Archive a complete file: the project must be finished (readiness lines), every required line
    received or waived; gives the archive number (kept when a re-opened file is archived again)."""
    _require(actor, lifecycle.MANAGE)
    box, room, cabinet, shelf = (v.strip()[:40] for v in (box or "", room or "", cabinet or "", shelf or ""))
    if not (box and room and cabinet):
        raise errors.LOCATION_REQUIRED.error(field="box")
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _locked(file, expected_version)
        if locked.state != FileState.OPEN:
            raise errors.TRANSITION_NOT_ALLOWED.error(source=FileState(locked.state).label, action=pgettext("archive", "archive"))
        failing = [line for line in readiness.readiness_for(locked.project) if not line.ok]
        if failing:
            raise errors.NOT_READY.error(lines="；".join(f"{line.label}（{line.detail}）" for line in failing))
        _refresh(locked)
        missing = [item.label for item in locked.items.all() if item.missing]
        if missing:
            raise errors.ITEMS_MISSING.error(items="、".join(missing))
        first = not locked.number
        if first:
            from danbao.system.services.numbering import number_next

            locked.number = number_next(ARCHIVE_NUMBERING, on)
        locked.box, locked.room, locked.cabinet, locked.shelf = box, room, cabinet, shelf
        locked.retention, locked.retention_until = retention_for(on)
        locked.archived_on, locked.archived_by, locked.archived_at = on, actor, timezone.now()
        locked.save()
        lifecycle.move_file(locked, "archive", actor=actor)
        audit("archive.file_archived", actor, locked, number=locked.number, box=box, location=locked.location, again=not first)
    return locked


def file_reopen(*, actor: Any, file: ArchiveFile, reason: str) -> ArchiveFile:
    """Re-open an archived file to add a late document (reason required; number and box are kept)."""
    _require(actor, lifecycle.MANAGE)
    with transaction.atomic():
        locked = _locked(file)
        if locked.state == FileState.LENT:
            raise errors.FILE_LENT.error()
        lifecycle.move_file(locked, "reopen", actor=actor, reason=reason)
        locked.reopen_count += 1
        locked.save(update_fields=["reopen_count", "updated_at"])
        _refresh(locked)
        audit("archive.file_reopened", actor, locked, number=locked.number, reason=reason)
    return locked


# --- borrowing ------------------------------------------------------------------------------------


def borrow_request(
    *,
    actor: Any,
    file: ArchiveFile,
    purpose: str,
    expected_return: dt.date,
    form: str = "copy",
    mode: str = "on_site",
    items: str = "",
    on: dt.date | None = None,
) -> Borrowing:
    """Ask to borrow an archived file (or some of its documents): purpose, original/copy, on site or
    take out, expected return date (at most the parameter's days ahead)."""
    from danbao.archive.models import BorrowForm, BorrowMode

    _require(actor, lifecycle.REQUEST)
    purpose = (purpose or "").strip()
    if not purpose:
        raise errors.PURPOSE_REQUIRED.error(field="purpose")
    if form not in BorrowForm.values or mode not in BorrowMode.values:
        raise errors.PERMISSION_DENIED.error()
    today = on or timezone.localdate()
    max_days = parameters.value(parameters.MAX_DAYS, today)
    if expected_return is None or not today <= expected_return <= today + dt.timedelta(days=max_days):
        raise errors.DUE_INVALID.error(field="expected_return", days=max_days)
    with transaction.atomic():
        locked = _locked(file)
        if locked.state not in (FileState.ARCHIVED, FileState.LENT):
            raise errors.NOT_ARCHIVED.error()
        if Borrowing.objects.filter(
            file=locked, requester=actor, state__in=(BorrowState.REQUESTED, BorrowState.APPROVED, BorrowState.LENT)
        ).exists():
            raise errors.ALREADY_OPEN_REQUEST.error()
        from danbao.system.services.numbering import number_next

        borrowing = Borrowing.objects.create(
            number=number_next(BORROW_NUMBERING, today),
            file=locked,
            requester=actor,
            purpose=purpose[:300],
            items=(items or "").strip()[:500],
            form=form,
            mode=mode,
            expected_return=expected_return,
            requested_at=timezone.now(),
        )
        audit("archive.borrow_requested", actor, borrowing, file=locked.number, form=form, mode=mode, due=expected_return)
    return borrowing


def _locked_borrowing(borrowing: Borrowing) -> Borrowing:
    return Borrowing.objects.select_for_update(of=("self",)).select_related("file", "file__project").get(pk=borrowing.pk)


def _link(borrowing: Borrowing) -> str:
    return reverse("archive:borrowing-detail", args=[borrowing.pk])


def borrow_approve(*, actor: Any, borrowing: Borrowing, comment: str = "") -> Borrowing:
    """Approve a request (maker-checker: never the requester)."""
    with transaction.atomic():
        locked = _locked_borrowing(borrowing)
        if locked.requester_id == getattr(actor, "pk", None):
            raise errors.OWN_REQUEST.error()
        lifecycle.move_borrowing(locked, "approve", actor=actor, reason=comment)
        locked.decided_by, locked.decided_at, locked.decision_comment = actor, timezone.now(), (comment or "").strip()[:300]
        locked.save(update_fields=["decided_by", "decided_at", "decision_comment"])
        audit("archive.borrow_approved", actor, locked, comment=comment)
        notify_after_commit(
            [locked.requester_id],
            "archive.borrow_decided",
            {"number": locked.number, "result": pgettext("archive", "approved")},
            _link(locked),
        )
    return locked


def borrow_reject(*, actor: Any, borrowing: Borrowing, reason: str) -> Borrowing:
    with transaction.atomic():
        locked = _locked_borrowing(borrowing)
        if locked.requester_id == getattr(actor, "pk", None):
            raise errors.OWN_REQUEST.error()
        lifecycle.move_borrowing(locked, "reject", actor=actor, reason=reason)
        locked.decided_by, locked.decided_at, locked.decision_comment = actor, timezone.now(), reason.strip()[:300]
        locked.save(update_fields=["decided_by", "decided_at", "decision_comment"])
        audit("archive.borrow_rejected", actor, locked, reason=reason)
        notify_after_commit(
            [locked.requester_id],
            "archive.borrow_decided",
            {"number": locked.number, "result": pgettext("archive", "rejected")},
            _link(locked),
        )
    return locked


def borrow_cancel(*, actor: Any, borrowing: Borrowing) -> Borrowing:
    with transaction.atomic():
        locked = _locked_borrowing(borrowing)
        if locked.requester_id != getattr(actor, "pk", None):
            raise errors.NOT_REQUESTER.error()
        lifecycle.move_borrowing(locked, "cancel", actor=actor)
        audit("archive.borrow_cancelled", actor, locked)
    return locked


def borrow_lend(*, actor: Any, borrowing: Borrowing) -> Borrowing:
    """The archivist hands the documents over; the file is lent out while any loan is out."""
    with transaction.atomic():
        locked = _locked_borrowing(borrowing)
        file = _locked(locked.file)
        if file.state == FileState.OPEN:
            raise errors.NOT_ARCHIVED.error()
        lifecycle.move_borrowing(locked, "lend", actor=actor)
        locked.lent_by, locked.lent_at = actor, timezone.now()
        locked.save(update_fields=["lent_by", "lent_at"])
        if file.state == FileState.ARCHIVED:
            lifecycle.move_file(file, "lend", actor=actor, reason=locked.number)
        audit("archive.borrow_lent", actor, locked, file=file.number, due=locked.expected_return)
    return locked


def borrow_return(*, actor: Any, borrowing: Borrowing, condition: str) -> Borrowing:
    """The archivist takes the documents back and records their condition."""
    condition = (condition or "").strip()
    if not condition:
        raise errors.CONDITION_REQUIRED.error(field="condition")
    with transaction.atomic():
        locked = _locked_borrowing(borrowing)
        file = _locked(locked.file)
        lifecycle.move_borrowing(locked, "return", actor=actor)
        locked.returned_to, locked.returned_at, locked.return_condition = actor, timezone.now(), condition[:300]
        locked.save(update_fields=["returned_to", "returned_at", "return_condition"])
        still_out = Borrowing.objects.filter(file=file, state=BorrowState.LENT).exclude(pk=locked.pk).exists()
        if file.state == FileState.LENT and not still_out:
            lifecycle.move_file(file, "return", actor=actor, reason=locked.number)
        audit("archive.borrow_returned", actor, locked, condition=condition, late=timezone.localdate() > locked.expected_return)
    return locked


# --- reminders and the nightly job ----------------------------------------------------------------


def _stamp(queryset: Any, field: str, on: dt.date) -> list[Borrowing]:
    """Claim the rows not yet stamped (the conditional update makes two racing runs send once)."""
    claimed = []
    for borrowing in list(queryset.select_related("file", "file__project")):
        if Borrowing.objects.filter(pk=borrowing.pk, **{f"{field}__isnull": True}).update(**{field: on}):
            claimed.append(borrowing)
    return claimed


def borrow_remind(on: dt.date | None = None) -> dict[str, int]:
    """Remind borrowers before the return date and once when overdue (also telling the archivist who
    handed the file over). Idempotent: each reminder is stamped on the borrowing and sent once."""
    on = on or timezone.localdate()
    days = parameters.value(parameters.REMIND_BEFORE, on)
    lent = Borrowing.objects.filter(state=BorrowState.LENT)
    with transaction.atomic():
        soon = _stamp(
            lent.filter(expected_return__gte=on, expected_return__lte=on + dt.timedelta(days=days), reminded_soon_on__isnull=True),
            "reminded_soon_on",
            on,
        )
        for borrowing in soon:
            notify_after_commit(
                [borrowing.requester_id],
                "archive.borrow_due_soon",
                {"number": borrowing.number, "file": borrowing.file.number, "due": borrowing.expected_return.isoformat()},
                _link(borrowing),
            )
        overdue = _stamp(lent.filter(expected_return__lt=on, reminded_overdue_on__isnull=True), "reminded_overdue_on", on)
        for borrowing in overdue:
            notify_after_commit(
                [borrowing.requester_id, borrowing.lent_by_id],
                "archive.borrow_overdue",
                {"number": borrowing.number, "file": borrowing.file.number, "due": borrowing.expected_return.isoformat()},
                _link(borrowing),
            )
    return {"soon": len(soon), "overdue": len(overdue)}


def archive_nightly(on: dt.date | None = None) -> dict[str, int]:
    parameters.ensure_parameters()
    return borrow_remind(on)


def overdue_q(on: dt.date) -> Q:
    return Q(state=BorrowState.LENT, expected_return__lt=on)
