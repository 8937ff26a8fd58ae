"""The fee notice (缴费通知书) as PDF: a Django template rendered to HTML, then WeasyPrint with the
Noto CJK fonts. Lists what is still owed on the current fee plan (amount in figures and 大写, due
dates, total) and the institution's collection account; each print is audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from danbao.core.events import security_event
from danbao.core.money import amount_in_words, format_amount
from danbao.finance import errors, parameters, selectors
from danbao.finance.models import ReceivableState
from danbao.projects.models import Project


def institution_name(on: Any = None) -> str:
    """The institution's name: the parameter, else the head office's name in the organisation."""
    name = str(parameters.value(parameters.INSTITUTION_NAME, on) or "").strip()
    if name:
        return name
    from danbao.org.models import Department

    head = Department.objects.filter(kind="head_office").order_by("pk").first()
    return head.name if head else ""


def notice_context(project: Project) -> dict[str, Any]:
    plan = selectors.current_plan(project)
    if plan is None:
        raise errors.NO_PLAN.error(number=project.number)
    today = timezone.localdate()
    rows = []
    for row in selectors.receivables_of(project):
        if row.state in (ReceivableState.CANCELLED, ReceivableState.PAID) or row.outstanding <= 0:
            continue
        rows.append(
            {
                "label": selectors.receivable_label(row),
                "basis": row.basis,
                "due": row.deferred_until or row.due_date,
                "deferred": row.deferred_until is not None,
                "amount": format_amount(row.outstanding),
                "words": amount_in_words(row.outstanding),
            }
        )
    total = sum((r.outstanding for r in selectors.receivables_of(project) if r.state != ReceivableState.CANCELLED), Decimal("0.00"))
    return {
        "project": project,
        "plan": plan,
        "rows": rows,
        "total": format_amount(total),
        "total_words": amount_in_words(total),
        "institution": institution_name(today),
        "account_name": parameters.value(parameters.ACCOUNT_NAME, today),
        "account_bank": parameters.value(parameters.ACCOUNT_BANK, today),
        "account_no": parameters.value(parameters.ACCOUNT_NO, today),
        "today": today,
        "printed_at": timezone.localtime(),
    }


def notice_pdf(project: Project, *, actor: Any) -> bytes:
    from weasyprint import HTML

    context = notice_context(project)
    html = render_to_string("finance/pdf/notice.html", context)
    data = HTML(string=html).write_pdf()
    security_event(
        "finance.notice_printed",
        actor=actor,
        object_type="projects.Project",
        object_id=project.pk,
        data={"number": project.number, "total": context["total"]},
    )
    return data
