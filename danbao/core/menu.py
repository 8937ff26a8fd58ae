"""The left menu: groups are fixed here, items are registered by the apps that own the pages.

An item shows when the user holds its permission code; a group with no visible item is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from danbao.core.registry import Registry


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str | Promise
    icon: str
    order: int


@dataclass(frozen=True)
class MenuItem:
    key: str
    group: str
    label: str | Promise
    url_name: str
    permission: str | None
    order: int = 100
    icon: str = ""


@dataclass
class VisibleGroup:
    group: MenuGroup
    items: list[dict[str, Any]] = field(default_factory=list)


groups: Registry[MenuGroup] = Registry("menu groups")
items: Registry[MenuItem] = Registry("menu items")


def register_groups() -> None:
    """The product's menu groups, in the order users know them."""
    if len(groups):
        return
    for key, label, icon, order in [
        ("workbench", _("Workbench"), "ti-layout-dashboard", 10),
        ("customers", _("Customers"), "ti-users", 20),
        ("projects", _("Projects"), "ti-briefcase", 30),
        ("aftercare", _("Post-guarantee"), "ti-shield-check", 40),
        ("compensation", _("Compensation & recovery"), "ti-cash", 50),
        ("finance", _("Finance"), "ti-coin-yuan", 60),
        ("reports", _("Reports"), "ti-chart-bar", 70),
        ("system", _("System management"), "ti-settings", 80),
    ]:
        groups.register(key, MenuGroup(key, label, icon, order))


def register_item(item: MenuItem) -> None:
    items.register(item.key, item)


def menu_for(user: Any, current_path: str = "") -> list[VisibleGroup]:
    """The groups and items this user may see, with the active item marked."""
    visible: dict[str, VisibleGroup] = {}
    for item in sorted(items, key=lambda i: i.order):
        if item.permission and not user.can(item.permission):
            continue
        url = reverse(item.url_name)
        entry = visible.setdefault(item.group, VisibleGroup(groups.get(item.group)))
        active = current_path == url or (url != "/" and current_path.startswith(url))
        entry.items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return sorted(visible.values(), key=lambda g: g.group.order)
