"""Load the demo institution (idempotent). Refuses to run unless demo mode is on."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from danbao.core import demo


class Command(BaseCommand):
    help = "Load demo data: departments, about 20 users for every role, dictionaries and parameters."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="run even when DANBAO_DEMO is off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DANBAO["DEMO"] and not options["force"]:
            raise CommandError("Demo data is only loaded with DANBAO_DEMO=1 (or DEBUG=1); never in production.")
        with transaction.atomic():
            for line in demo.run_all():
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
