"""Assessment writes: run a scorecard on a subject, adjust a qualitative answer with a reason.

The run pulls the customer's latest statement ratios and credit record itself, stores the inputs
(with where each came from), the version and the factor breakdown. An adjustment recomputes from
the stored inputs, so only the adjusted answer changes; the before/after is kept in an
Adjustment row, in the model history and in one audit event.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from danbao.core.events import security_event
from danbao.customers.models.customer import Customer, CustomerKind
from danbao.customers.selectors import customer_list_for
from danbao.scoring import errors
from danbao.scoring.calculate import Definition, Result, compute_assessment
from danbao.scoring.measures import measure_for
from danbao.scoring.models import Adjustment, Assessment, TemplateVersion, VersionStatus
from danbao.scoring.selectors import customer_figures, definition_of

RUN = "scoring.assessment.run"
ADJUST = "scoring.assessment.adjust"


def _check(actor: Any, code: str) -> None:
    """`actor=None` is a system task (seed_demo); a person needs the permission."""
    if actor is not None and not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def _visible(actor: Any, customer: Customer) -> bool:
    return actor is None or customer_list_for(actor).filter(pk=customer.pk).exists()


def _coverage(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise errors.COVERAGE_INVALID.error(field="coverage") from None
    if not number.is_finite() or number < 0:
        raise errors.COVERAGE_INVALID.error(field="coverage")
    return number


def _breakdown(definition: Definition, result: Result, sources: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for factor, item in zip(definition.factors, result.factors, strict=True):
        measure = measure_for(factor.kind, factor.source)
        rows.append(
            {**item.as_json(), "source": factor.source, "unit": measure.unit if measure else "", "from": sources.get(factor.code, "")}
        )
    return rows


def _apply(assessment: Assessment, definition: Definition, values: dict[str, Any], sources: dict[str, str]) -> Result:
    result = compute_assessment(definition, values)
    assessment.breakdown = _breakdown(definition, result, sources)
    assessment.total_score, assessment.grade = result.total, result.grade
    assessment.max_amount, assessment.fee_rate_min, assessment.fee_rate_max = result.max_amount, result.fee_rate_min, result.fee_rate_max
    assessment.missing_count = len(result.missing)
    return result


@transaction.atomic
def assessment_run(
    *,
    actor: Any,
    subject: Any,
    customer: Customer,
    template_version: TemplateVersion,
    answers: dict[str, str],
    coverage: Decimal | None,
    on: date | None = None,
) -> Assessment:
    """Score `customer` (for `subject`: the customer itself or e.g. a project) with a published version.

    Financial and credit factors come from the customer's data on `on`; qualitative factors from
    `answers` (factor code → answer code); coverage factors from `coverage` (value of the
    counter-guarantees / amount). A factor without input scores 0 and is flagged."""
    _check(actor, RUN)
    if not _visible(actor, customer):
        raise errors.CUSTOMER_OUT_OF_SCOPE.error()
    if not customer.is_active:
        raise errors.CUSTOMER_CLOSED.error()
    version = TemplateVersion.objects.select_related("template").get(pk=template_version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise errors.NOT_PUBLISHED.error()
    if customer.kind not in (version.template.customer_kinds or []):
        raise errors.KIND_NOT_COVERED.error(kind=CustomerKind(customer.kind).label)
    definition = definition_of(version)
    day = on or timezone.localdate()
    coverage_value = _coverage(coverage)
    data = customer_figures(customer, day)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    clean_answers: dict[str, str] = {}
    for factor in definition.factors:
        if factor.kind == "qualitative":
            answer = (answers or {}).get(factor.code) or ""
            if answer and factor.option(answer) is None:
                raise errors.ANSWER_INVALID.error(factor=factor.name, field=f"answer_{factor.code}")
            clean_answers[factor.code] = answer
            values[factor.code] = answer or None
        elif factor.kind == "coverage":
            values[factor.code] = coverage_value
        else:
            raw = data["values"].get(factor.source)
            values[factor.code] = raw
            sources[factor.code] = data["sources"].get(factor.source, "")
    assessment = Assessment(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        customer=customer,
        version=version,
        assessed_on=day,
        created_by=actor,
    )
    assessment.inputs = {
        "values": {code: None if v is None else str(v) for code, v in values.items()},
        "answers": clean_answers,
        "coverage": None if coverage_value is None else str(coverage_value),
        "sources": sources,
    }
    result = _apply(assessment, definition, values, sources)
    assessment._history_user = actor  # type: ignore[attr-defined]
    assessment.save()
    security_event(
        "scoring.assessment_run",
        actor=actor,
        object_type="scoring.Assessment",
        object_id=str(assessment.pk),
        data={
            "customer": customer.pk,
            "subject": f"{assessment.subject_type.app_label}.{assessment.subject_type.model}:{assessment.subject_id}",
            "template": version.template.code,
            "version": version.number,
            "total": str(result.total),
            "grade": result.grade,
            "missing": list(result.missing),
        },
    )
    return assessment


@transaction.atomic
def assessment_adjust(*, actor: Any, assessment: Assessment, factor_code: str, new_answer: str, reason: str) -> Assessment:
    """Change one qualitative answer for a stated reason (risk managers only); recompute and keep the before/after."""
    if actor is None or not actor.can(ADJUST):
        raise errors.PERMISSION_DENIED.error()
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    current = Assessment.objects.select_for_update().select_related("customer", "version").get(pk=assessment.pk)
    if not _visible(actor, current.customer):
        raise errors.CUSTOMER_OUT_OF_SCOPE.error()
    definition = definition_of(current.version)
    factor = next((f for f in definition.factors if f.code == factor_code), None)
    if factor is None:
        raise errors.FACTOR_UNKNOWN.error(factor_code=factor_code)
    if factor.kind != "qualitative":
        raise errors.NOT_QUALITATIVE.error(factor=factor.name)
    if factor.option(new_answer or "") is None:
        raise errors.ANSWER_INVALID.error(factor=factor.name, field="new_answer")
    inputs = dict(current.inputs or {})
    values = dict(inputs.get("values") or {})
    answers = dict(inputs.get("answers") or {})
    old_answer = answers.get(factor_code) or ""
    if old_answer == new_answer:
        raise errors.ANSWER_UNCHANGED.error(field="new_answer")
    before = next((item for item in current.breakdown if item["code"] == factor_code), {})
    old_total, old_grade = current.total_score, current.grade
    values[factor_code], answers[factor_code] = new_answer, new_answer
    current.inputs = {**inputs, "values": values, "answers": answers}
    result = _apply(current, definition, values, inputs.get("sources") or {})
    current.adjustment_count += 1
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    after = result.factor(factor_code)
    adjustment = Adjustment.objects.create(
        assessment=current,
        factor_code=factor_code,
        old_answer=old_answer,
        new_answer=new_answer,
        old_points=Decimal(before.get("points", "0")),
        new_points=after.points,
        old_total=old_total,
        new_total=result.total,
        old_grade=old_grade,
        new_grade=result.grade,
        reason=reason,
        actor=actor,
    )
    security_event(
        "scoring.assessment_adjusted",
        actor=actor,
        object_type="scoring.Assessment",
        object_id=str(current.pk),
        data={
            "adjustment": adjustment.pk,
            "factor": factor_code,
            "reason": reason,
            "before": {"answer": old_answer, "points": before.get("points"), "total": str(old_total), "grade": old_grade},
            "after": {"answer": new_answer, "points": str(after.points), "total": str(result.total), "grade": result.grade},
        },
    )
    return current
