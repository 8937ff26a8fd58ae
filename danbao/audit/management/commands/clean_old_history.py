"""Replaces django-simple-history's `clean_old_history`: Danbao never deletes history (SECURITY C.39).

danbao.audit is listed before simple_history in INSTALLED_APPS, so Django runs this command instead.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

REFUSAL = (
    "Refused: audit events and change history are never deleted by the application "
    "(security events are kept at least 180 days, business history for the life of the record plus "
    "the archive period; see docs/audit.md). Archive the database instead."
)


class RefusingCommand(BaseCommand):
    help = "Disabled: Danbao keeps all audit events and change history (see docs/audit.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        # Accept whatever the original command accepted so the refusal, not a usage error, is shown.
        parser.add_argument("args", nargs="*")
        parser.add_argument("--auto", action="store_true")
        parser.add_argument("--days", type=int)
        parser.add_argument("-m", "--minutes", type=int)
        parser.add_argument("--excluded_fields", nargs="*")
        parser.add_argument("--base-manager", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(REFUSAL)


class Command(RefusingCommand):
    pass
