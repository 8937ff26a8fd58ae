"""Messages: one Message per send, one MessageRecipient row per person (read/archived/delivery state).

Unread counts are one indexed COUNT over MessageRecipient(user, read_at). Messages are never deleted:
a recipient archives them.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danbao.core.history import audited_history

# A path inside this site: "/x…", never "//host" (scheme-relative) or "/\host" (browsers treat \ as /).
_RELATIVE_LINK = re.compile(r"^/(?![/\\])[^\s\\]*\Z")


def is_relative_link(link: str) -> bool:
    """True for "" or a path on this site; False for absolute, scheme-relative and javascript: URLs."""
    return link == "" or bool(_RELATIVE_LINK.match(link)) and not any(ord(ch) < 32 for ch in link)


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom")


class Message(models.Model):
    """What was sent: the text is plain (escaped when shown); `link` is a path inside the system."""

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), null=True, blank=True, on_delete=models.PROTECT, related_name="sent_messages"
    )
    audience = models.CharField(_("audience"), max_length=500, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DeliveryState(models.TextChoices):
    IN_APP = "in_app", _("In-app only")
    PENDING = "pending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class MessageRecipient(models.Model):
    """One person's copy of a message: read and archive state, and how other channels fared."""

    message = models.ForeignKey(Message, verbose_name=_("message"), on_delete=models.PROTECT, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="messages")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    delivery_state = models.CharField(_("delivery"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.IN_APP)
    # {"email": {"state": "sent"|"failed"|"skipped", "at": iso, "detail": "..."}, ...}
    deliveries = models.JSONField(_("delivery log"), default=dict, blank=True)

    class Meta:
        verbose_name = _("message recipient")
        verbose_name_plural = _("message recipients")
        ordering = ["-message__created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="notifications_recipient_unique")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["user", "archived_at", "message"], name="notif_recipient_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.user_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class MessageTemplate(models.Model):
    """The administrator's text for one message kind on one channel; {placeholders} filled when sent."""

    kind = models.CharField(_("message kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.IN_APP)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind", "channel"]
        constraints = [models.UniqueConstraint(fields=["kind", "channel"], name="notifications_template_kind_channel")]

    def __str__(self) -> str:
        return f"{self.kind} / {self.get_channel_display()}"
