"""System management: dictionaries, dated parameters, numbering, holiday calendar, templates, jobs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemConfig(AppConfig):
    name = "danbao.system"
    label = "system"
    verbose_name = _("System management")
