"""Placeholder substitution for message templates: {name} fields only, never the Django template engine.

Only simple names are recognised (no attribute access, indexing or format specs, unlike str.format),
so a template author cannot reach into objects (no template injection). Unknown placeholders stay
visible in the text and are reported, so the preview can warn about them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]{0,40})\}")


@dataclass(frozen=True)
class Rendered:
    text: str
    missing: tuple[str, ...]
    used: tuple[str, ...]


def render_text(template: str, context: Mapping[str, Any]) -> Rendered:
    """Replace {name} with str(context[name]); leave unknown names as they are and list them."""
    missing: list[str] = []
    used: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in context and context[name] is not None:
            if name not in used:
                used.append(name)
            return str(context[name])
        if name not in missing:
            missing.append(name)
        return match.group(0)

    return Rendered(PLACEHOLDER.sub(replace, template or ""), tuple(missing), tuple(used))


def placeholders_in(template: str) -> list[str]:
    """The distinct placeholder names of `template`, in order of appearance."""
    seen: list[str] = []
    for name in PLACEHOLDER.findall(template or ""):
        if name not in seen:
            seen.append(name)
    return seen
