"""Print the demo logins (used by `make run`)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "List the demo accounts and their roles."

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects.filter(is_demo=True, is_active=True).prefetch_related("roles").order_by("username")
        self.stdout.write("\nDemo logins (password for all: Demo#2026) — http://127.0.0.1:8000\n")
        for user in users:
            roles = ", ".join(role.name for role in user.roles.all())
            self.stdout.write(f"  {user.username:<12} {user.real_name:<6} {roles}")
        self.stdout.write("")
