"""Demo data registry: each app registers a step; `manage.py seed_demo` runs them in order.

Every step must be idempotent (running seed_demo twice changes nothing) and may only create
accounts flagged `is_demo`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from danbao.core.registry import Registry


@dataclass(frozen=True)
class DemoStep:
    key: str
    order: int
    run: Callable[[], str]  # returns a one-line summary


steps: Registry[DemoStep] = Registry("demo data steps")


def register(step: DemoStep) -> None:
    steps.register(step.key, step)


def run_all(*, below: int | None = None) -> list[str]:
    """Run every step in order; `below` stops before the step of that order (browser tests load the
    institution without the ~350 demo projects and everything built on them, a minute or two more per test)."""
    chosen = [step for step in sorted(steps, key=lambda s: s.order) if below is None or step.order < below]
    return [f"{step.key}: {step.run()}" for step in chosen]
