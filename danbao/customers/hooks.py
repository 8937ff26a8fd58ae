"""Hooks run after a customer is created or changed (inside the saving transaction).

The screening part appends its check here: ``after_customer_saved.append(fn)`` with
``fn(customer, actor)``; a hook that raises rolls the save back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

after_customer_saved: list[Callable[[Any, Any], None]] = []


def run_after_saved(customer: Any, actor: Any) -> None:
    for hook in list(after_customer_saved):
        hook(customer, actor)
