"""Periodic integrity check of stored attachments (SECURITY E.60): recompute every SHA-256, list
missing or altered files and (optionally) orphan files that have no row; exit 1 on any problem."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from danbao.core.attachments.models import Attachment
from danbao.core.events import security_event

ROOT = "attachments"


def _sha256(name: str) -> str:
    sha = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            sha.update(chunk)
    return sha.hexdigest()


def _walk(path: str) -> list[str]:
    try:
        directories, files = default_storage.listdir(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        return []
    found = [f"{path}/{name}" for name in files]
    for directory in directories:
        found += _walk(f"{path}/{directory}")
    return found


class Command(BaseCommand):
    help = "Recompute the SHA-256 of every stored attachment; list missing, altered and orphan files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orphans", action="store_true", help="Also list stored files that have no attachment row.")
        parser.add_argument(
            "--remove-orphans", action="store_true", help="Delete orphan files older than one hour (left by rolled-back uploads)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[dict[str, Any]] = []
        checked = 0
        for row in Attachment.objects.order_by("pk").iterator():
            checked += 1
            try:
                actual = _sha256(row.stored_name)
            except (FileNotFoundError, OSError):
                problems.append({"id": row.pk, "stored_name": row.stored_name, "problem": "missing"})
                self.stdout.write(f"MISSING  #{row.pk} {row.stored_name} ({row.original_name})")
                continue
            if actual != row.sha256:
                problems.append({"id": row.pk, "stored_name": row.stored_name, "problem": "hash_mismatch"})
                self.stdout.write(f"ALTERED  #{row.pk} {row.stored_name} ({row.original_name}) expected {row.sha256} got {actual}")
        orphans: list[str] = []
        if options["orphans"] or options["remove_orphans"]:
            known = set(Attachment.objects.values_list("stored_name", flat=True))
            orphans = [name for name in _walk(ROOT) if name not in known]
            cutoff = timezone.now() - timedelta(hours=1)
            for name in orphans:
                if options["remove_orphans"] and default_storage.get_modified_time(name) < cutoff:
                    default_storage.delete(name)
                    self.stdout.write(f"REMOVED  {name}")
                else:
                    self.stdout.write(f"ORPHAN   {name}")
        security_event(
            "attachment.verified",
            result="failure" if problems else "success",
            reason="problems" if problems else "",
            data={"checked": checked, "problems": problems[:100], "problem_count": len(problems), "orphans": len(orphans)},
        )
        if problems:
            raise CommandError(f"{len(problems)} of {checked} attachments failed the integrity check")
        self.stdout.write(self.style.SUCCESS(f"{checked} attachments verified, no problems"))
