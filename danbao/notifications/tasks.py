"""Celery wrappers: deliver a rendered message on one channel (eager without Redis)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def deliver_message(recipient_ids: list[int], channel: str, subject: str, body: str) -> dict[str, int]:
    from danbao.notifications.services import message_deliver

    return message_deliver(recipient_ids=recipient_ids, channel=channel, subject=subject, body=body)
