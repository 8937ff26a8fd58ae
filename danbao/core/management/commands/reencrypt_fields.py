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
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            quoted = [connection.ops.quote_name(c) for c in columns]
            changed = 0
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {', '.join(quoted)} FROM {table}")  # noqa: S608 - names from the model
                for row in cursor.fetchall():
                    values = dict(zip(columns, row[1:], strict=True))
                    plain = {c: crypto.decrypt(v) if v else v for c, v in values.items()}
                    new = {c: crypto.encrypt(p) if p else p for c, p in plain.items()}
                    for index in indexes:
                        source = model._meta.get_field(index.source)
                        text = plain.get(source.column, "")
                        new[index.column] = crypto.blind_index(text) if text else ""
                    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in new)
                    with connection.cursor() as update:
                        update.execute(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [*new.values(), row[0]])  # noqa: S608
                    changed += 1
            totals[model._meta.label] = changed
        security_event("system.keys_rotated", data={"rows": totals})
        for label, count in totals.items():
            self.stdout.write(f"{label}: {count}")
