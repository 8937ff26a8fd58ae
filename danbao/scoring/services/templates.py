"""Scorecard template writes: create, applicability, draft versions (factors, bins, grades), publish, retire.

Every service checks ``scoring.template.manage``, validates before writing, runs in one transaction
with the template row locked, and writes one audit event. Only a draft is edited; publishing
retires the previously published version (assessments keep pointing at theirs).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.core.events import security_event
from danbao.customers.models.customer import CustomerKind
from danbao.products.models import Product
from danbao.scoring import errors
from danbao.scoring.calculate import BinDef, FactorDef, GradeDef, OptionDef, definition_problems, factor_problems, grades_problems
from danbao.scoring.models import Bin, Factor, GradeBand, ScorecardTemplate, TemplateVersion, VersionStatus
from danbao.scoring.selectors import definition_of

MANAGE = "scoring.template.manage"
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
GradeSpec = GradeDef


def _check(actor: Any) -> None:
    """`actor=None` is a system task (seed_demo); a person needs the permission."""
    if actor is not None and not actor.can(MANAGE):
        raise errors.PERMISSION_DENIED.error()


def _audit(event_type: str, actor: Any, template: ScorecardTemplate, **data: Any) -> None:
    security_event(event_type, actor=actor, object_type="scoring.ScorecardTemplate", object_id=str(template.pk), data=data)


def _applicability(product_codes: list[str], customer_kinds: list[str]) -> tuple[list[str], list[str]]:
    kinds = [k for k in dict.fromkeys(customer_kinds) if k]
    if not kinds:
        raise errors.KINDS_REQUIRED.error(field="customer_kinds")
    for kind in kinds:
        if kind not in CustomerKind.values:
            raise errors.KIND_UNKNOWN.error(kind=kind, field="customer_kinds")
    codes = [c for c in dict.fromkeys(product_codes) if c]
    known = set(Product.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            raise errors.PRODUCT_UNKNOWN.error(value=code, field="product_codes")
    return codes, kinds


@transaction.atomic
def template_create(
    *, actor: Any, code: str, name: str, product_codes: list[str], customer_kinds: list[str], description: str = ""
) -> ScorecardTemplate:
    """A new template with an empty draft version 1."""
    _check(actor)
    code, name = (code or "").strip(), (name or "").strip()
    if not CODE_RE.match(code):
        raise errors.CODE_INVALID.error(field="code")
    if not name:
        raise errors.NAME_REQUIRED.error(field="name")
    if ScorecardTemplate.objects.filter(code=code).exists():
        raise errors.CODE_TAKEN.error(value=code, field="code")
    codes, kinds = _applicability(product_codes, customer_kinds)
    template = ScorecardTemplate(
        code=code, name=name, product_codes=codes, customer_kinds=kinds, description=description.strip(), created_by=actor
    )
    template._history_user = actor  # type: ignore[attr-defined]
    template.save()
    TemplateVersion.objects.create(template=template, number=1, created_by=actor, change_note="")
    _audit("scoring.template_created", actor, template, code=code, name=name, products=codes, kinds=kinds)
    return template


def _locked(template: ScorecardTemplate) -> ScorecardTemplate:
    return ScorecardTemplate.objects.select_for_update().get(pk=template.pk)


@transaction.atomic
def template_update(
    *, actor: Any, template: ScorecardTemplate, name: str, product_codes: list[str], customer_kinds: list[str], description: str = ""
) -> ScorecardTemplate:
    """Name and applicability (which products and customer kinds use it); versions are untouched."""
    _check(actor)
    current = _locked(template)
    name = (name or "").strip()
    if not name:
        raise errors.NAME_REQUIRED.error(field="name")
    codes, kinds = _applicability(product_codes, customer_kinds)
    before = {"name": current.name, "products": current.product_codes, "kinds": current.customer_kinds, "description": current.description}
    current.name, current.product_codes, current.customer_kinds, current.description = name, codes, kinds, description.strip()
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    after = {"name": name, "products": codes, "kinds": kinds, "description": current.description}
    _audit("scoring.template_changed", actor, current, before=before, after=after)
    return current


def _copy_content(source: TemplateVersion, target: TemplateVersion) -> None:
    for factor in source.factors.prefetch_related("bins"):
        bins = list(factor.bins.all())
        factor_copy = Factor.objects.create(
            version=target,
            code=factor.code,
            name=factor.name,
            kind=factor.kind,
            source=factor.source,
            question=factor.question,
            weight=factor.weight,
            options=factor.options,
            sort_order=factor.sort_order,
        )
        Bin.objects.bulk_create(
            [
                Bin(
                    factor=factor_copy,
                    lower=b.lower,
                    lower_inclusive=b.lower_inclusive,
                    upper=b.upper,
                    upper_inclusive=b.upper_inclusive,
                    points=b.points,
                    sort_order=b.sort_order,
                )
                for b in bins
            ]
        )
    GradeBand.objects.bulk_create(
        [
            GradeBand(
                version=target,
                grade=g.grade,
                min_score=g.min_score,
                max_score=g.max_score,
                max_amount=g.max_amount,
                fee_rate_min=g.fee_rate_min,
                fee_rate_max=g.fee_rate_max,
            )
            for g in source.grades.all()
        ]
    )


@transaction.atomic
def version_draft_open(*, actor: Any, template: ScorecardTemplate, change_note: str = "") -> TemplateVersion:
    """A new draft copied from the newest version; the existing draft when there is one (safe to retry)."""
    _check(actor)
    current = _locked(template)
    draft = current.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return draft
    newest = current.versions.order_by("-number").first()
    number = (newest.number if newest else 0) + 1
    draft = TemplateVersion.objects.create(template=current, number=number, created_by=actor, change_note=change_note.strip())
    if newest is not None:
        _copy_content(newest, draft)
    _audit("scoring.draft_opened", actor, current, number=number, copied_from=newest.number if newest else None)
    return draft


def _locked_draft(version: TemplateVersion) -> TemplateVersion:
    _locked(version.template)
    current = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != VersionStatus.DRAFT:
        raise errors.NOT_DRAFT.error(number=current.number, status=current.get_status_display())
    return current


@transaction.atomic
def factor_save(
    *,
    actor: Any,
    version: TemplateVersion,
    factor: FactorDef,
    original_code: str | None = None,
    change_note: str | None = None,
) -> Factor:
    """Add a factor to a draft, or replace the one named `original_code` (its bins and options too)."""
    _check(actor)
    draft = _locked_draft(version)
    code = (factor.code or "").strip()
    if not CODE_RE.match(code):
        raise errors.CODE_INVALID.error(field="code")
    if not factor.name.strip():
        raise errors.NAME_REQUIRED.error(field="name")
    problems = factor_problems(factor)
    if problems:
        raise errors.FACTOR_INVALID.error(problems="；".join(problems))
    existing = None
    if original_code:
        existing = draft.factors.filter(code=original_code).first()
        if existing is None:
            raise errors.FACTOR_UNKNOWN.error(factor_code=original_code)
    if draft.factors.filter(code=code).exclude(pk=existing.pk if existing else None).exists():
        raise errors.FACTOR_DUPLICATE.error(factor_code=code, field="code")
    values = {
        "code": code,
        "name": factor.name.strip(),
        "kind": factor.kind,
        "source": factor.source if factor.kind in ("financial", "credit") else "",
        "question": factor.question.strip() if factor.kind == "qualitative" else "",
        "weight": factor.weight,
        "options": [{"code": o.code, "label": o.label, "points": str(o.points)} for o in factor.options]
        if factor.kind == "qualitative"
        else [],
    }
    if existing is None:
        values["sort_order"] = (max((f.sort_order for f in draft.factors.all()), default=0)) + 10
        row = Factor.objects.create(version=draft, **values)
    else:
        row = existing
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        row.bins.all().delete()
    if factor.kind != "qualitative":
        ordered = sorted(factor.bins, key=lambda b: (b.lower is not None, b.lower or Decimal(0)))
        Bin.objects.bulk_create(
            [
                Bin(
                    factor=row,
                    lower=b.lower,
                    lower_inclusive=b.lower_inclusive and b.lower is not None,
                    upper=b.upper,
                    upper_inclusive=b.upper_inclusive and b.upper is not None,
                    points=b.points,
                    sort_order=i,
                )
                for i, b in enumerate(ordered)
            ]
        )
    if change_note is not None:
        draft.change_note = change_note.strip()
        draft.save(update_fields=["change_note"])
    _audit(
        "scoring.factor_saved",
        actor,
        draft.template,
        number=draft.number,
        code=code,
        replaced=original_code or None,
        weight=str(factor.weight),
        kind=factor.kind,
    )
    return row


@transaction.atomic
def factor_remove(*, actor: Any, version: TemplateVersion, code: str) -> None:
    """Remove a factor from a draft (a published version keeps all of its factors)."""
    _check(actor)
    draft = _locked_draft(version)
    factor = draft.factors.filter(code=code).first()
    if factor is None:
        raise errors.FACTOR_UNKNOWN.error(factor_code=code)
    factor.delete()
    _audit("scoring.factor_removed", actor, draft.template, number=draft.number, code=code)


@transaction.atomic
def grades_save(*, actor: Any, version: TemplateVersion, grades: list[GradeDef]) -> list[GradeBand]:
    """Replace the grade bands of a draft; they must cover 0–100 without gaps or overlaps."""
    _check(actor)
    draft = _locked_draft(version)
    problems = grades_problems(grades)
    if problems:
        raise errors.GRADES_INVALID.error(problems="；".join(problems))
    draft.grades.all().delete()
    rows = GradeBand.objects.bulk_create(
        [
            GradeBand(
                version=draft,
                grade=g.grade,
                min_score=g.min_score,
                max_score=g.max_score,
                max_amount=g.max_amount,
                fee_rate_min=g.fee_rate_min,
                fee_rate_max=g.fee_rate_max,
            )
            for g in grades
        ]
    )
    _audit(
        "scoring.grades_saved",
        actor,
        draft.template,
        number=draft.number,
        grades=[{"grade": g.grade, "min": str(g.min_score), "max": str(g.max_score)} for g in grades],
    )
    return rows


@transaction.atomic
def version_publish(*, actor: Any, version: TemplateVersion) -> TemplateVersion:
    """Publish a complete draft (weights 100 %, bins and grades covering); it becomes immutable and
    the previously published version is retired (its assessments keep it)."""
    _check(actor)
    draft = _locked_draft(version)
    problems = definition_problems(definition_of(draft))
    if problems:
        raise errors.NOT_PUBLISHABLE.error(problems="；".join(problems))
    now = timezone.now()
    previous = TemplateVersion.objects.select_for_update().filter(template=draft.template, status=VersionStatus.PUBLISHED).first()
    if previous is not None:
        previous.status, previous.retired_at = VersionStatus.RETIRED, now
        previous.retired_reason = f"v{draft.number}"
        previous._history_user = actor  # type: ignore[attr-defined]
        previous.save(update_fields=["status", "retired_at", "retired_reason"])
    draft.status, draft.published_at, draft.published_by = VersionStatus.PUBLISHED, now, actor
    draft._history_user = actor  # type: ignore[attr-defined]
    draft.save(update_fields=["status", "published_at", "published_by"])
    _audit(
        "scoring.version_published",
        actor,
        draft.template,
        number=draft.number,
        retired=previous.number if previous else None,
    )
    return draft


@transaction.atomic
def version_retire(*, actor: Any, version: TemplateVersion, reason: str) -> TemplateVersion:
    """Take a published version out of use (no new assessments); existing assessments keep it."""
    _check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    _locked(version.template)
    current = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != VersionStatus.PUBLISHED:
        raise errors.NOT_RETIRABLE.error()
    current.status, current.retired_at, current.retired_reason = VersionStatus.RETIRED, timezone.now(), reason
    current._history_user = actor  # type: ignore[attr-defined]
    current.save(update_fields=["status", "retired_at", "retired_reason"])
    _audit("scoring.version_retired", actor, current.template, number=current.number, reason=reason)
    return current


__all__ = [
    "BinDef",
    "FactorDef",
    "GradeDef",
    "GradeSpec",
    "OptionDef",
    "factor_remove",
    "factor_save",
    "grades_save",
    "template_create",
    "template_update",
    "version_draft_open",
    "version_publish",
    "version_retire",
]
