"""Audit: the append-only, hash-chained security event log; field history comes from simple-history."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "danbao.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from danbao.audit.services import event_record
        from danbao.core import events, menu
        from danbao.core.menu import MenuItem

        events.register_writer(event_record)
        menu.register_item(MenuItem("audit.events", "system", _("Audit log"), "audit:event-list", "audit.log.view", 70, "ti-report-search"))
        menu.register_item(MenuItem("audit.logins", "system", _("Login log"), "audit:login-list", "audit.log.view", 71, "ti-login"))
        menu.register_item(
            MenuItem("audit.history", "system", _("Change history"), "audit:history-list", "audit.log.view", 72, "ti-history")
        )
