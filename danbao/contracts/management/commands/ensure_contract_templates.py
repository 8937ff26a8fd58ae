"""Create the built-in contract templates, the contract numbering rules and the contract parameters
when missing (idempotent; safe on every deploy)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from danbao.contracts.services import ensure_contract_templates


class Command(BaseCommand):
    help = "Create the built-in contract templates, numbering rules and parameters when missing (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = ensure_contract_templates()
        self.stdout.write(f"contract templates created: {created}")
