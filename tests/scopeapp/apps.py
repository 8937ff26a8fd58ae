"""A test-only app with one scoped business model, to prove data scope end to end (SECURITY B.21)."""

from django.apps import AppConfig


class ScopeAppConfig(AppConfig):
    name = "tests.scopeapp"
    label = "scopeapp"
    default_auto_field = "django.db.models.BigAutoField"
