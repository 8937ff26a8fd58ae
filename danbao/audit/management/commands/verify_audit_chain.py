"""`manage.py verify_audit_chain`: recompute the audit hash chain; non-zero exit on any broken record."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from danbao.audit.chain import chain_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit event log and report every broken record."

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify()
        if report.ok:
            self.stdout.write(f"OK: {report.count} events verified")
            return
        for item in report.breaks:
            self.stdout.write(f"BROKEN: {item}")
        if report.head_problem:
            self.stdout.write(f"BROKEN: {report.head_problem}")
        total = len(report.breaks) + (1 if report.head_problem else 0)
        raise CommandError(f"audit chain broken: {total} problem(s) in {report.count} events")
