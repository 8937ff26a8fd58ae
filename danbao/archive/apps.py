"""Archive (归档): the project file's document checklist, archive number, box and location; borrowing of archived
files with approval, due dates, returns and reminders.
"""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ArchiveConfig(AppConfig):
    name = "danbao.archive"
    label = "archive"
    verbose_name = pgettext_lazy("archive app", "Archive")

    def ready(self) -> None:
        # Permissions and default grants, menu, attachment owners, audit names, to-dos, jobs, demo step.
        from danbao.archive import registrations  # noqa: F401
