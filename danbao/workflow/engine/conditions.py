"""A safe condition language over DECLARED fields: JSON data, never eval.

    {"field": "amount", "op": ">=", "value": "5000000"}
    {"and": [cond, cond]}  {"or": [cond, cond]}  {"not": cond}

Field types: decimal, int, date, str, bool. Values are coerced to the declared type on both sides
(Decimal from its string, dates from ISO text). A missing or unparsable object value makes the
comparison false (and `not` of it true), so an absent amount never silently takes the "large" branch.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

FIELD_TYPES = ("decimal", "int", "date", "str", "bool")
COMPARISONS = ("==", "!=", ">", ">=", "<", "<=", "in", "not in")
ORDERED = (">", ">=", "<", "<=")


class ConditionError(ValueError):
    """The condition is malformed or uses an undeclared field (caught at publish time)."""


def coerce(value: Any, kind: str) -> Any:
    """`value` as the declared type; raises ValueError when it cannot be read."""
    if value is None:
        raise ValueError("missing value")
    if kind == "decimal":
        if isinstance(value, float):
            raise ValueError("floats are not accepted for money: give a string or Decimal")
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal: {value!r}") from exc
    if kind == "int":
        if isinstance(value, bool):
            raise ValueError("not an integer")
        return int(str(value))
    if kind == "date":
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value))
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes"):
            return True
        if str(value).lower() in ("false", "0", "no"):
            return False
        raise ValueError(f"not a boolean: {value!r}")
    if kind == "str":
        return str(value)
    raise ValueError(f"unknown field type {kind!r}")


def validate(cond: Any, fields: Mapping[str, str]) -> list[str]:
    """Problems with `cond` given the declared `fields` (name -> type); [] when it is usable."""
    problems: list[str] = []
    _check(cond, fields, problems)
    return problems


def _check(cond: Any, fields: Mapping[str, str], problems: list[str]) -> None:
    if not isinstance(cond, dict) or len(cond) == 0:
        problems.append(_("a condition must be a non-empty object"))
        return
    if "and" in cond or "or" in cond:
        key = "and" if "and" in cond else "or"
        parts = cond[key]
        if len(cond) != 1 or not isinstance(parts, list) or not parts:
            problems.append(_("“%(key)s” needs a non-empty list and nothing else") % {"key": key})
            return
        for part in parts:
            _check(part, fields, problems)
        return
    if "not" in cond:
        if len(cond) != 1:
            problems.append(_("“not” takes one condition and nothing else"))
            return
        _check(cond["not"], fields, problems)
        return
    if set(cond) != {"field", "op", "value"}:
        problems.append(_("a comparison has exactly the keys field, op and value"))
        return
    name, op, value = cond["field"], cond["op"], cond["value"]
    if name not in fields:
        problems.append(_("field “%(name)s” is not declared") % {"name": name})
        return
    kind = fields[name]
    if op not in COMPARISONS:
        problems.append(_("operator “%(op)s” is not allowed") % {"op": op})
        return
    if op in ORDERED and kind in ("str", "bool"):
        problems.append(_("operator “%(op)s” does not apply to a %(kind)s field") % {"op": op, "kind": kind})
        return
    values = value if op in ("in", "not in") else [value]
    if op in ("in", "not in") and (not isinstance(value, list) or not value):
        problems.append(_("operator “%(op)s” needs a non-empty list") % {"op": op})
        return
    for v in values:
        try:
            coerce(v, kind)
        except (ValueError, TypeError):
            problems.append(_("value “%(value)s” is not a valid %(kind)s for field “%(name)s”") % {"value": v, "kind": kind, "name": name})


def evaluate(cond: Mapping[str, Any], fields: Mapping[str, str], values: Mapping[str, Any]) -> bool:
    """True when `values` (the business object's declared fields) satisfy `cond`.

    Raises ConditionError for a malformed condition (publish validation prevents that).
    """
    if "and" in cond:
        return all(evaluate(part, fields, values) for part in cond["and"])
    if "or" in cond:
        return any(evaluate(part, fields, values) for part in cond["or"])
    if "not" in cond:
        return not evaluate(cond["not"], fields, values)
    try:
        name, op, expected = cond["field"], cond["op"], cond["value"]
        kind = fields[name]
    except (KeyError, TypeError) as exc:
        raise ConditionError(f"malformed condition {cond!r}") from exc
    try:
        actual = coerce(values.get(name), kind)
    except (ValueError, TypeError):
        return False
    try:
        if op in ("in", "not in"):
            found = actual in [coerce(v, kind) for v in expected]
            return found if op == "in" else not found
        other = coerce(expected, kind)
    except (ValueError, TypeError) as exc:
        raise ConditionError(f"bad value in {cond!r}") from exc
    if op == "==":
        return bool(actual == other)
    if op == "!=":
        return bool(actual != other)
    if op == ">":
        return bool(actual > other)
    if op == ">=":
        return bool(actual >= other)
    if op == "<":
        return bool(actual < other)
    if op == "<=":
        return bool(actual <= other)
    raise ConditionError(f"operator {op!r} is not allowed")
