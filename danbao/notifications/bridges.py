"""Security notices: tell a user in-app when their password changed or their account was locked.

`org` cannot import this app (floors), so we listen on the kernel's security-event hook
(core.events.register_writer). The notice is created after the caller's transaction commits and
in-app only, so it can neither break nor slow the account action, and sends no e-mail by itself.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("danbao.notifications")

BRIDGED = {
    "account.password_changed": "account.password_changed",
    "auth.locked": "account.locked",
    "account.otp_enabled": "account.two_factor_changed",
    "account.otp_disabled": "account.two_factor_changed",
}
# What the two-factor notice says happened (SECURITY A.19: change notices without secrets).
CHANGES = {"account.otp_enabled": _("turned on"), "account.otp_disabled": _("turned off")}


def on_security_event(event_type: str, **fields: Any) -> None:
    """Security-event writer: schedule a notice for the bridged event types; never raises."""
    kind = BRIDGED.get(event_type)
    if kind is None:
        return
    data = fields.get("data") or {}
    try:
        target = {
            "user_id": fields.get("object_id") or None,
            "username": str(data.get("username", "")),
            "change": str(CHANGES.get(event_type, "")),
        }
        transaction.on_commit(partial(_send_notice, kind, target))
    except Exception:  # noqa: BLE001 - a notice must never break the account action
        logger.exception("could not schedule the %s notice", kind)


def _send_notice(kind: str, target: dict[str, Any]) -> None:
    from danbao.notifications.services import notify
    from danbao.org.models import SecurityPolicy, User

    try:
        if target["user_id"]:
            user = User.objects.filter(pk=target["user_id"]).first()
        else:
            user = User.objects.filter(username=target["username"]).first()
        if user is None or not user.is_active:
            return  # e.g. a lockout of a login name that does not exist
        policy = SecurityPolicy.current()
        context = {
            "name": user.real_name or user.username,
            "username": user.username,
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "failures": policy.lockout_threshold,
            "minutes": policy.lockout_minutes,
            "change": target.get("change", ""),
        }
        with transaction.atomic():
            notify(users=[user], kind=kind, context=context, link=reverse("org:profile"), channels_override=())
    except Exception:  # noqa: BLE001 - logged; the account action has already committed
        logger.exception("could not send the %s notice", kind)
