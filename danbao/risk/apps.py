"""Early warning and five-level classification (风险预警 / 五级分类): nightly signals with levels, reason codes and a
handling flow; the nightly class suggestion, confirmation with maker-checker, history and distribution.
"""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RiskConfig(AppConfig):
    name = "danbao.risk"
    label = "risk"
    verbose_name = pgettext_lazy("risk app", "Risk warning and classification")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, jobs, demo step.
        from danbao.risk import registrations  # noqa: F401
