"""Writes of the message centre: send, notify, mark read, archive, deliver, and message templates."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from danbao.core.events import security_event
from danbao.notifications import channels, errors
from danbao.notifications.models import Channel, DeliveryState, Message, MessageRecipient, MessageTemplate, is_relative_link
from danbao.notifications.registry import kinds
from danbao.notifications.rendering import render_text
from danbao.notifications.selectors import active_template, audience_description, audience_users
from danbao.org.models import Department, Role, User

logger = logging.getLogger("danbao.notifications")


def _create_message(
    *,
    sender: User | None,
    kind: str,
    title: str,
    body: str,
    link: str,
    audience: str,
    recipients: list[User],
    extra_channels: Iterable[str] = (),
) -> Message:
    """Insert the message and one recipient row per user (caller holds the transaction)."""
    title = (title or "").strip()
    if not title:
        raise errors.TITLE_REQUIRED.error()
    link = (link or "").strip()
    if not is_relative_link(link):
        raise errors.LINK_INVALID.error()
    if not recipients:
        raise errors.NO_RECIPIENTS.error()
    message = Message.objects.create(
        kind=kind, title=title[:200], body=body or "", link=link, sender=sender, audience=audience[:500], recipient_count=len(recipients)
    )
    pending = {channel: {"state": "pending"} for channel in extra_channels}
    state = DeliveryState.PENDING if pending else DeliveryState.IN_APP
    # MessageRecipient has no history table, so bulk_create is the right tool for large audiences.
    MessageRecipient.objects.bulk_create(
        [MessageRecipient(message=message, user=user, delivery_state=state, deliveries=dict(pending)) for user in recipients],
        batch_size=500,
    )
    return message


@transaction.atomic
def message_send(
    *,
    actor: User,
    title: str,
    body: str,
    users: Iterable[User] = (),
    roles: Iterable[Role] = (),
    departments: Iterable[Department] = (),
    include_subdepartments: bool = False,
    link: str = "",
    kind: str = "manual",
) -> Message:
    """Send an in-app message to users, roles and departments (expanded to active users now)."""
    if not actor.can("system.message.broadcast"):
        raise errors.PERMISSION_DENIED.error()
    if kind not in kinds:
        raise errors.KIND_UNKNOWN.error(kind=kind)
    users, roles, departments = list(users), list(roles), list(departments)
    recipients = list(audience_users(users=users, roles=roles, departments=departments, include_subdepartments=include_subdepartments))
    with translation.override(settings.LANGUAGE_CODE):  # stored once, in the institution's language
        audience = audience_description(users=users, roles=roles, departments=departments, include_subdepartments=include_subdepartments)
    message = _create_message(sender=actor, kind=kind, title=title, body=body, link=link, audience=audience, recipients=recipients)
    security_event(
        "message.sent",
        actor=actor,
        object_type="notifications.Message",
        object_id=message.pk,
        data={
            "kind": kind,
            "title": message.title,
            "recipients": len(recipients),
            "users": len(users),
            "roles": len(roles),
            "departments": len(departments),
            "include_subdepartments": include_subdepartments,
        },
    )
    return message


def message_mark_read(*, user: User, message_ids: Iterable[int]) -> int:
    """Mark the user's copies of `message_ids` read; already-read and foreign ids are left alone."""
    ids = [int(i) for i in message_ids]
    return MessageRecipient.objects.filter(user=user, message_id__in=ids, read_at__isnull=True).update(read_at=timezone.now())


def message_mark_all_read(*, user: User) -> int:
    """Mark every unread message of the user read (idempotent)."""
    return MessageRecipient.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def message_archive(*, user: User, message_ids: Iterable[int]) -> int:
    """Move the user's copies to the archive (also marking them read); messages are never deleted."""
    ids = [int(i) for i in message_ids]
    now = timezone.now()
    rows = MessageRecipient.objects.filter(user=user, message_id__in=ids, archived_at__isnull=True)
    rows.filter(read_at__isnull=True).update(read_at=now)
    return rows.update(archived_at=now)


def _texts_for(kind: str, channel: str, context: Mapping[str, Any]) -> tuple[str, str] | None:
    """(subject, body) of `kind` on `channel`: the active template, else (e-mail and in-app) the default."""
    template = active_template(kind, channel)
    if template is None and channel in (Channel.IN_APP, Channel.EMAIL):
        template = active_template(kind, Channel.IN_APP)
    if template is not None:
        subject, body = template.subject, template.body
    elif channel in (Channel.IN_APP, Channel.EMAIL):
        spec = kinds.get(kind)
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = str(spec.subject), str(spec.body)
    else:
        return None  # SMS and WeCom only go out for kinds with a template on that channel
    return render_text(subject, context).text, render_text(body, context).text


def notify(
    *, users: Iterable[User], kind: str, context: Mapping[str, Any], link: str = "", channels_override: Iterable[str] | None = None
) -> Message | None:
    """For other apps: render `kind`'s template with `context` and send it in-app plus the configured channels.

    `channels_override` replaces the configured extra channels (e.g. `()` for in-app only).
    Runs inside the caller's transaction; e-mail, SMS and WeCom go out after commit, and their
    failures are recorded on the recipient rows without affecting the caller.
    """
    if kind not in kinds:
        raise errors.KIND_UNKNOWN.error(kind=kind)
    recipients = [u for u in dict.fromkeys(users) if u.is_active]
    if not recipients:
        return None
    title, body = _texts_for(kind, Channel.IN_APP, context) or ("", "")
    extra = channels.enabled_channels() if channels_override is None else list(channels_override)
    outgoing = {channel: texts for channel in extra if (texts := _texts_for(kind, channel, context))}
    with transaction.atomic():
        message = _create_message(
            sender=None,
            kind=kind,
            title=title,
            body=body,
            link=link,
            audience="、".join(u.real_name or u.username for u in recipients[:10]),
            recipients=recipients,
            extra_channels=outgoing.keys(),
        )
        if outgoing:
            ids = list(MessageRecipient.objects.filter(message=message).values_list("pk", flat=True))
            for channel, (subject, text) in outgoing.items():
                transaction.on_commit(partial(_schedule_delivery, ids, channel, subject, text))
    return message


def _schedule_delivery(recipient_ids: list[int], channel: str, subject: str, body: str) -> None:
    from danbao.notifications.tasks import deliver_message

    try:
        deliver_message.delay(recipient_ids, channel, subject, body)
    except Exception:  # noqa: BLE001 - a broker outage must not surface in the committed business action
        logger.exception("could not queue %s delivery for %d recipients", channel, len(recipient_ids))


def message_deliver(*, recipient_ids: list[int], channel: str, subject: str, body: str) -> dict[str, int]:
    """Send one channel to the given recipients and record each result on its row (never raises)."""
    provider = channels.provider_for(channel)
    counts = {"sent": 0, "failed": 0}
    for row in MessageRecipient.objects.filter(pk__in=recipient_ids).select_related("user"):
        user = row.user
        item = channels.Outgoing(subject=subject, body=body, email=user.email, mobile=user.mobile, username=user.username)
        try:
            detail = provider.send(item)
            entry = {"state": "sent", "detail": detail[:200]}
            counts["sent"] += 1
        except channels.DeliveryError as exc:
            entry = {"state": "failed", "detail": str(exc)[:200]}
            counts["failed"] += 1
        except Exception as exc:  # noqa: BLE001 - an unexpected provider bug is recorded like a failure
            logger.exception("%s delivery crashed", channel)
            entry = {"state": "failed", "detail": exc.__class__.__name__}
            counts["failed"] += 1
        entry["at"] = timezone.now().isoformat()
        row.deliveries = {**row.deliveries, channel: entry}
        states = [v.get("state") for v in row.deliveries.values()]
        if "failed" in states:
            row.delivery_state = DeliveryState.FAILED
        elif "pending" in states:
            row.delivery_state = DeliveryState.PENDING
        else:
            row.delivery_state = DeliveryState.SENT
        row.save(update_fields=["deliveries", "delivery_state"])
    return counts


TEMPLATE_FIELDS = ("kind", "channel", "subject", "body", "is_active")


@transaction.atomic
def message_template_save(
    *,
    actor: User,
    template: MessageTemplate | None = None,
    kind: str,
    channel: str,
    subject: str,
    body: str,
    is_active: bool = True,
) -> MessageTemplate:
    """Create or change a message template; history and one audit event record the change."""
    if not actor.can("system.template.manage"):
        raise errors.PERMISSION_DENIED.error()
    if kind not in kinds or not kinds.get(kind).templated:
        raise errors.KIND_UNKNOWN.error(kind=kind)
    duplicate = MessageTemplate.objects.filter(kind=kind, channel=channel)
    if template is not None:
        duplicate = duplicate.exclude(pk=template.pk)
    if duplicate.exists():
        raise errors.TEMPLATE_DUPLICATE.error()
    if template is None:
        template = MessageTemplate()
        before: dict[str, Any] = {}
    else:
        template = MessageTemplate.objects.select_for_update().get(pk=template.pk)
        before = {f: getattr(template, f) for f in TEMPLATE_FIELDS}
    created = template.pk is None
    values = {"kind": kind, "channel": channel, "subject": subject.strip(), "body": body, "is_active": is_active}
    for name, value in values.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    changed = [f for f in TEMPLATE_FIELDS if before.get(f) != values[f]] if not created else list(TEMPLATE_FIELDS)
    security_event(
        "message_template.created" if created else "message_template.changed",
        actor=actor,
        object_type="notifications.MessageTemplate",
        object_id=template.pk,
        data={"kind": kind, "channel": channel, "changed": changed},
    )
    return template


@transaction.atomic
def message_templates_ensure_defaults() -> int:
    """Create the in-app template of every registered kind that has none (idempotent; demo and set-up)."""
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for spec in (k for k in kinds if k.templated):
            _obj, was_created = MessageTemplate.objects.get_or_create(
                kind=spec.code, channel=Channel.IN_APP, defaults={"subject": str(spec.subject), "body": str(spec.body)}
            )
            created += int(was_created)
    return created
