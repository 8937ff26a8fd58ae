"""Production bootstrap: create the missing system parameters, dictionaries and numbering rules.

Idempotent: existing rows (and every administrator's change) are left as they are.
"""

from typing import Any

from django.core.management.base import BaseCommand

from danbao.system import seeds


class Command(BaseCommand):
    help = "Create missing default system parameters (regulation.md §10 and every app's catalogue), dictionaries and numbering rules."

    def handle(self, *args: Any, **options: Any) -> None:
        params = seeds.ensure_parameters() + seeds.ensure_app_parameters()
        dicts = seeds.ensure_dictionaries()
        rules = seeds.ensure_numbering_rules()
        self.stdout.write(f"parameters created: {params}; dictionary rows created: {dicts}; numbering rules created: {rules}")
