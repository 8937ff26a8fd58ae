"""Release (解保): the bank's repayment notice releases the guarantee, its letter and credit line; then the
securities are released (deregistration, return of title documents, margin refunds) as tasks.
"""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ReleaseConfig(AppConfig):
    name = "danbao.release"
    label = "release"
    verbose_name = pgettext_lazy("release app", "Release")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, jobs, demo step.
        from danbao.release import registrations  # noqa: F401
