"""Create the catalogue row of every registered rule check that has none (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create missing business-rule catalogue rows from the registered checks (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        from danbao.rules.services import rules_ensure

        created = rules_ensure()
        self.stdout.write(f"{created} rules created")
