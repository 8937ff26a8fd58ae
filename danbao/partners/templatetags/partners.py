"""Partner template helpers: the credit-line usage bar and a dict lookup for list rows."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

COLOURS = {"green": "bg-green", "amber": "bg-yellow", "red": "bg-red"}


@register.inclusion_tag("partners/components/usage_bar.html")
def usage_bar(usage: Any, size: str = "") -> dict[str, Any]:
    """{% usage_bar usage %}: a coloured bar (green / amber / red from the dated thresholds) with figures."""
    return {"usage": usage, "colour": COLOURS.get(getattr(usage, "level", ""), "bg-secondary"), "size": size}


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """{{ usages|lookup:row.object.pk }}"""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
