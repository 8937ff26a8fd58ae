"""{% assessment_panel assessment %}: the scorecard result (grade, breakdown table, chart) that the
projects' pages embed; {{ grade|grade_class }} for badge colours."""

from __future__ import annotations

from typing import Any

from django import template

from danbao.scoring.selectors import breakdown_rows, chart_data

register = template.Library()

GRADE_CLASSES = {
    "AAA": "bg-green-lt",
    "AA": "bg-green-lt",
    "A": "bg-teal-lt",
    "BBB": "bg-azure-lt",
    "BB": "bg-yellow-lt",
    "B": "bg-orange-lt",
    "CCC": "bg-red-lt",
    "CC": "bg-red-lt",
    "C": "bg-red-lt",
}


@register.filter
def grade_class(grade: str) -> str:
    return GRADE_CLASSES.get(grade or "", "bg-secondary-lt")


@register.filter
def percent(value: Any) -> str:
    """A fraction as a percentage with 2 decimals (0.012 → 1.20%)."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.2f}%"


@register.inclusion_tag("scoring/_assessment_panel.html", takes_context=True)
def assessment_panel(context: template.Context, assessment: Any, *, adjust: bool = False) -> dict[str, Any]:
    """The breakdown of one assessment the caller has already fetched through assessment_get_for /
    assessments_of_subject (so the user may see it). `adjust=True` shows the adjust buttons to
    holders of scoring.assessment.adjust."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "assessment": assessment,
        "rows": breakdown_rows(assessment),
        "chart": chart_data(assessment),
        "chart_id": f"scoring-chart-{assessment.pk}",
        "data_id": f"scoring-chart-{assessment.pk}-data",
        "can_adjust": adjust and user is not None and user.can("scoring.assessment.adjust"),
        "request": request,
    }
