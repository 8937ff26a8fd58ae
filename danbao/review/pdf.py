"""Minutes (会议纪要) and expert review reports as PDF: a Django template rendered to HTML, then
WeasyPrint with the Noto CJK fonts (fonts-noto-cjk)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from danbao.review import selectors
from danbao.review.models import AgendaItem, Meeting


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def minutes_pdf(meeting: Meeting) -> bytes:
    """The meeting's minutes: details, attendance, each item with votes, recusals, result and conditions."""
    context = {"meeting": meeting, "printed_at": timezone.localtime(), **selectors.meeting_detail(meeting)}
    return render_pdf("review/pdf/minutes.html", context)


def expert_report_pdf(item: AgendaItem) -> bytes:
    """All submitted expert opinions on one agenda item."""
    opinions = list(item.expert_opinions.filter(submitted_at__isnull=False).select_related("link__expert").order_by("submitted_at"))
    context = {"item": item, "meeting": item.meeting, "opinions": opinions, "printed_at": timezone.localtime()}
    return render_pdf("review/pdf/expert_report.html", context)
