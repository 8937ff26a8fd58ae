"""Field-level history for business models: django-simple-history plus the client IP and request id.

Use `audited_history()` instead of `HistoricalRecords()` on every business model.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from danbao.core.middleware import current_request


class HistoryContext(models.Model):
    """Extra columns on every historical table: where the change came from."""

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        abstract = True


def audited_history(**kwargs: Any) -> HistoricalRecords:
    return HistoricalRecords(bases=[HistoryContext], **kwargs)


@receiver(pre_create_historical_record)
def _add_request_context(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    if not isinstance(history_instance, HistoryContext):
        return
    request = current_request()
    if request is not None:
        history_instance.ip_address = request.META.get("REMOTE_ADDR") or None
        history_instance.request_id = getattr(request, "request_id", "")
