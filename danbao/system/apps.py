"""System management: dictionaries, dated parameters, numbering, holiday calendar, templates, jobs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemConfig(AppConfig):
    name = "danbao.system"
    label = "system"
    verbose_name = _("System management")

    def ready(self) -> None:
        from danbao.core import calendar, demo, menu
        from danbao.core.menu import MenuItem
        from danbao.system import demo as system_demo
        from danbao.system import tasks  # noqa: F401  - registers the Celery tasks
        from danbao.system.selectors import calendar_table

        calendar.register_day_source(calendar_table)
        demo.register(demo.DemoStep("system", 20, system_demo.seed))
        for item in (
            MenuItem("system.overview", "system", _("System overview"), "system:overview", "system.param.manage", 60, "ti-adjustments"),
            MenuItem("system.dicts", "system", _("Dictionaries"), "system:dict-list", "system.dict.manage", 62, "ti-book"),
            MenuItem("system.params", "system", _("System parameters"), "system:param-list", "system.param.manage", 64, "ti-settings-2"),
            MenuItem(
                "system.numbering", "system", _("Numbering rules"), "system:numbering-list", "system.numbering.manage", 66, "ti-number"
            ),
            MenuItem("system.calendar", "system", _("Holiday calendar"), "system:calendar", "system.calendar.manage", 68, "ti-calendar"),
            MenuItem("system.jobs", "system", _("Scheduled jobs"), "system:job-list", "system.job.manage", 70, "ti-clock-play"),
        ):
            menu.register_item(item)
