"""Numbering rules (编号规则) and the gap-free number generator used by business services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from danbao.system import errors
from danbao.system.models import NumberCounter, NumberingRule
from danbao.system.services.common import changed, require, snapshot

PERMISSION = "system.numbering.manage"
RULE_FIELDS = ["code", "name", "prefix", "date_pattern", "separator", "sequence_width", "reset", "is_active"]


def period_key(rule: NumberingRule, on: date) -> str:
    if rule.reset == NumberingRule.Reset.YEARLY:
        return f"{on.year:04d}"
    if rule.reset == NumberingRule.Reset.MONTHLY:
        return f"{on.year:04d}{on.month:02d}"
    return ""


def format_number(rule: NumberingRule, on: date, sequence: int) -> str:
    """prefix + date part + separator + zero-padded sequence, e.g. DB2026-0001."""
    date_part = (
        rule.date_pattern.replace("{YYYY}", f"{on.year:04d}")
        .replace("{YY}", f"{on.year % 100:02d}")
        .replace("{MM}", f"{on.month:02d}")
        .replace("{DD}", f"{on.day:02d}")
    )
    return f"{rule.prefix}{date_part}{rule.separator}{sequence:0{rule.sequence_width}d}"


def _locked_counter(rule: NumberingRule, period: str) -> NumberCounter:
    """The counter row of (rule, period), locked until the caller's transaction ends.

    The first number of a period creates the row; two racing creators meet on the unique
    constraint, and the loser (inside a savepoint) falls back to locking the winner's row.
    """
    try:
        return NumberCounter.objects.select_for_update().get(rule=rule, period=period)
    except NumberCounter.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            NumberCounter.objects.create(rule=rule, period=period, last_value=0)
    except IntegrityError:
        pass
    return NumberCounter.objects.select_for_update().get(rule=rule, period=period)


def number_next(rule_code: str, on: date | None = None) -> str:
    """The next number of rule `rule_code` for date `on` (today when None); gap-free.

    Call it inside the business transaction that stores the number: the counter row stays locked
    until that transaction ends, so a rollback gives the number back and concurrent callers wait.
    Not an entry service: the calling business service has already checked its permission.
    """
    on = on or timezone.localdate()
    rule = NumberingRule.objects.filter(code=rule_code, is_active=True).first()
    if rule is None:
        raise errors.NUMBERING_UNKNOWN.error(key=rule_code)
    with transaction.atomic():
        counter = _locked_counter(rule, period_key(rule, on))
        counter.last_value += 1
        counter.save(update_fields=["last_value", "updated_at"])
    return format_number(rule, on, counter.last_value)


def number_preview(rule: NumberingRule, on: date | None = None) -> str:
    """The number the next call would hand out (no lock: for display only)."""
    on = on or timezone.localdate()
    last = NumberCounter.objects.filter(rule=rule, period=period_key(rule, on)).values_list("last_value", flat=True).first() or 0
    return format_number(rule, on, last + 1)


def _validate(fields: dict[str, Any]) -> None:
    width = fields.get("sequence_width") or 0
    if not 2 <= width <= 10:
        raise errors.NUMBERING_WIDTH_INVALID.error()
    pattern = fields.get("date_pattern", "")
    reset = fields.get("reset")
    if reset == NumberingRule.Reset.YEARLY and "{YY" not in pattern:
        raise errors.NUMBERING_RESET_NEEDS_DATE.error(reset=NumberingRule.Reset.YEARLY.label, part="{YYYY}")
    if reset == NumberingRule.Reset.MONTHLY and "{MM}" not in pattern:
        raise errors.NUMBERING_RESET_NEEDS_DATE.error(reset=NumberingRule.Reset.MONTHLY.label, part="{MM}")


def numbering_rule_create(*, actor: Any, **fields: Any) -> NumberingRule:
    """Add a numbering rule."""
    if actor is not None:  # None: bootstrap and demo data only
        require(actor, PERMISSION)
    _validate(fields)
    with transaction.atomic():
        if NumberingRule.objects.filter(code=fields["code"]).exists():
            raise errors.NUMBERING_CODE_EXISTS.error(key=fields["code"])
        rule = NumberingRule(**fields)
        rule.full_clean()
        rule.save()
        changed("numbering", actor=actor, obj=rule, action="create", before=None, after=snapshot(rule, RULE_FIELDS))
    return rule


def numbering_rule_update(*, actor: Any, rule: NumberingRule, **fields: Any) -> NumberingRule:
    """Change a rule's format; numbers already issued keep theirs, the counter continues."""
    require(actor, PERMISSION)
    fields.pop("code", None)  # the code is how business services name the rule
    with transaction.atomic():
        rule = NumberingRule.objects.select_for_update().get(pk=rule.pk)
        before = snapshot(rule, RULE_FIELDS)
        for name, value in fields.items():
            setattr(rule, name, value)
        _validate(snapshot(rule, RULE_FIELDS) or {})
        rule.full_clean()
        rule.save()
        changed("numbering", actor=actor, obj=rule, action="update", before=before, after=snapshot(rule, RULE_FIELDS))
    return rule
