"""Template filters: amounts with separators and in 大写, ISO dates, permission checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

from danbao.core.money import amount_in_words, format_amount

register = template.Library()


@register.filter
def amount(value: Any) -> str:
    """{{ x|amount }} -> 1,234,567.80"""
    try:
        return format_amount(value)
    except ValueError:
        return ""


@register.filter
def daxie(value: Any) -> str:
    """{{ x|daxie }} -> 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"""
    try:
        return amount_in_words(value)
    except ValueError:
        return ""


@register.filter
def ymd(value: Any) -> str:
    """Dates as YYYY-MM-DD, datetimes as YYYY-MM-DD HH:MM in Asia/Shanghai."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


@register.filter
def can(user: Any, code: str) -> bool:
    """{% if request.user|can:"org.user.manage" %}: the same codes the services check."""
    return bool(getattr(user, "is_authenticated", False) and user.can(code))
