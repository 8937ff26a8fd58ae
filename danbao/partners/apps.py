"""Partner banks and agreements, re-guarantors, national fund, government risk pools, referral channels (渠道管理)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "danbao.partners"
    label = "partners"
    verbose_name = _("Partners and channels")

    def ready(self) -> None:
        # Permissions, default grants, menu, message kind, attachment owners, demo step.
        from danbao.partners import registrations  # noqa: F401
