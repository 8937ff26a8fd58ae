"""Production bootstrap: the review committee's parameters and meeting numbering rule (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from danbao.review.setup import ensure_setup


class Command(BaseCommand):
    help = "Create the missing review committee parameters and the meeting numbering rule."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"review setup rows created: {ensure_setup()}")
