"""Finance (财务): fee schedules, receivables and receipts, margin deposits, deferrals, fee notices; later
compensation payouts, recoveries, reserves and vouchers.
"""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class FinanceConfig(AppConfig):
    name = "danbao.finance"
    label = "finance"
    verbose_name = pgettext_lazy("finance app", "Finance")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, demo step.
        from danbao.finance import registrations  # noqa: F401
