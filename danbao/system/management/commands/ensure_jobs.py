"""Production bootstrap: register the default periodic jobs (idempotent; keeps administrators' changes)."""

from typing import Any

from django.core.management.base import BaseCommand

from danbao.system.services.jobs import jobs_ensure


class Command(BaseCommand):
    help = "Create the default periodic Celery beat jobs that are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"periodic jobs created: {jobs_ensure()}")
