"""The release notice (解保通知书) as PDF: Django template → WeasyPrint with the Noto CJK fonts; amounts
in figures and in words (大写). Rendered from the stored release, so a reprint reads the same."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from danbao.core.money import amount_in_words, format_amount
from danbao.release.models import Release


def notice_context(release: Release) -> dict[str, Any]:
    guarantee = release.guarantee
    return {
        "release": release,
        "guarantee": guarantee,
        "project": release.project,
        "letter": guarantee.letter,
        "amount_figures": format_amount(release.released_amount),
        "amount_words": amount_in_words(release.released_amount),
        "tasks": list(release.tasks.select_related("measure").all()),
        "printed_at": timezone.localtime(),
    }


def notice_html(release: Release) -> str:
    return render_to_string("release/pdf/notice.html", notice_context(release))


def notice_pdf(release: Release) -> bytes:
    from weasyprint import HTML

    return HTML(string=notice_html(release)).write_pdf()
