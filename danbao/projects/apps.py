"""Guarantee projects (项目库) and the pre-guarantee process: intake, due diligence, risk review, approval, approval letter, changes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "danbao.projects"
    label = "projects"
    verbose_name = _("Projects")
