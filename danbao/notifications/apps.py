"""In-app messages (message centre), reminders and delivery channels."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "danbao.notifications"
    label = "notifications"
    verbose_name = _("Messages")
