"""Delivery channels behind a small provider interface: in-app (always), e-mail, SMS, WeCom webhook.

SMS and WeCom have a working log-only default and an HTTP provider. Outbound URLs must be https and
must not point at loopback, private, link-local or reserved addresses (SECURITY E.61) unless
NOTIFICATIONS["ALLOW_PRIVATE_URLS"] is set (tests against a local server). Configuration lives in
settings.NOTIFICATIONS (see DEFAULTS). A provider raises DeliveryError; callers record it and go on.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger("danbao.notifications")

DEFAULTS: dict[str, Any] = {
    "CHANNELS": ["email"],  # channels notify() uses besides in-app
    "SMS_PROVIDER": "log",  # log | http
    "SMS_URL": "",
    "WECOM_PROVIDER": "log",  # log | http
    "WECOM_URL": "",  # the group robot's webhook URL
    "HTTP_TIMEOUT": 5.0,  # seconds, connect and read
    "ALLOW_PRIVATE_URLS": False,  # tests only: permits http:// and loopback/private hosts
}


def config() -> dict[str, Any]:
    return {**DEFAULTS, **getattr(settings, "NOTIFICATIONS", {})}


class DeliveryError(Exception):
    """A channel could not deliver; the message text is stored on the recipient row."""


class UnsafeURLError(DeliveryError):
    pass


@dataclass(frozen=True)
class Outgoing:
    """What one recipient gets on one channel."""

    subject: str
    body: str
    email: str = ""
    mobile: str = ""
    username: str = ""


class Provider(Protocol):
    name: str

    def send(self, item: Outgoing) -> str:
        """Deliver `item`; return a short detail for the log, or raise DeliveryError."""
        ...


def _ip_is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified)


def check_outbound_url(url: str, *, allow_private: bool | None = None) -> str:
    """Return `url` when it is safe to call from the server; raise UnsafeURLError otherwise."""
    if allow_private is None:
        allow_private = bool(config()["ALLOW_PRIVATE_URLS"])
    parts = urlsplit(url or "")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeURLError("only https:// URLs with a host are allowed")
    if parts.username or parts.password:
        raise UnsafeURLError("credentials in the URL are not allowed")
    if allow_private:
        return url
    if parts.scheme != "https":
        raise UnsafeURLError("only https:// URLs are allowed")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURLError(f"host cannot be resolved: {exc.__class__.__name__}") from None
    for info in infos:
        if not _ip_is_public(str(info[4][0])):
            raise UnsafeURLError("loopback, private and link-local addresses are not allowed")
    return url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to an internal address after the check: refuse to follow it."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_json(url: str, payload: dict[str, Any], *, timeout: float | None = None) -> int:
    """POST `payload` as JSON to a checked URL (TLS verified, no redirects); return the HTTP status."""
    check_outbound_url(url)
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Danbao-Notifications/1"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout or float(config()["HTTP_TIMEOUT"])) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"connection failed: {getattr(exc, 'reason', exc)}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")
    return status


class EmailProvider:
    """E-mail through django.core.mail (EMAIL_* settings)."""

    name = "email"

    def send(self, item: Outgoing) -> str:
        if not item.email:
            raise DeliveryError("no e-mail address")
        try:
            send_mail(item.subject, item.body, None, [item.email], fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any SMTP/backend failure is recorded, never raised
            raise DeliveryError(f"mail failed: {exc.__class__.__name__}") from None
        return item.email


class LogSmsProvider:
    """Default SMS sender: writes the message to the log (no gateway configured)."""

    name = "sms"

    def send(self, item: Outgoing) -> str:
        if not item.mobile:
            raise DeliveryError("no mobile number")
        logger.info("SMS (log only) to %s: %s", item.mobile[-4:].rjust(len(item.mobile), "*"), item.subject)
        return "logged"


class HttpSmsProvider:
    """SMS gateway reached by an HTTPS POST of {"mobile", "text"}."""

    name = "sms"

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, item: Outgoing) -> str:
        if not item.mobile:
            raise DeliveryError("no mobile number")
        status = post_json(self.url, {"mobile": item.mobile, "text": f"{item.subject}\n{item.body}".strip()})
        return f"HTTP {status}"


class LogWeComProvider:
    """Default WeCom sender: writes the message to the log (no robot webhook configured)."""

    name = "wecom"

    def send(self, item: Outgoing) -> str:
        logger.info("WeCom (log only) for %s: %s", item.username, item.subject)
        return "logged"


class HttpWeComProvider:
    """WeCom group robot webhook: a text message that @-mentions the recipient by mobile number."""

    name = "wecom"

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, item: Outgoing) -> str:
        text: dict[str, Any] = {"content": f"{item.subject}\n{item.body}".strip()}
        if item.mobile:
            text["mentioned_mobile_list"] = [item.mobile]
        status = post_json(self.url, {"msgtype": "text", "text": text})
        return f"HTTP {status}"


def provider_for(channel: str) -> Provider:
    """The configured provider of a channel (in-app needs none: the recipient row is the delivery)."""
    cfg = config()
    if channel == "email":
        return EmailProvider()
    if channel == "sms":
        return HttpSmsProvider(cfg["SMS_URL"]) if cfg["SMS_PROVIDER"] == "http" else LogSmsProvider()
    if channel == "wecom":
        return HttpWeComProvider(cfg["WECOM_URL"]) if cfg["WECOM_PROVIDER"] == "http" else LogWeComProvider()
    raise ValueError(f"unknown channel {channel!r}")


def enabled_channels() -> list[str]:
    """The extra channels notify() uses, in a fixed order."""
    wanted = set(config()["CHANNELS"])
    return [c for c in ("email", "sms", "wecom") if c in wanted]
