"""Inspection reports: the assignee starts, saves and submits (which completes the task); the
department head or a risk manager accepts or returns it (which re-opens the task); phone photos with
capture time and optional position; a batch inspection reports many small guarantees at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from danbao.core.attachments.services import attachment_add
from danbao.monitoring import errors, lifecycle
from danbao.monitoring.models import (
    REPORT_SECTIONS,
    RISK_CLASSES,
    CaptureSource,
    InspectionBatch,
    InspectionReport,
    InspectionTask,
    Method,
    ReportPhoto,
    ReportState,
    TaskStatus,
)
from danbao.monitoring.services.common import audit, notify_after_commit

INSPECT, REVIEW = lifecycle.INSPECT, lifecycle.REVIEW
TEXT_FIELDS = tuple(name for name, _label in REPORT_SECTIONS) + ("conclusion",)
EDITABLE = ("method", "inspection_date", "suggested_class", *TEXT_FIELDS)
REQUIRED = ("operations", "loan_use", "conclusion")
PHOTO_KIND = "photo"
CLASS_CODES = {code for code, _label in RISK_CLASSES}


def _require_assignee(actor: Any, task: InspectionTask) -> None:
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(INSPECT):
        raise errors.PERMISSION_DENIED.error()
    if actor.pk != task.assignee_id:
        raise errors.NOT_ASSIGNEE.error()


def _require_reviewer(actor: Any, report: InspectionReport) -> None:
    from danbao.projects.selectors import project_in_scope

    if actor is None or not getattr(actor, "is_active", False) or not actor.can(REVIEW):
        raise errors.PERMISSION_DENIED.error()
    if actor.pk == report.author_id:
        raise errors.OWN_REPORT.error()
    if not project_in_scope(actor, report.guarantee.project):
        raise errors.PERMISSION_DENIED.error()


def _clean(changes: dict[str, Any], *, start: dt.date, on: dt.date) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ValueError(f"not an editable report field: {name}")
        if name == "method" and value not in Method.values:
            raise errors.FIELDS_MISSING.error(fields=str(Method.ON_SITE.label), field="method")
        if name == "suggested_class" and value not in CLASS_CODES:
            raise errors.CLASS_INVALID.error(value=value, field="suggested_class")
        if name == "inspection_date":
            if not isinstance(value, dt.date) or value > on or value < start:
                raise errors.DATE_INVALID.error(field="inspection_date")
        if name in TEXT_FIELDS:
            value = (value or "").strip()
        clean[name] = value
    return clean


def _missing(report: InspectionReport) -> list[str]:
    labels = dict(REPORT_SECTIONS) | {"conclusion": InspectionReport._meta.get_field("conclusion").verbose_name}
    return [str(labels[name]) for name in REQUIRED if not getattr(report, name).strip()]


def report_start(*, actor: Any, task: InspectionTask, on: dt.date | None = None) -> InspectionReport:
    """The assignee's draft for an open task (the existing report when there is one: idempotent)."""
    on = on or timezone.localdate()
    with transaction.atomic(durable=True):
        task = InspectionTask.objects.select_for_update(of=("self",)).select_related("guarantee").get(pk=task.pk)
        _require_assignee(actor, task)
        existing = InspectionReport.objects.filter(task=task).first()
        if existing is not None:
            return existing
        if task.status != TaskStatus.OPEN:
            raise errors.TASK_CLOSED.error(status=TaskStatus(task.status).label)
        report = InspectionReport.objects.create(
            task=task,
            guarantee=task.guarantee,
            inspection_date=max(min(on, timezone.localdate()), task.guarantee.start_date),
            suggested_class=task.risk_class,
            author=actor,
        )
        audit("monitoring.report_started", actor, report, task=task.pk, guarantee=task.guarantee_id)
    return report


def report_save(
    *, actor: Any, report: InspectionReport, expected_version: int | None = None, on: dt.date | None = None, **changes: Any
) -> InspectionReport:
    """Save fields of a draft or returned report (the author only)."""
    on = on or timezone.localdate()
    with transaction.atomic(durable=True):
        report = InspectionReport.objects.select_for_update(of=("self",)).select_related("task", "guarantee").get(pk=report.pk)
        _require_assignee(actor, report.task)
        if not report.editable:
            raise errors.NOT_EDITABLE.error(state=ReportState(report.state).label)
        if expected_version is not None and int(expected_version) != report.version:
            raise errors.STALE.error()
        for name, value in _clean(changes, start=report.guarantee.start_date, on=on).items():
            setattr(report, name, value)
        report.version += 1
        report.full_clean(exclude=["task", "guarantee", "author"])
        report.save()
        audit("monitoring.report_saved", actor, report, task=report.task_id)
    return report


def _complete(task: InspectionTask) -> None:
    task.status, task.done_at = TaskStatus.DONE, timezone.now()
    task.save(update_fields=["status", "done_at"])


def report_submit(
    *, actor: Any, report: InspectionReport, expected_version: int | None = None, on: dt.date | None = None, **changes: Any
) -> InspectionReport:
    """Save the last changes and submit: the report goes to review, the task is done."""
    on = on or timezone.localdate()
    with transaction.atomic(durable=True):
        report = InspectionReport.objects.select_for_update(of=("self",)).select_related("task", "guarantee").get(pk=report.pk)
        task = InspectionTask.objects.select_for_update(of=("self",)).get(pk=report.task_id)
        _require_assignee(actor, task)
        if not report.editable:
            raise errors.NOT_EDITABLE.error(state=ReportState(report.state).label)
        if expected_version is not None and int(expected_version) != report.version:
            raise errors.STALE.error()
        if task.status == TaskStatus.SUPERSEDED:
            raise errors.TASK_CLOSED.error(status=TaskStatus(task.status).label)
        for name, value in _clean(changes, start=report.guarantee.start_date, on=on).items():
            setattr(report, name, value)
        missing = _missing(report)
        if missing:
            raise errors.FIELDS_MISSING.error(fields="、".join(missing))
        report.save()
        lifecycle.move(report, ReportState.SUBMITTED, actor=actor)
        _complete(task)
        audit("monitoring.report_submitted", actor, report, task=task.pk, suggested=report.suggested_class)
    return report


def report_accept(*, actor: Any, report: InspectionReport, comment: str = "") -> InspectionReport:
    """The department head or a risk manager accepts a submitted report."""
    with transaction.atomic(durable=True):
        report = InspectionReport.objects.select_for_update(of=("self",)).select_related("guarantee__project").get(pk=report.pk)
        _require_reviewer(actor, report)
        lifecycle.move(report, ReportState.ACCEPTED, actor=actor, reason=comment)
        audit("monitoring.report_accepted", actor, report, task=report.task_id)
    return report


def report_return(*, actor: Any, report: InspectionReport, reason: str) -> InspectionReport:
    """Return a submitted report for rework: the task is open again and the author is told."""
    with transaction.atomic(durable=True):
        report = InspectionReport.objects.select_for_update(of=("self",)).select_related("guarantee__project").get(pk=report.pk)
        _require_reviewer(actor, report)
        lifecycle.move(report, ReportState.RETURNED, actor=actor, reason=reason)
        InspectionTask.objects.filter(pk=report.task_id).update(status=TaskStatus.OPEN, done_at=None)
        audit("monitoring.report_returned", actor, report, task=report.task_id, reason=reason[:200])
        notify_after_commit(
            [report.author_id],
            "monitoring.report_returned",
            {"project": report.guarantee.project.number, "reason": reason.strip()[:200]},
            reverse("monitoring:report-detail", args=[report.pk]),
        )
    return report


# --- photos ---------------------------------------------------------------------------------------


def _position(latitude: Any, longitude: Any, accuracy: Any) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None, None
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lon = Decimal(str(longitude)).quantize(Decimal("0.000001"))
        acc = Decimal(str(accuracy)).quantize(Decimal("0.1")) if accuracy not in (None, "") else None
    except (InvalidOperation, ValueError):
        raise errors.POSITION_INVALID.error() from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (acc is not None and not (0 <= acc < Decimal("100000000"))):
        raise errors.POSITION_INVALID.error()
    return lat, lon, acc


def photo_add(
    *,
    actor: Any,
    report: InspectionReport,
    upload: UploadedFile,
    caption: str = "",
    latitude: Any = None,
    longitude: Any = None,
    accuracy: Any = None,
) -> ReportPhoto:
    """Add a phone photo to a draft or returned report: camera time from EXIF when present (else the
    upload time, labelled so), the browser's position when the user allowed it."""
    from danbao.diligence.services import exif_capture_time  # noqa: PLC0415  (diligence is below us)

    lat, lon, acc = _position(latitude, longitude, accuracy)
    captured = exif_capture_time(upload)
    with transaction.atomic(durable=True):
        report = InspectionReport.objects.select_for_update(of=("self",)).select_related("task").get(pk=report.pk)
        _require_assignee(actor, report.task)
        if not report.editable:
            raise errors.NOT_EDITABLE.error(state=ReportState(report.state).label)
        attachment = attachment_add(actor=actor, owner=report, kind=PHOTO_KIND, upload=upload, note=(caption or "")[:200])
        photo = ReportPhoto.objects.create(
            report=report,
            attachment=attachment,
            caption=(caption or "").strip()[:200],
            captured_at=captured or timezone.now(),
            capture_source=CaptureSource.EXIF if captured else CaptureSource.UPLOAD,
            latitude=lat,
            longitude=lon,
            accuracy_m=acc,
            uploaded_by=actor,
        )
        audit("monitoring.photo_added", actor, photo, report=report.pk, located="1" if lat is not None else "")
    return photo


# --- batch inspection -----------------------------------------------------------------------------


def batch_inspect(
    *,
    actor: Any,
    tasks: list[InspectionTask],
    title: str,
    shared: dict[str, Any],
    outcomes: dict[int, tuple[str, str]],
    on: dt.date | None = None,
    idempotency_key: str = "",
) -> InspectionBatch:
    """One shared report body for many open tasks of the actor (e.g. farmers of one village), with a
    conclusion and suggested class per task (`outcomes[task_id] = (conclusion, class)`); one submit
    completes all of them or none. A repeated submission (same key) returns the first batch."""
    on = on or timezone.localdate()
    if idempotency_key:
        done = InspectionBatch.objects.filter(idempotency_key=idempotency_key, created_by=actor).first()
        if done is not None:
            return done
    if not tasks:
        raise errors.BATCH_EMPTY.error()
    with transaction.atomic(durable=True):
        return batch_write(actor=actor, tasks=tasks, title=title, shared=shared, outcomes=outcomes, on=on, idempotency_key=idempotency_key)


def batch_write(
    *,
    actor: Any,
    tasks: list[InspectionTask],
    title: str,
    shared: dict[str, Any],
    outcomes: dict[int, tuple[str, str]],
    on: dt.date,
    idempotency_key: str = "",
) -> InspectionBatch:
    """The writes of `batch_inspect` inside the caller's transaction (the demo step runs in one)."""
    if not tasks:
        raise errors.BATCH_EMPTY.error()
    locked = list(
        InspectionTask.objects.select_for_update(of=("self",))
        .select_related("guarantee")
        .filter(pk__in=[t.pk for t in tasks])
        .order_by("pk")
    )
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(INSPECT):
        raise errors.PERMISSION_DENIED.error()
    for task in locked:
        if task.assignee_id != actor.pk or task.status != TaskStatus.OPEN or InspectionReport.objects.filter(task=task).exists():
            raise errors.BATCH_MIXED.error(task=f"{task.guarantee} {task.get_kind_display()}")
    batch = InspectionBatch.objects.create(
        title=(title or "").strip()[:200] or f"{on:%Y-%m-%d}", created_by=actor, idempotency_key=idempotency_key
    )
    for task in locked:
        conclusion, suggested = outcomes.get(task.pk, ("", task.risk_class))
        fields = _clean({**shared, "conclusion": conclusion, "suggested_class": suggested}, start=task.guarantee.start_date, on=on)
        report = InspectionReport(task=task, guarantee=task.guarantee, batch=batch, author=actor, **fields)
        missing = _missing(report)
        if missing:
            raise errors.FIELDS_MISSING.error(fields=f"{task.guarantee}：" + "、".join(missing))
        report.save()
        lifecycle.move(report, ReportState.SUBMITTED, actor=actor)
        _complete(task)
    audit("monitoring.batch_submitted", actor, batch, tasks=len(locked))
    return batch
