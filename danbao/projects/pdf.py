"""The approval letter (批复书) as PDF: a Django template rendered to HTML, then WeasyPrint with the
Noto CJK fonts. Rendered from the stored, effective terms, so a reprint reads the same as the first
print; each print is audited."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from danbao.core.money import amount_in_words, format_amount
from danbao.projects.models import Project, ProjectTerms
from danbao.projects.services.common import audit


def letter_context(project: Project, terms: ProjectTerms) -> dict[str, Any]:
    opinion = project.risk_opinions.order_by("-submitted_at", "-id").first()
    return {
        "project": project,
        "terms": terms,
        "amount_figures": format_amount(terms.amount),
        "amount_words": amount_in_words(terms.amount),
        "fee_percent": f"{terms.fee_rate * 100:.2f}",
        "opinion": opinion,
        "issued_on": timezone.localtime(terms.effective_at).date() if terms.effective_at else None,
        "printed_at": timezone.localtime(),
    }


def letter_pdf(project: Project, terms: ProjectTerms, *, actor: Any) -> bytes:
    from weasyprint import HTML

    html = render_to_string("projects/pdf/approval_letter.html", letter_context(project, terms))
    data = HTML(string=html).write_pdf()
    audit("project.letter_printed", actor, project, letter=terms.letter_number, terms=terms.sequence)
    return data
