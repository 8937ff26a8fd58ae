"""Dossier sections: apps above projects (due diligence, later contracts …) add a read-only section
to the project dossier page without projects importing them (STYLE "Registries").

    from danbao.projects import dossier
    dossier.register(dossier.DossierSection("diligence", "diligence/_dossier_section.html",
                                            lambda user, project: selectors.dossier_section(user, project), 20))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from danbao.core.registry import Registry


@dataclass(frozen=True)
class DossierSection:
    key: str
    template: str
    context: Callable[[Any, Any], dict[str, Any]]  # (user, project) -> template context
    order: int = 100


sections: Registry[DossierSection] = Registry("project dossier sections")


def register(section: DossierSection, *, replace: bool = False) -> None:
    sections.register(section.key, section, replace=replace)


def rendered(request: Any, project: Any) -> list[str]:
    """Each registered section rendered for this user and project, in order."""
    out = []
    for section in sorted(sections, key=lambda s: s.order):
        context = {"project": project, **section.context(request.user, project)}
        out.append(render_to_string(section.template, context, request=request))
    return out
