"""Pre-guarantee due diligence (保前尽调): structured report, materials checklist, site visits, A/B sign-off, report PDF."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DiligenceConfig(AppConfig):
    name = "danbao.diligence"
    label = "diligence"
    verbose_name = pgettext_lazy("diligence app", "Due diligence")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, demo step.
        from danbao.diligence import registrations  # noqa: F401
