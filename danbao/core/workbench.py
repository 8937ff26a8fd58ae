"""Workbench to-do registry: each app registers a provider returning the user's open items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise

from danbao.core.registry import Registry


@dataclass(frozen=True)
class Todo:
    """One thing the user has to do, with a link to where it is done."""

    kind: str | Promise
    title: str
    url: str
    due_date: date | None = None
    urgent: bool = False


@dataclass(frozen=True)
class TodoProvider:
    key: str
    label: str | Promise
    fetch: Callable[[Any], list[Todo]]
    permission: str | None = None


providers: Registry[TodoProvider] = Registry("workbench to-do providers")


def register(provider: TodoProvider) -> None:
    providers.register(provider.key, provider)


def todos_for(user: Any) -> list[Todo]:
    """All to-dos of all providers this user may see, urgent and earliest first."""
    found: list[Todo] = []
    for provider in providers:
        if provider.permission and not user.can(provider.permission):
            continue
        found.extend(provider.fetch(user))
    return sorted(found, key=lambda t: (not t.urgent, t.due_date or date.max))


@dataclass(frozen=True)
class Widget:
    """A workbench panel (counts, unread messages, …) rendered from `template` with `context(user)`."""

    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    permission: str | None = None
    order: int = 100


widgets: Registry[Widget] = Registry("workbench widgets")


def register_widget(widget: Widget) -> None:
    widgets.register(widget.key, widget)


def widgets_for(user: Any) -> list[dict[str, Any]]:
    """The panels this user may see, each with its template and context."""
    visible = [w for w in widgets if not w.permission or user.can(w.permission)]
    return [{"template": w.template, "key": w.key, **w.context(user)} for w in sorted(visible, key=lambda w: w.order)]
