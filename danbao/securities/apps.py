"""Counter-guarantees and collateral (反担保措施 / 抵质押物): measures from the approval, collateral with appraisals,
registration, insurance, custody, allocation and coverage.
"""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SecuritiesConfig(AppConfig):
    name = "danbao.securities"
    label = "securities"
    verbose_name = pgettext_lazy("securities app", "Counter-guarantees and collateral")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, demo step.
        from danbao.securities import registrations  # noqa: F401
