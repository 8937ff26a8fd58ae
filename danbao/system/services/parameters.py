"""System parameters: definitions and dated value versions that never overlap.

A version that has been in force is never overwritten: a new value closes it the day before the
new version starts, so a report for an earlier date still reads the value in force then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.system import errors, values
from danbao.system.models import Parameter, ParameterVersion
from danbao.system.selectors import param_cache_clear
from danbao.system.services.common import changed, require, snapshot

PERMISSION = "system.param.manage"
VERSION_FIELDS = ["value", "valid_from", "valid_to", "source", "article", "note"]


def _invalidate(code: str) -> None:
    param_cache_clear(code)
    transaction.on_commit(lambda: param_cache_clear(code))


def _start(d: date | None) -> date:
    return d or date.min


def _end(d: date | None) -> date:
    return d or date.max


def check_no_overlap(versions: list[ParameterVersion]) -> None:
    """Refuse when two periods share a day (the invariant the service keeps for every parameter)."""
    ordered = sorted(versions, key=lambda v: _start(v.valid_from))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if _end(earlier.valid_to) >= _start(later.valid_from):
            raise errors.PARAM_OVERLAP.error(other=str(later.valid_from or "—"))


def _clean_value(parameter: Parameter, text: str) -> str:
    try:
        return values.canonical(parameter.kind, text, parameter.choices)
    except values.ValueInvalid as exc:
        raise errors.PARAM_INVALID_VALUE.error(name=parameter.name, reason=str(exc)) from exc


def parameter_set(
    *,
    actor: Any,
    parameter: Parameter,
    value: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    source: str = "",
    note: str = "",
    today: date | None = None,
    article: str = "",
) -> ParameterVersion:
    """Give `parameter` a new value from `valid_from` (today when None and the parameter has no legal force).

    - A version starting the same day that has not yet been in force is corrected in place (for a
      parameter without legal force, also one that started today: a same-day correction).
    - The version covering `valid_from` is closed the day before; the new one runs to `valid_to`,
      or up to the next later version when open.
    """
    require(actor, PERMISSION)
    today = today or timezone.localdate()
    raw = _clean_value(parameter, value)
    if valid_from is None:
        if parameter.legal_force:
            raise errors.PARAM_DATE_REQUIRED.error()
        valid_from = today
    if valid_to is not None and valid_to < valid_from:
        raise errors.PARAM_PERIOD_INVALID.error()
    with transaction.atomic():
        parameter = Parameter.objects.select_for_update().get(pk=parameter.pk)  # one editor at a time
        versions = list(parameter.versions.select_for_update().order_by("valid_from"))
        same_start = next((v for v in versions if v.valid_from == valid_from), None)
        if same_start is not None:
            started = _start(same_start.valid_from) < today or (same_start.valid_from == today and parameter.legal_force)
            if started:
                raise errors.PARAM_VERSION_IN_FORCE.error(date=valid_from.isoformat())
            before = snapshot(same_start, VERSION_FIELDS)
            same_start.value, same_start.source, same_start.note, same_start.article = raw, source, note, article
            if valid_to is not None:
                same_start.valid_to = valid_to
            check_no_overlap(versions)
            same_start.full_clean()
            same_start.save()
            changed(
                "parameter",
                actor=actor,
                obj=parameter,
                action="correct_version",
                before=before,
                after=snapshot(same_start, VERSION_FIELDS),
                code=parameter.code,
            )
            _invalidate(parameter.code)
            return same_start
        covering = next((v for v in versions if _start(v.valid_from) < valid_from <= _end(v.valid_to)), None)
        later = [v for v in versions if _start(v.valid_from) > valid_from]
        closed_before = None
        if covering is not None:
            closed_before = snapshot(covering, VERSION_FIELDS)
            if valid_to is None and covering.valid_to is not None:
                valid_to = covering.valid_to
            covering.valid_to = valid_from - timedelta(days=1)
        if valid_to is None and later:
            valid_to = _start(later[0].valid_from) - timedelta(days=1)
        new = ParameterVersion(
            parameter=parameter,
            value=raw,
            valid_from=valid_from,
            valid_to=valid_to,
            source=source,
            article=article,
            note=note,
            created_by=actor,
        )
        check_no_overlap([*versions, new])  # `covering` is in `versions`, already shortened
        if covering is not None:
            covering.save()
        new.full_clean()
        new.save()
        changed(
            "parameter",
            actor=actor,
            obj=parameter,
            action="new_version",
            before=closed_before,
            after={**(snapshot(new, VERSION_FIELDS) or {}), "closed_to": str(covering.valid_to) if covering else None},
            code=parameter.code,
        )
        _invalidate(parameter.code)
    return new


def parameter_define(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    value: str,
    valid_from: date | None = None,
    legal_force: bool = False,
    choices: list[str] | None = None,
    unit: str = "",
    category: str = "",
    description: str = "",
    source: str = "",
    grade: str = "",
    article: str = "",
) -> Parameter:
    """Create a parameter with its first version, unless the code exists (idempotent: seeds and bootstrap).

    `actor` may be None only for the bootstrap command and the demo step (system actions).
    """
    if actor is not None:
        require(actor, PERMISSION)
    with transaction.atomic():
        existing = Parameter.objects.filter(code=code).first()
        if existing is not None:
            return existing
        parameter = Parameter(
            code=code,
            name=name,
            kind=kind,
            legal_force=legal_force,
            choices=choices or [],
            unit=unit,
            category=category,
            description=description,
            grade=grade,
        )
        parameter.full_clean()
        raw = _clean_value(parameter, value)
        parameter.save()
        version = ParameterVersion.objects.create(
            parameter=parameter, value=raw, valid_from=valid_from, source=source, article=article, created_by=actor
        )
        changed(
            "parameter",
            actor=actor,
            obj=parameter,
            action="define",
            before=None,
            after={"code": code, "kind": kind, **(snapshot(version, VERSION_FIELDS) or {})},
            code=code,
        )
        _invalidate(code)
    return parameter


def parameters_define_missing(specs: Iterable[dict[str, Any]]) -> int:
    """Define each parameter of an app's catalogue whose code does not exist yet (one query finds
    them); `specs` are `parameter_define` keyword arguments. Idempotent; returns how many were created."""
    specs = list(specs)
    have = set(Parameter.objects.filter(code__in=[s["code"] for s in specs]).values_list("code", flat=True))
    missing = [s for s in specs if s["code"] not in have]
    for spec in missing:
        parameter_define(actor=None, **spec)
    return len(missing)
