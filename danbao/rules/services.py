"""Rules writes and the evaluator: seed the catalogue, change a rule, add a dated rule parameter,
evaluate all applicable rules (stored with inputs, versions and parameters), trial evaluation.

A parameter or check that cannot be resolved makes the rule's outcome "error", which blocks like
a blocking hit: a decision is never taken on a rule that could not be evaluated (fail closed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from danbao.core.events import security_event
from danbao.products.models import Product
from danbao.rules import errors, registry
from danbao.rules.inputs import RuleInput
from danbao.rules.models import Evaluation, Rule, RuleParameter, Severity, Stage
from danbao.system import values
from danbao.system.models import Parameter
from danbao.system.selectors import parameter_version_on

MANAGE = "rules.rule.manage"
VIEW = "rules.rule.view"


def _check(actor: Any, code: str) -> None:
    if actor is not None and not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


# --- catalogue ---------------------------------------------------------------------------------


@transaction.atomic
def rules_ensure() -> int:
    """Create a catalogue row for every registered check that has none (idempotent); returns the count."""
    created = 0
    for spec in registry.specs:
        _rule, made = Rule.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "reason_zh": spec.reason_zh,
                "reason_en": spec.reason_en,
                "severity": str(spec.severity),
                "stages": [str(s) for s in spec.stages],
                "change_reason": "系统初始化",
            },
        )
        created += int(made)
    return created


def _parse(spec: registry.ParamSpec, text: str) -> Any:
    """The JSON-storable value of a typed parameter text (decimals as strings, percent → fraction)."""
    text = (text or "").strip()
    try:
        if spec.kind == "json":
            return json.loads(text)
        if spec.kind == "int":
            return int(text.replace(",", ""))
        number = Decimal(text.replace(",", "").rstrip("%"))
        if not number.is_finite():
            raise InvalidOperation
        if spec.kind == "percent":
            number = number / 100
        return format(number.normalize(), "f")
    except (ValueError, InvalidOperation) as exc:
        raise errors.PARAM_VALUE.error(label=spec.label, problem=str(exc) or text, field="value") from exc


def _typed(spec: registry.ParamSpec, value: Any) -> Any:
    if spec.kind in ("decimal", "percent"):
        return Decimal(str(value))
    if spec.kind == "int":
        return int(value)
    return value


@transaction.atomic
def rule_update(
    *,
    actor: Any,
    rule: Rule,
    expected_version: int | None,
    reason: str,
    name: str,
    reason_zh: str,
    reason_en: str,
    severity: str,
    stages: list[str],
    all_products: bool,
    product_codes: list[str],
    active: bool,
) -> Rule:
    """Change a rule's catalogue data; the rule's version goes up and the history keeps the old row."""
    _check(actor, MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    current = Rule.objects.select_for_update().get(pk=rule.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise errors.STALE.error()
    name, reason_zh, reason_en = (name or "").strip(), (reason_zh or "").strip(), (reason_en or "").strip()
    if not (name and reason_zh and reason_en):
        raise errors.TEXT_REQUIRED.error()
    if severity not in Severity.values:
        raise errors.SEVERITY_INVALID.error(field="severity")
    stages = [s for s in Stage.values if s in set(stages or [])]
    if not stages:
        raise errors.STAGES_REQUIRED.error(field="stages")
    codes = sorted(set(product_codes or []))
    known = set(Product.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            raise errors.PRODUCT_UNKNOWN.error(value=code, field="product_codes")
    if not all_products and not codes:
        raise errors.PRODUCTS_REQUIRED.error(field="product_codes")
    fields = ("name", "reason_zh", "reason_en", "severity", "stages", "all_products", "product_codes", "active")
    before = {f: getattr(current, f) for f in fields}
    current.name, current.reason_zh, current.reason_en = name[:100], reason_zh[:300], reason_en[:300]
    current.severity, current.stages, current.all_products = severity, stages, bool(all_products)
    current.product_codes, current.active = codes if not all_products else [], bool(active)
    after = {f: getattr(current, f) for f in fields}
    changed = sorted(f for f in fields if before[f] != after[f])
    if changed:
        current.version += 1
        current.change_reason = reason[:500]
        current.updated_by = actor
        current._history_user = actor  # type: ignore[attr-defined]
        current.save()
        security_event(
            "rule.updated",
            actor=actor,
            object_type="rules.Rule",
            object_id=current.pk,
            reason=reason[:255],
            data={
                "code": current.code,
                "version": current.version,
                "before": {f: before[f] for f in changed},
                "after": {f: after[f] for f in changed},
            },
        )
    return current


@transaction.atomic
def rule_parameter_add(
    *,
    actor: Any,
    rule: Rule,
    key: str,
    value_text: str,
    valid_from: date | None,
    valid_to: date | None = None,
    note: str = "",
    reason: str = "",
) -> RuleParameter:
    """Give a rule its own value of a parameter from `valid_from`. An open-ended earlier value is
    closed the day before; any other overlap is refused. The rule's version goes up."""
    _check(actor, MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    current = Rule.objects.select_for_update().get(pk=rule.pk)
    spec = registry.get(current.code)
    param = spec.param(key) if spec else None
    if param is None:
        raise errors.PARAM_UNKNOWN.error(rule=current.code, key=key, field="key")
    value = _parse(param, value_text)
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        raise errors.PARAM_VALUE.error(label=param.label, problem="valid_to < valid_from", field="valid_to")
    others = list(current.parameters.select_for_update().filter(key=key).order_by("valid_from"))
    for other in others:
        starts_before = other.valid_from is None or (valid_from is not None and other.valid_from < valid_from)
        if starts_before and other.valid_to is None and valid_from is not None:
            other.valid_to = valid_from - timedelta(days=1)
            other._history_user = actor  # type: ignore[attr-defined]
            other.save(update_fields=["valid_to"])
            continue
        lo1, hi1 = other.valid_from or date.min, other.valid_to or date.max
        lo2, hi2 = valid_from or date.min, valid_to or date.max
        if lo1 <= hi2 and lo2 <= hi1:
            raise errors.PARAM_PERIOD.error(start=other.valid_from.isoformat() if other.valid_from else "…", field="valid_from")
    row = RuleParameter(
        rule=current, key=key, value=value, valid_from=valid_from, valid_to=valid_to, note=(note or "")[:300], created_by=actor
    )
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    current.version += 1
    current.change_reason = reason[:500]
    current.updated_by = actor
    current._history_user = actor  # type: ignore[attr-defined]
    current.save(update_fields=["version", "change_reason", "updated_by", "updated_at"])
    security_event(
        "rule.parameter_added",
        actor=actor,
        object_type="rules.Rule",
        object_id=current.pk,
        reason=reason[:255],
        data={"code": current.code, "key": key, "value": value, "valid_from": str(valid_from or ""), "valid_to": str(valid_to or "")},
    )
    return row


# --- parameters --------------------------------------------------------------------------------


@dataclass
class ResolvedParam:
    key: str
    value: Any
    source: str  # rule | system | default
    ref: str  # what exactly was read, for the explanation

    def as_json(self) -> dict[str, Any]:
        value = self.value
        return {"key": self.key, "value": str(value) if isinstance(value, Decimal) else value, "source": self.source, "ref": self.ref}


class ParamMissing(Exception):
    pass


def resolve_params(rule: Rule, spec: registry.RuleSpec, on: date, own: list[RuleParameter] | None = None) -> list[ResolvedParam]:
    """Each declared parameter's value on `on`: the rule's own dated value, else the system
    parameter in force, else the literal default. Raises ParamMissing naming the first gap."""
    rows = own if own is not None else list(rule.parameters.all())
    out = []
    for param in spec.params:
        mine = [
            r
            for r in rows
            if r.key == param.key and (r.valid_from is None or r.valid_from <= on) and (r.valid_to is None or on <= r.valid_to)
        ]
        if mine:
            row = mine[-1]
            out.append(
                ResolvedParam(
                    param.key, _typed(param, row.value), "rule", f"rule_parameter#{row.pk} {row.valid_from or '…'}–{row.valid_to or '…'}"
                )
            )
            continue
        if param.system:
            parameter = Parameter.objects.filter(code=param.system).prefetch_related("versions").first()
            version = parameter_version_on(parameter, on) if parameter is not None else None
            if version is not None:
                typed = values.to_python(parameter.kind, version.value)  # type: ignore[union-attr]
                out.append(
                    ResolvedParam(
                        param.key,
                        _typed(param, typed),
                        "system",
                        f"{param.system} version#{version.pk} {version.valid_from or '…'}–{version.valid_to or '…'}",
                    )
                )
                continue
        if param.default is not None:
            out.append(ResolvedParam(param.key, _typed(param, param.default), "default", "default"))
            continue
        raise ParamMissing(param.key)
    return out


# --- evaluation --------------------------------------------------------------------------------


def _render(template: str, detail: dict[str, Any]) -> str:
    try:
        return template % {k: v for k, v in detail.items()}
    except (KeyError, TypeError, ValueError):
        return template


def _applies(rule: Rule, inp: RuleInput) -> bool:
    if inp.stage not in rule.stages:
        return False
    if rule.all_products:
        return True
    product = inp.product
    return product is not None and product.code in rule.product_codes


@dataclass
class Result:
    """What an evaluation returns: every rule's result and the hits, blocking ones first."""

    results: list[dict[str, Any]]
    evaluation: Evaluation | None = None
    hits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(h["severity"] == Severity.BLOCK or h["outcome"] == "error" for h in self.hits)

    @property
    def needs_approval(self) -> bool:
        return any(h["severity"] == Severity.APPROVAL for h in self.hits)

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [h for h in self.hits if h["severity"] == Severity.BLOCK or h["outcome"] == "error"]


SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.APPROVAL: 1, Severity.WARN: 2}


def _run(inp: RuleInput) -> Result:
    if inp.stage not in Stage.values:
        raise errors.STAGE_INVALID.error(field="stage")
    results: list[dict[str, Any]] = []
    rules = Rule.objects.filter(active=True).prefetch_related("parameters").order_by("code")
    for rule in rules:
        if not _applies(rule, inp):
            continue
        spec = registry.get(rule.code)
        entry: dict[str, Any] = {
            "code": rule.code,
            "name": rule.name,
            "rule_id": rule.pk,
            "rule_version": rule.version,
            "severity": rule.severity,
            "params": [],
            "detail": {},
        }
        if spec is None:
            entry.update(
                outcome="error", reason_zh=f"规则 {rule.code} 没有对应的检查程序", reason_en=f"Rule {rule.code} has no registered check"
            )
            results.append(entry)
            continue
        try:
            params = resolve_params(rule, spec, inp.on, list(rule.parameters.all()))
        except ParamMissing as exc:
            entry.update(
                outcome="error",
                reason_zh=f"规则 {rule.code} 的参数 {exc} 在 {inp.on.isoformat()} 没有有效值",
                reason_en=f"Rule {rule.code}: parameter {exc} has no value in force on {inp.on.isoformat()}",
            )
            results.append(entry)
            continue
        entry["params"] = [p.as_json() for p in params]
        outcome = spec.check(inp, {p.key: p.value for p in params})
        detail = {k: str(v) for k, v in outcome.detail.items()}
        entry["detail"] = detail
        if outcome.hit:
            entry.update(outcome="hit", reason_zh=_render(rule.reason_zh, detail), reason_en=_render(rule.reason_en, detail))
        else:
            entry.update(outcome="pass" if outcome.applicable else "not_applicable", reason_zh="", reason_en="")
        results.append(entry)
    hits = [r for r in results if r["outcome"] in ("hit", "error")]
    hits.sort(key=lambda h: (0 if h["outcome"] == "error" else 1 + SEVERITY_ORDER.get(h["severity"], 9), h["code"]))
    return Result(results=results, hits=hits)


def rules_evaluate(*, subject: models.Model | None, rule_input: RuleInput, actor: Any) -> Result:
    """Evaluate every active rule that applies to the input's stage and product and store the
    evaluation on `subject` (inputs, each rule's version, parameter values and result).

    Joins the caller's transaction, so the evaluation lands together with the decision it explains.
    No permission code: the calling service has already decided the actor may take the decision."""
    result = _run(rule_input)
    with transaction.atomic():
        evaluation = Evaluation(
            content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
            object_id=subject.pk if subject is not None else None,
            subject_label=str(subject)[:200] if subject is not None else "",
            stage=rule_input.stage,
            on_date=rule_input.on,
            inputs=rule_input.as_json(),
            results=result.results,
            hit_count=len(result.hits),
            blocked=result.blocked,
            needs_approval=result.needs_approval,
            created_by=actor,
        )
        evaluation.save()
        security_event(
            "rule.evaluated",
            actor=actor,
            object_type="rules.Evaluation",
            object_id=evaluation.pk,
            data={
                "stage": rule_input.stage,
                "hits": [h["code"] for h in result.hits],
                "blocked": result.blocked,
                "subject": evaluation.subject_label,
            },
        )
    result.evaluation = evaluation
    return result


def rules_trial(*, actor: Any, rule_input: RuleInput) -> Result:
    """Evaluate without storing anything (the 试算 page): same rules, same parameters, no record."""
    _check(actor, VIEW)
    return _run(rule_input)
