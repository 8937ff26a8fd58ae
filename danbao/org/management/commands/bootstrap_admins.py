"""`manage.py bootstrap_admins`: the three administrator accounts of a production installation.

Each account is bound to a real person (login, real name, employee number, mobile); its one-time
password is printed once and must be changed at first sign-in. Refuses reserved names and a second
holder of an administrator role; the built-in roles are created first.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from danbao.core.errors import DomainError
from danbao.org.roles import ensure_builtin_roles
from danbao.org.services.users import admin_account_bootstrap

KINDS = (("sysadmin", "sysadmin"), ("secadmin", "secadmin"), ("auditadmin", "auditadmin"))


def parse_person(value: str) -> dict[str, str]:
    parts = [part.strip() for part in value.split(":")]
    if len(parts) != 4 or not all(parts):
        raise CommandError(f"expected LOGIN:REALNAME:EMPLOYEE_NO:MOBILE, got {value!r}")
    return dict(zip(("username", "real_name", "employee_no", "mobile"), parts, strict=True))


class Command(BaseCommand):
    help = "Create the system, security and audit administrator accounts (one-time passwords printed once)."

    def add_arguments(self, parser: CommandParser) -> None:
        for option, _role in KINDS:
            parser.add_argument(f"--{option}", metavar="LOGIN:REALNAME:EMPLOYEE_NO:MOBILE", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        people = {role: parse_person(options[option]) for option, role in KINDS}
        logins = [person["username"].lower() for person in people.values()]
        if len(set(logins)) != len(logins):
            raise CommandError("the three administrators must be three different accounts (separation of duties)")
        created = []
        try:
            with transaction.atomic():
                roles = ensure_builtin_roles()
                for role_code, person in people.items():
                    user, password = admin_account_bootstrap(role=roles[role_code], **person)
                    created.append((roles[role_code].name, user.username, password))
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None
        self.stdout.write("Administrator accounts created. Each password is shown only now and must be changed at first sign-in:")
        for role_name, username, password in created:
            self.stdout.write(f"  {role_name}\t{username}\t{password}")
