"""Replaces django-simple-history's `clean_duplicate_history`: history is never deleted (SECURITY C.39)."""

from danbao.audit.management.commands.clean_old_history import RefusingCommand


class Command(RefusingCommand):
    pass
