"""Guarantee projects (项目库) and the pre-guarantee process: intake, due diligence, risk review, approval, approval letter, changes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "danbao.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # Permissions, default grants, menu, flow types, documents, audit names, to-dos and demo steps.
        from danbao.projects import registrations  # noqa: F401
