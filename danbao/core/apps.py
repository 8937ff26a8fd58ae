"""Shared kernel: errors, registries (menu, workbench), middleware, list pages, calendar, money."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "danbao.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from danbao.core import menu

        menu.register_groups()
        menu.register_item(menu.MenuItem("core.workbench", "workbench", _("Workbench"), "core:workbench", None, 0, "ti-layout-dashboard"))
