"""Business rules (业务规则管理): catalogue, dated parameters, evaluation with stored explanations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "danbao.rules"
    label = "rules"
    verbose_name = _("Business rules")
