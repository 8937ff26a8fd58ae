"""One stored file of a business object: kind, version, SHA-256, sniffed type; voided, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner type"))
    owner_id = models.CharField(_("owner id"), max_length=64)
    kind = models.CharField(_("document type"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    original_name = models.CharField(_("original file name"), max_length=255)
    stored_name = models.CharField(_("stored name"), max_length=255, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    mime_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("file type"), max_length=10)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("voided by")
    )
    void_reason = models.CharField(_("void reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["owner_type", "owner_id", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id", "kind", "version"], name="attachment_version_unique"),
            models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True) | ~models.Q(void_reason=""), name="attachment_void_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def previewable(self) -> bool:
        from danbao.core.attachments.validation import PREVIEWABLE

        return self.extension in PREVIEWABLE and not self.is_voided
