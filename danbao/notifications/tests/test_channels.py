"""Channels: HTTP providers against a real local server, URL refusal (SECURITY E.61), failures recorded."""

from __future__ import annotations

import pytest

from danbao.notifications import channels
from danbao.notifications.channels import DeliveryError, HttpSmsProvider, HttpWeComProvider, Outgoing, UnsafeURLError, check_outbound_url
from danbao.notifications.models import DeliveryState, MessageRecipient
from danbao.notifications.services import message_template_save, notify

ITEM = Outgoing(subject="担保费到期提醒", body="项目 DB2026-001 的担保费将于 3 日后到期。", mobile="13900000001", username="owner")


@pytest.mark.parametrize(
    "url",
    [
        "http://sms.example.com/send",  # not https
        "https://127.0.0.1/send",
        "https://localhost/send",
        "https://10.0.0.8/send",
        "https://192.168.1.1/send",
        "https://172.16.0.1/send",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/send",
        "https://0.0.0.0/send",
        "https://user:pw@sms.example.com/send",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "",
    ],
)
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_outbound_url(url, allow_private=False)


def test_public_https_url_is_accepted(monkeypatch) -> None:
    monkeypatch.setattr(channels.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))])
    assert check_outbound_url("https://sms.example.com/send", allow_private=False) == "https://sms.example.com/send"


def test_dns_name_resolving_to_a_private_address_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(channels.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.1.2.3", 443))])
    with pytest.raises(UnsafeURLError):
        check_outbound_url("https://internal.example.com/send", allow_private=False)


def test_http_provider_refuses_the_local_server_without_the_test_switch(settings, gateway) -> None:
    settings.NOTIFICATIONS = {"ALLOW_PRIVATE_URLS": False}
    with pytest.raises(UnsafeURLError):
        HttpSmsProvider(gateway.url("/sms")).send(ITEM)
    assert gateway.requests == []


def test_sms_gateway_receives_mobile_and_text(local_gateways) -> None:
    assert HttpSmsProvider(local_gateways.url("/sms")).send(ITEM) == "HTTP 200"
    request = local_gateways.requests[0]
    assert request["path"] == "/sms"
    assert request["json"]["mobile"] == "13900000001"
    assert "DB2026-001" in request["json"]["text"]
    assert request["headers"]["Content-Type"].startswith("application/json")


def test_wecom_webhook_gets_a_text_message_mentioning_the_mobile(local_gateways) -> None:
    HttpWeComProvider(local_gateways.url("/wecom")).send(ITEM)
    payload = local_gateways.requests[0]["json"]
    assert payload["msgtype"] == "text"
    assert payload["text"]["mentioned_mobile_list"] == ["13900000001"]
    assert payload["text"]["content"].startswith("担保费到期提醒")


def test_gateway_error_status_and_timeout_raise_delivery_error(local_gateways, settings) -> None:
    local_gateways.status = 500
    with pytest.raises(DeliveryError, match="HTTP 500"):
        HttpSmsProvider(local_gateways.url("/sms")).send(ITEM)
    local_gateways.status = 200
    local_gateways.delay = 1.0
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "HTTP_TIMEOUT": 0.2}
    with pytest.raises(DeliveryError):
        HttpSmsProvider(local_gateways.url("/sms")).send(ITEM)


def test_no_mobile_number_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError):
        channels.LogSmsProvider().send(Outgoing(subject="s", body="b"))


def test_notify_delivers_through_the_configured_gateways(local_gateways, sysadmin, owner, django_capture_on_commit_callbacks) -> None:
    owner.mobile = "13900000001"
    owner.save(update_fields=["mobile"])
    message_template_save(actor=sysadmin, kind="system.job_failed", channel="sms", subject="任务失败", body="{job} 失败：{error}")
    message_template_save(actor=sysadmin, kind="system.job_failed", channel="wecom", subject="任务失败", body="{job}")
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(users=[owner], kind="system.job_failed", context={"job": "nightly", "error": "timeout", "time": "02:00"})
    paths = sorted(r["path"] for r in local_gateways.requests)
    assert paths == ["/sms", "/wecom"]
    sms = next(r for r in local_gateways.requests if r["path"] == "/sms")
    assert sms["json"]["text"] == "任务失败\nnightly 失败：timeout"
    row = MessageRecipient.objects.get(message=message)
    assert {k: v["state"] for k, v in row.deliveries.items()} == {"email": "sent", "sms": "sent", "wecom": "sent"}
    assert row.delivery_state == DeliveryState.SENT


def test_gateway_failure_is_recorded_on_the_row_and_the_caller_commits(
    local_gateways, sysadmin, owner, django_capture_on_commit_callbacks
) -> None:
    local_gateways.status = 503
    owner.mobile = "13900000001"
    owner.save(update_fields=["mobile"])
    message_template_save(actor=sysadmin, kind="system.notice", channel="sms", subject="{title}", body="{body}")
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(users=[owner], kind="system.notice", context={"title": "t", "body": "b"})
    row = MessageRecipient.objects.get(message=message)
    assert row.deliveries["sms"] == {**row.deliveries["sms"], "state": "failed", "detail": "HTTP 503"}
    assert row.delivery_state == DeliveryState.FAILED
