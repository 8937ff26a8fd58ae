"""Every write on due diligence: the report and its sign-offs, the materials checklist (upload,
waiver), site visits and their photos. Entry services run in one durable transaction with one audit
event; the report's state moves only through `lifecycle.move`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.attachments.models import Attachment
from danbao.core.attachments.services import attachment_add
from danbao.core.events import security_event
from danbao.diligence import errors, lifecycle, selectors
from danbao.diligence.models import (
    SECTIONS,
    CaptureSource,
    DiligenceMaterial,
    DiligenceReport,
    Recommendation,
    ReportState,
    SitePhoto,
    SiteVisit,
)
from danbao.projects.models import Project, ProjectState

WRITE = selectors.WRITE
SECTION_FIELDS = tuple(field for field, _label in SECTIONS)
CONCLUSION_FIELDS = ("recommendation", "proposed_amount", "proposed_term_months", "proposed_fee_rate", "proposed_conditions")
EDITABLE_FIELDS = SECTION_FIELDS + CONCLUSION_FIELDS
MATERIAL_KIND = "file"
PHOTO_KIND = "photo"


def _audit(event: str, actor: Any, obj: Any, project: Project, *, reason: str = "", **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        data={
            "project": project.number,
            **({"reason": reason[:500]} if reason else {}),
            **{k: (str(v) if v is not None else None) for k, v in data.items()},
        },
    )


def _project_open(project: Project) -> None:
    if project.state not in selectors.EDITABLE_PROJECT_STATES:
        raise errors.PROJECT_STATE.error(number=project.number, state=ProjectState(project.state).label)


def _lock_report(report: DiligenceReport) -> DiligenceReport:
    """The report row locked for this transaction (re-read: the caller's copy may be stale)."""
    return DiligenceReport.objects.select_for_update().select_related("project").get(pk=report.pk)


def _check_version(report: DiligenceReport, expected: int | None) -> None:
    if expected is not None and report.version != int(expected):
        raise errors.STALE.error()


def _require_a(actor: Any, project: Project) -> None:
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(WRITE) or actor.pk != project.manager_a_id:
        raise errors.NOT_A_ROLE.error()


def _require_manager(actor: Any, project: Project) -> None:
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(WRITE) or not selectors.is_manager(actor, project):
        raise errors.PERMISSION_DENIED.error()


def _open_report(project: Project) -> DiligenceReport:
    """The current report, which must be a draft for materials, visits and sections to change."""
    report = DiligenceReport.objects.select_for_update().filter(project=project, is_current=True).first()
    if report is None:
        raise errors.NOT_EDITABLE.error(state=ReportState.DRAFT.label)
    if report.state != ReportState.DRAFT:
        raise errors.NOT_EDITABLE.error(state=ReportState(report.state).label)
    return report


# --- report ---------------------------------------------------------------------------------------


def materials_sync(project: Project) -> int:
    """Copy the product version's materials for the customer's kind onto the project (idempotent)."""
    from danbao.products.selectors import materials_for

    have = set(DiligenceMaterial.objects.filter(project=project).values_list("product_material_id", flat=True))
    created = 0
    for item in materials_for(project.product_version, project.customer.kind):
        if item.pk in have:
            continue
        DiligenceMaterial.objects.create(
            project=project, product_material=item, name=item.name, required=item.required, sort_order=item.sort_order
        )
        created += 1
    return created


def report_start(*, actor: Any, project: Project) -> DiligenceReport:
    """The A-role manager starts the project's report (version 1) and its materials checklist."""
    _require_a(actor, project)
    with transaction.atomic(durable=True):
        project = Project.objects.select_for_update().select_related("customer", "product_version").get(pk=project.pk)
        _project_open(project)
        if DiligenceReport.objects.filter(project=project).exists():
            raise errors.ALREADY_STARTED.error()
        report = DiligenceReport.objects.create(
            project=project,
            number=1,
            created_by=actor,
            proposed_amount=project.amount,
            proposed_term_months=project.term_months,
            proposed_fee_rate=project.fee_rate,
        )
        count = materials_sync(project)
        _audit("diligence.report_started", actor, report, project, materials=count)
    return report


def _clean_fields(changes: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"not an editable report field: {name}")
        if name == "proposed_amount":
            value = _decimal(value, errors.AMOUNT_INVALID)
            if value is not None and value <= 0:
                raise errors.AMOUNT_INVALID.error(field=name)
        elif name == "proposed_term_months":
            if value in (None, ""):
                value = None
            else:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    raise errors.TERM_INVALID.error(field=name) from None
                if value <= 0:
                    raise errors.TERM_INVALID.error(field=name)
        elif name == "proposed_fee_rate":
            value = _decimal(value, errors.FEE_RATE_INVALID)
            if value is not None and not (Decimal(0) <= value < Decimal(1)):
                raise errors.FEE_RATE_INVALID.error(field=name)
        elif name == "recommendation":
            value = value or ""
            if value and value not in Recommendation.values:
                raise ValueError(f"unknown recommendation {value}")
        else:
            value = (value or "").strip()
        clean[name] = value
    return clean


def _decimal(value: Any, error: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise error.error() from None
    if not result.is_finite():
        raise error.error()
    return result


def report_save(*, actor: Any, report: DiligenceReport, expected_version: int | None = None, **changes: Any) -> DiligenceReport:
    """The A-role manager saves sections and the proposed terms of a draft report."""
    clean = _clean_fields(changes)
    with transaction.atomic(durable=True):
        report = _lock_report(report)
        _require_a(actor, report.project)
        _project_open(report.project)
        if not report.is_editable:
            raise errors.NOT_EDITABLE.error(state=ReportState(report.state).label)
        _check_version(report, expected_version)
        changed = [name for name, value in clean.items() if getattr(report, name) != value]
        if not changed:
            return report
        for name in changed:
            setattr(report, name, clean[name])
        report.version += 1
        report.full_clean(exclude=["project", "previous", "created_by", "a_signed_by", "b_confirmed_by"])
        report.save()
        _audit("diligence.report_saved", actor, report, report.project, fields=",".join(changed))
    return report


def missing_sections(report: DiligenceReport) -> list[str]:
    """Labels of the parts still empty: every narrative section and the proposed terms."""
    missing = [str(label) for field, label in SECTIONS if not getattr(report, field).strip()]
    for name in ("recommendation", "proposed_amount", "proposed_term_months", "proposed_fee_rate"):
        if getattr(report, name) in (None, ""):
            missing.append(str(DiligenceReport._meta.get_field(name).verbose_name))
    return missing


def report_sign(*, actor: Any, report: DiligenceReport, expected_version: int | None = None) -> DiligenceReport:
    """The A-role manager signs: the sections are complete, the customer facts are frozen into the report."""
    with transaction.atomic(durable=True):
        report = _lock_report(report)
        _require_a(actor, report.project)
        _project_open(report.project)
        _check_version(report, expected_version)
        if report.state == ReportState.DRAFT:
            missing = missing_sections(report)
            if missing:
                raise errors.SECTIONS_MISSING.error(sections="、".join(missing))
        report.snapshot = selectors.customer_facts(report.project.customer)
        report.a_signed_by = actor
        report.a_signed_at = timezone.now()
        report.return_reason = ""
        report.save(update_fields=["snapshot", "a_signed_by", "a_signed_at", "return_reason", "updated_at"])
        lifecycle.move(report, ReportState.A_SIGNED, actor=actor)
        _audit("diligence.report_signed", actor, report, report.project, version=report.number)
    return report


def report_return(*, actor: Any, report: DiligenceReport, reason: str) -> DiligenceReport:
    """The B-role manager returns the signed report to the A-role with a reason; A's signature lapses."""
    with transaction.atomic(durable=True):
        report = _lock_report(report)
        lifecycle.move(report, ReportState.DRAFT, actor=actor, reason=reason)
        report.a_signed_by = None
        report.a_signed_at = None
        report.snapshot = {}
        report.return_reason = reason.strip()[:500]
        report.save(update_fields=["a_signed_by", "a_signed_at", "snapshot", "return_reason", "updated_at"])
        _audit("diligence.report_returned", actor, report, report.project, reason=reason, version=report.number)
    return report


def report_confirm(*, actor: Any, report: DiligenceReport, opinion: str) -> DiligenceReport:
    """The B-role manager confirms independently with an own opinion; the report is then locked."""
    opinion = (opinion or "").strip()
    with transaction.atomic(durable=True):
        report = _lock_report(report)
        if report.state == ReportState.A_SIGNED and not lifecycle.holds_role(actor, report, lifecycle.B_ROLE):
            raise errors.NOT_B_ROLE.error()
        if actor is not None and actor.pk == report.a_signed_by_id:
            raise errors.SAME_PERSON.error()
        if not opinion:
            raise errors.OPINION_REQUIRED.error(field="opinion")
        lifecycle.move(report, ReportState.CONFIRMED, actor=actor)
        report.b_confirmed_by = actor
        report.b_confirmed_at = timezone.now()
        report.b_opinion = opinion
        report.save(update_fields=["b_confirmed_by", "b_confirmed_at", "b_opinion", "updated_at"])
        _audit("diligence.report_confirmed", actor, report, report.project, version=report.number)
    return report


def report_reopen(*, actor: Any, report: DiligenceReport, reason: str) -> DiligenceReport:
    """Reopen a confirmed report (e.g. returned by the risk manager): the old version is kept as
    superseded, a new draft version starts from its text. Returns the new version."""
    with transaction.atomic(durable=True):
        report = _lock_report(report)
        if report.state != ReportState.CONFIRMED or not report.is_current:
            raise errors.NOT_REOPENABLE.error()
        _require_a(actor, report.project)
        _project_open(report.project)
        lifecycle.move(report, ReportState.SUPERSEDED, actor=actor, reason=reason)
        report.is_current = False
        report.save(update_fields=["is_current", "updated_at"])
        new = DiligenceReport.objects.create(
            project=report.project,
            number=report.number + 1,
            previous=report,
            created_by=actor,
            reopen_reason=reason.strip()[:500],
            **{name: getattr(report, name) for name in EDITABLE_FIELDS},
        )
        materials_sync(report.project)
        _audit("diligence.report_reopened", actor, new, report.project, reason=reason, previous=report.number, version=new.number)
    return new


# --- materials -------------------------------------------------------------------------------------


def material_upload(*, actor: Any, material: DiligenceMaterial, upload: UploadedFile, note: str = "") -> Attachment:
    """A project manager uploads a file for one checklist item (stored and audited by core.attachments)."""
    project = material.project
    _require_manager(actor, project)
    with transaction.atomic(durable=True):
        _project_open(project)
        _open_report(project)
        return attachment_add(actor=actor, owner=material, kind=MATERIAL_KIND, upload=upload, note=note)


def material_waive(*, actor: Any, material: DiligenceMaterial, reason: str) -> DiligenceMaterial:
    """Waive one checklist item with a reason: the B-role manager or the department head, never the A-role."""
    reason = (reason or "").strip()
    with transaction.atomic(durable=True):
        material = DiligenceMaterial.objects.select_for_update().select_related("project").get(pk=material.pk)
        project = material.project
        if not selectors.may_waive(actor, project):
            raise errors.WAIVER_FORBIDDEN.error()
        _project_open(project)
        _open_report(project)
        if material.waived:
            raise errors.ALREADY_WAIVED.error(material=material.name)
        if not reason:
            raise errors.REASON_REQUIRED.error(field="reason")
        material.waived = True
        material.waive_reason = reason[:500]
        material.waived_by = actor
        material.waived_at = timezone.now()
        material.save()
        _audit("diligence.material_waived", actor, material, project, reason=reason, material=material.name)
    return material


# --- site visits -----------------------------------------------------------------------------------


def visit_record(
    *,
    actor: Any,
    project: Project,
    visit_date: dt.date,
    place: str,
    notes: str,
    participants: list[Any] | None = None,
    other_participants: str = "",
) -> SiteVisit:
    """A project manager records a site visit (the recorder is always among the staff present)."""
    place, notes = (place or "").strip(), (notes or "").strip()
    if not isinstance(visit_date, dt.date):
        raise errors.VISIT_INVALID.error(problem=_("the date is missing"), field="visit_date")
    if visit_date > timezone.localdate():
        raise errors.VISIT_INVALID.error(problem=_("the date is in the future"), field="visit_date")
    if not place:
        raise errors.VISIT_INVALID.error(problem=_("the place is missing"), field="place")
    if not notes:
        raise errors.VISIT_INVALID.error(problem=_("the notes are missing"), field="notes")
    _require_manager(actor, project)
    with transaction.atomic(durable=True):
        project = Project.objects.select_for_update().get(pk=project.pk)
        _project_open(project)
        _open_report(project)
        visit = SiteVisit.objects.create(
            project=project,
            visit_date=visit_date,
            place=place[:300],
            notes=notes,
            other_participants=(other_participants or "").strip()[:500],
            created_by=actor,
        )
        people = {u.pk: u for u in (participants or [])}
        people[actor.pk] = actor
        visit.participants.set(list(people.values()))
        _audit("diligence.visit_recorded", actor, visit, project, date=visit_date.isoformat(), place=visit.place)
    return visit


def visit_void(*, actor: Any, visit: SiteVisit, reason: str) -> SiteVisit:
    """Void a wrongly recorded visit with a reason (kept on record, no longer counts)."""
    reason = (reason or "").strip()
    with transaction.atomic(durable=True):
        visit = SiteVisit.objects.select_for_update().select_related("project").get(pk=visit.pk)
        _require_manager(actor, visit.project)
        _project_open(visit.project)
        _open_report(visit.project)
        if visit.is_voided:
            raise errors.VISIT_VOIDED.error()
        if not reason:
            raise errors.REASON_REQUIRED.error(field="reason")
        visit.voided_at = timezone.now()
        visit.voided_by = actor
        visit.void_reason = reason[:500]
        visit.save()
        _audit("diligence.visit_voided", actor, visit, visit.project, reason=reason)
    return visit


def exif_capture_time(upload: UploadedFile) -> dt.datetime | None:
    """DateTimeOriginal (or DateTime) from the photo's EXIF as an aware datetime in the server's
    time zone (cameras store local time without a zone); None when absent or unreadable."""
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            exif = image.getexif()
            raw = exif.get_ifd(0x8769).get(36867) or exif.get(306)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raw = None
    finally:
        upload.seek(0)
    if not raw:
        return None
    try:
        naive = dt.datetime.strptime(str(raw).strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_current_timezone())


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
    visit: SiteVisit,
    upload: UploadedFile,
    caption: str = "",
    latitude: Any = None,
    longitude: Any = None,
    accuracy: Any = None,
) -> SitePhoto:
    """Add a photo to a visit: the camera time from EXIF when present (else the upload time, labelled
    as such) and the browser's position when the user allowed it."""
    lat, lon, acc = _position(latitude, longitude, accuracy)
    captured = exif_capture_time(upload)
    with transaction.atomic(durable=True):
        visit = SiteVisit.objects.select_for_update().select_related("project").get(pk=visit.pk)
        _require_manager(actor, visit.project)
        _project_open(visit.project)
        _open_report(visit.project)
        if visit.is_voided:
            raise errors.VISIT_VOIDED.error()
        attachment = attachment_add(actor=actor, owner=visit, kind=PHOTO_KIND, upload=upload, note=(caption or "")[:200])
        photo = SitePhoto.objects.create(
            visit=visit,
            attachment=attachment,
            caption=(caption or "").strip()[:200],
            captured_at=captured or timezone.now(),
            capture_source=CaptureSource.EXIF if captured else CaptureSource.UPLOAD,
            latitude=lat,
            longitude=lon,
            accuracy_m=acc,
            uploaded_by=actor,
        )
        _audit(
            "diligence.photo_added",
            actor,
            photo,
            visit.project,
            visit=visit.pk,
            source=photo.capture_source,
            located="1" if lat is not None else "",
        )
    return photo


def report_print(*, actor: Any, report: DiligenceReport) -> bytes:
    """The report (any version) as PDF; printing is audited."""
    from danbao.diligence.pdf import report_pdf

    data = report_pdf(report.project, report)
    with transaction.atomic():
        _audit("diligence.report_printed", actor, report, report.project, version=report.number, state=report.state)
    return data
