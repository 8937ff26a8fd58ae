"""In-force guarantees (在保台账): bank disbursements with repayment schedules, the in-force guarantee with its risk
shares and liability, the exposure source of the regulatory figures.
"""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class LedgerConfig(AppConfig):
    name = "danbao.ledger"
    label = "ledger"
    verbose_name = pgettext_lazy("ledger app", "In-force guarantees")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, demo step.
        from danbao.ledger import registrations  # noqa: F401
