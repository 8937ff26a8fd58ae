"""In-app messages (message centre), message templates and delivery channels (e-mail, SMS, WeCom).

Other apps send through `services.notify(kind=...)` after registering their kinds in `registry`.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "danbao.notifications"
    label = "notifications"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from danbao.core import demo, events, menu, workbench
        from danbao.core.menu import MenuItem
        from danbao.notifications import bridges, registry, widgets
        from danbao.notifications import demo as notifications_demo

        for kind in registry.PLATFORM_KINDS:
            if kind.code not in registry.kinds:
                registry.register_kind(kind)
        menu.register_item(
            MenuItem(
                "notifications.compose", "system", _("Send message"), "notifications:compose", "system.message.broadcast", 70, "ti-send"
            )
        )
        menu.register_item(
            MenuItem(
                "notifications.templates",
                "system",
                _("Message templates"),
                "notifications:template-list",
                "system.template.manage",
                75,
                "ti-template",
            )
        )
        workbench.register_widget(
            workbench.Widget("notifications.unread", "notifications/widgets/unread.html", widgets.unread_context, order=10)
        )
        demo.register(demo.DemoStep("notifications", 30, notifications_demo.seed))
        events.register_writer(bridges.on_security_event)
