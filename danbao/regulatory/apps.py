"""Regulatory metrics (监管指标): liability balance, leverage, concentration, compensation and loss rates, finance inputs, what-if."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulatoryConfig(AppConfig):
    name = "danbao.regulatory"
    label = "regulatory"
    verbose_name = _("Regulatory metrics")

    def ready(self) -> None:
        # Permissions, default grants, menu items, audit labels and the demo step.
        from danbao.regulatory import registrations  # noqa: F401
