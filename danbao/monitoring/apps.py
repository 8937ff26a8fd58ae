"""Post-guarantee monitoring (保后检查): monitoring plans generated at disbursement, inspection tasks with working-
day due dates, reminders and escalation, inspection reports from a phone, batch inspections, risk events.
"""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MonitoringConfig(AppConfig):
    name = "danbao.monitoring"
    label = "monitoring"
    verbose_name = pgettext_lazy("monitoring app", "Post-guarantee monitoring")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, jobs, demo step.
        from danbao.monitoring import registrations  # noqa: F401
