"""Tabs of the customer 360 page: each part registers a tab (label, template, context function)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from danbao.core.registry import Registry


@dataclass(frozen=True)
class CustomerTab:
    key: str
    label: str | Promise
    template: str
    context: Callable[[Any, Any], dict[str, Any]]  # (customer, user) -> template context
    order: int = 100
    permission: str | None = None


tabs: Registry[CustomerTab] = Registry("customer 360 tabs")


def register(tab: CustomerTab) -> None:
    tabs.register(tab.key, tab)


def tabs_for(customer: Any, user: Any) -> list[dict[str, Any]]:
    """The tabs this user may see on this customer's page, each with its rendered context."""
    visible = [t for t in tabs if not t.permission or user.can(t.permission)]
    return [
        {"key": t.key, "label": t.label, "template": t.template, **t.context(customer, user)}
        for t in sorted(visible, key=lambda t: t.order)
    ]
