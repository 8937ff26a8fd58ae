"""Demo hooks: apps above projects write what a demo project must have at a step of its history, so
the projects demo moves every project through the same checks a person meets (STYLE "Registries").

The diligence app registers one: a draft report when due diligence starts, and a report signed by the
A-role and confirmed by the B-role (materials waived, a site visit) just before the project goes to
risk review — `REVIEW_SUBMIT_CHECKS` then lets it through honestly. Hooks run inside `seed_demo`'s
transaction under the demo clock (`timezone.now()` is the project's simulated moment).

    from danbao.projects import demo_hooks
    demo_hooks.register(demo_hooks.DemoHook("diligence", diligence_started=..., before_review=...))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from danbao.core.registry import Registry

Hook = Callable[[Any], None]  # hook(project) -> None


@dataclass(frozen=True)
class DemoHook:
    key: str
    diligence_started: Hook | None = None  # the project has just entered 尽调中
    before_review: Hook | None = None  # the project is about to be handed to risk review


hooks: Registry[DemoHook] = Registry("projects demo hooks")


def register(hook: DemoHook, *, replace: bool = False) -> None:
    hooks.register(hook.key, hook, replace=replace)


def run(moment: str, project: Any) -> None:
    """Call every registered hook for `moment` ("diligence_started" or "before_review")."""
    for hook in hooks:
        call = getattr(hook, moment)
        if call is not None:
            call(project)
