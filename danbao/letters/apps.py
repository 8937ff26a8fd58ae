"""Guarantee letters (保函 / 担保意向书): the pre-issue checklist, numbered letters as PDF with a QR code, the public verification page."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class LettersConfig(AppConfig):
    name = "danbao.letters"
    label = "letters"
    verbose_name = pgettext_lazy("letters app", "Guarantee letters")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, demo step.
        from danbao.letters import registrations  # noqa: F401
