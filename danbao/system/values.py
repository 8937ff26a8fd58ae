"""Typed parameter values: parse what an administrator typed, store a canonical text, read it back."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


class ValueInvalid(ValueError):
    """The typed value does not fit the parameter's type; the message is shown to the user."""


_TRUE = {"true", "1", "yes", "y", "on", "是", "真"}
_FALSE = {"false", "0", "no", "n", "off", "否", "假"}


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise ValueInvalid(_("enter a number such as 0.75")) from exc
    if not value.is_finite():
        raise ValueInvalid(_("enter a number such as 0.75"))
    return value


def canonical(kind: str, text: str, choices: list[str] | None = None) -> str:
    """The stored form of `text` for a parameter of `kind`; raises ValueInvalid with a clear reason.

    Percentages are typed in percent ("1.5" means 1.5 %) and stored as a fraction ("0.015").
    """
    text = (text or "").strip()
    if kind != "string" and not text:
        raise ValueInvalid(_("a value is required"))
    if kind == "int":
        try:
            return str(int(text.replace(",", "")))
        except ValueError as exc:
            raise ValueInvalid(_("enter a whole number")) from exc
    if kind == "decimal":
        return format(_decimal(text).normalize(), "f")
    if kind == "percent":
        value = _decimal(text.rstrip("%").strip()) / 100
        if value < 0 or value > 10:
            raise ValueInvalid(_("enter a percentage between 0 and 1000"))
        return format(value.normalize(), "f")
    if kind == "bool":
        lowered = text.lower()
        if lowered in _TRUE:
            return "true"
        if lowered in _FALSE:
            return "false"
        raise ValueInvalid(_("enter yes or no"))
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ValueInvalid(_("enter a date as YYYY-MM-DD")) from exc
    if kind == "json":
        try:
            return json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True)
        except ValueError as exc:
            raise ValueInvalid(_("enter valid JSON, for example [100000, 3000000]")) from exc
    if kind == "choice":
        allowed = [str(c) for c in (choices or [])]
        if text not in allowed:
            raise ValueInvalid(_("choose one of: %(choices)s") % {"choices": ", ".join(allowed)})
        return text
    return text


def to_python(kind: str, raw: str) -> Any:
    """The stored text as the Python value callers use (Decimal for decimals and rates)."""
    if kind == "int":
        return int(raw)
    if kind in ("decimal", "percent"):
        return Decimal(raw)
    if kind == "bool":
        return raw == "true"
    if kind == "date":
        return date.fromisoformat(raw)
    if kind == "json":
        return json.loads(raw)
    return raw


def display(kind: str, raw: str) -> str:
    """How a stored value is shown (percentages as percent)."""
    if kind == "percent":
        percent = (Decimal(raw) * 100).normalize()
        return f"{format(percent, 'f')}%"
    if kind == "bool":
        return _("Yes") if raw == "true" else _("No")
    if kind == "int":
        return f"{int(raw):,}"
    return raw


def editable(kind: str, raw: str) -> str:
    """The stored value as typed into the edit form (the inverse of `canonical`)."""
    if kind == "percent":
        return format((Decimal(raw) * 100).normalize(), "f")
    return raw
