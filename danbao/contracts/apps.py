"""Contracts (合同管理): templates with versions and placeholders, contracts generated per project as PDF/DOCX,
signing, signed scans, void.
"""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ContractsConfig(AppConfig):
    name = "danbao.contracts"
    label = "contracts"
    verbose_name = pgettext_lazy("contracts app", "Contracts")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, demo step.
        from danbao.contracts import registrations  # noqa: F401
