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


def run_all() -> list[str]:
    return [f"{step.key}: {step.run()}" for step in sorted(steps, key=lambda s: s.order)]
