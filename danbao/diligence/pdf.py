"""The due-diligence report as PDF: a Django template rendered to HTML, then WeasyPrint with the
Noto CJK fonts; site photos are embedded as small data-URI thumbnails made with Pillow."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from danbao.diligence import selectors
from danbao.diligence.models import DiligenceReport
from danbao.projects.models import Project

THUMB = (360, 270)


def thumbnail_data_uri(stored_name: str) -> str:
    """A JPEG thumbnail of a stored image as a data URI ("" when the file cannot be read)."""
    from PIL import Image, ImageOps

    try:
        with default_storage.open(stored_name, "rb") as handle, Image.open(handle) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMB)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=72)
    except (OSError, ValueError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def report_context(project: Project, report: DiligenceReport) -> dict[str, Any]:
    visits = selectors.visits_of(project, include_voided=False)
    for visit in visits:
        for photo in visit.photo_list:  # type: ignore[attr-defined]
            photo.thumb = thumbnail_data_uri(photo.attachment.stored_name)
    return {
        "project": project,
        "report": report,
        "sections": selectors.sections_of(report),
        "facts": selectors.facts_for(report, project),
        "fee_rate_percent": selectors.fee_rate_percent(report.proposed_fee_rate),
        "materials": selectors.materials_of(project),
        "visits": visits,
        "transitions": selectors.transitions_of(report),
        "printed_at": timezone.localtime(),
    }


def report_pdf(project: Project, report: DiligenceReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string("diligence/pdf/report.html", report_context(project, report))
    return HTML(string=html).write_pdf()
