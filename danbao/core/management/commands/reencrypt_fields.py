"""Key rotation: rewrite every encrypted column under the active key and recompute blind indexes.

Run after putting a new key first in FIELD_ENCRYPTION_KEYS (keep the old keys listed until this has
run). Rows are read raw (no decryption into model instances), each value is decrypted with its own
key id and encrypted again; the run is one transaction per table and writes one audit event.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from danbao.core import crypto
from danbao.core.events import security_event


class Command(BaseCommand):
    help = "Re-encrypt encrypted columns under the active key and recompute blind indexes."

    def handle(self, *args: Any, **options: Any) -> None:
        totals: dict[str, int] = {}
        for model in apps.get_models():
            columns, indexes = crypto.encrypted_fields(model)
            if not columns:
                continue
            index_sources = {index.column: model._meta.get_field(index.source).column for index in indexes}
            with transaction.atomic():
                changed = crypto.rewrite_columns(connection, model._meta.db_table, model._meta.pk.column, columns, index_sources)
            totals[model._meta.label] = changed
        security_event("system.keys_rotated", data={"rows": totals})
        for label, count in totals.items():
            self.stdout.write(f"{label}: {count}")
