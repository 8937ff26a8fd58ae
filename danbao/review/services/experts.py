"""External experts: signed, expiring, revocable links to the assigned agenda items and the expert's
opinions through them.

The link is `TimestampSigner(salt).sign("<link id>.<secret>")`. The database keeps only the SHA-256
of the secret, so a leaked table gives no working link, and a link whose id or secret was changed
fails the signature. Expiry is checked twice: the signature's age (at most 30 days) and the link's
own `expires_at` (chosen when issued, 7 days by default). Every use and every refusal is audited;
more than RATE_LIMIT uses of one link within an hour are refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.db import transaction

from danbao.core.events import security_event
from danbao.review import errors, lifecycle
from danbao.review.models import AgendaItem, Expert, ExpertLink, ExpertOpinion, Meeting
from danbao.review.services.common import EXPERT_MANAGE, MEETING_MANAGE, audit, now, require

SALT = "danbao.review.expert-link"
DEFAULT_DAYS = 7
MAX_DAYS = 30
RATE_LIMIT = 60  # uses of one link per hour


class LinkRefused(Exception):
    """The link cannot be used: reason is tampered | expired | revoked | rate_limited."""

    def __init__(self, reason: str, link: ExpertLink | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.link = link


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


@transaction.atomic(durable=True)
def expert_link_create(
    *, actor: Any, meeting: Meeting, expert: Expert, items: Iterable[AgendaItem], days: int = DEFAULT_DAYS
) -> tuple[ExpertLink, str]:
    """Assign items of an open meeting to an expert; returns the link and its token (shown once)."""
    require(actor, EXPERT_MANAGE)
    require(actor, MEETING_MANAGE)
    if not 1 <= int(days) <= MAX_DAYS:
        raise errors.DAYS_INVALID.error(field="days")
    if not expert.is_active:
        raise errors.EXPERT_INACTIVE.error(name=expert.name, field="expert")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in lifecycle.OPEN:
        raise errors.MEETING_NOT_OPEN.error()
    chosen = list(AgendaItem.objects.filter(meeting=meeting, pk__in=[i.pk for i in items], status=AgendaItem.Status.PENDING))
    if not chosen:
        raise errors.ITEMS_REQUIRED.error(field="items")
    secret = secrets.token_urlsafe(24)
    issued = now()
    link = ExpertLink.objects.create(
        meeting=meeting,
        expert=expert,
        secret_hash=_hash(secret),
        created_by=actor,
        created_at=issued,
        expires_at=issued + timedelta(days=int(days)),
    )
    for item in chosen:
        ExpertOpinion.objects.create(link=link, item=item)
    token = _signer().sign(f"{link.pk}.{secret}")
    audit("expert_link.created", actor, link, expert=expert.pk, meeting=meeting.pk, items=[i.pk for i in chosen], days=int(days))
    return link, token


@transaction.atomic(durable=True)
def expert_link_revoke(*, actor: Any, link: ExpertLink, reason: str) -> ExpertLink:
    """Make a link unusable at once (opinions already submitted stay)."""
    require(actor, EXPERT_MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    link = ExpertLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        raise errors.LINK_REVOKED.error()
    link.revoked_at, link.revoked_by, link.revoke_reason = now(), actor, reason[:500]
    link.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit("expert_link.revoked", actor, link, reason=reason, expert=link.expert_id)
    return link


def _refuse(reason: str, request: Any, link: ExpertLink | None) -> LinkRefused:
    security_event(
        "review.expert_link.refused",
        request=request,
        result="failure",
        reason=reason,
        object_type="review.ExpertLink",
        object_id=link.pk if link else "",
        actor_username=f"expert:{link.expert_id}" if link else "",
        data={"path": getattr(request, "path", "")},
    )
    return LinkRefused(reason, link)


def _rate_limited(link: ExpertLink) -> bool:
    key = f"review:expert-link:{link.pk}:{now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    try:
        used = cache.incr(key)
    except ValueError:
        used = 1
    return used > RATE_LIMIT


def link_resolve(token: str, *, request: Any = None, purpose: str = "open") -> ExpertLink:
    """The link a token stands for, or LinkRefused (audited) when tampered, expired, revoked or overused."""
    try:
        value = _signer().unsign(token or "", max_age=timedelta(days=MAX_DAYS))
    except signing.SignatureExpired:
        raise _refuse("expired", request, None) from None
    except signing.BadSignature:
        raise _refuse("tampered", request, None) from None
    link_id, _dot, secret = value.partition(".")
    link = ExpertLink.objects.select_related("expert", "meeting").filter(pk=int(link_id) if link_id.isdigit() else 0).first()
    if link is None or not hmac.compare_digest(link.secret_hash, _hash(secret)):
        raise _refuse("tampered", request, link)
    if link.revoked_at is not None:
        raise _refuse("revoked", request, link)
    if link.expires_at <= now():
        raise _refuse("expired", request, link)
    if _rate_limited(link):
        raise _refuse("rate_limited", request, link)
    with transaction.atomic():
        ExpertLink.objects.filter(pk=link.pk).update(last_used_at=now(), use_count=link.use_count + 1)
        security_event(
            "review.expert_link.used",
            request=request,
            object_type="review.ExpertLink",
            object_id=link.pk,
            actor_username=f"expert:{link.expert_id}",
            data={"purpose": purpose, "expert": link.expert_id, "meeting": link.meeting_id},
        )
    return link


@transaction.atomic(durable=True)
def expert_opinion_submit(
    *, link: ExpertLink, opinion: ExpertOpinion, recommendation: str, text: str, request: Any = None
) -> ExpertOpinion:
    """The expert's opinion on one assigned item (the caller has resolved the link); final once submitted."""
    if recommendation not in ExpertOpinion.Recommendation.values:
        raise errors.RECOMMENDATION_INVALID.error(field="recommendation")
    text = (text or "").strip()
    if not text:
        raise errors.OPINION_REQUIRED.error(field="text")
    current = ExpertOpinion.objects.select_for_update().get(pk=opinion.pk, link=link)
    if current.submitted_at is not None:
        raise errors.OPINION_SUBMITTED.error()
    current.recommendation, current.text, current.submitted_at = recommendation, text, now()
    current.save(update_fields=["recommendation", "text", "submitted_at"])
    security_event(
        "review.expert_opinion.submitted",
        request=request,
        object_type="review.ExpertOpinion",
        object_id=current.pk,
        actor_username=f"expert:{link.expert_id}",
        data={"link": link.pk, "item": current.item_id, "recommendation": recommendation},
    )
    return current
