"""Message template pages: permission, create/edit with audit and history, preview of placeholders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from danbao.audit.models import AuditEvent
from danbao.notifications.models import MessageTemplate
from danbao.notifications.services import message_template_save


@pytest.mark.parametrize("who", ["owner", "risk_manager", "secadmin", "auditadmin", "nobody"])
def test_template_pages_need_the_template_permission(client_for, request, sysadmin, who) -> None:
    template = message_template_save(actor=sysadmin, kind="system.notice", channel="in_app", subject="{title}", body="{body}")
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("notifications:template-list")).status_code == 403
    assert client.get(reverse("notifications:template-edit", args=[template.pk])).status_code == 403
    assert client.post(reverse("notifications:template-create"), {}).status_code == 403


def test_list_and_missing_template(client_for, sysadmin) -> None:
    message_template_save(actor=sysadmin, kind="account.locked", channel="email", subject="账户已锁定", body="{name}")
    client = client_for(sysadmin)
    html = client.get(reverse("notifications:template-list")).content.decode()
    assert "账户已锁定" in html
    assert client.get(reverse("notifications:template-edit", args=[999])).status_code == 404


def test_create_and_edit_a_template(client_for, sysadmin) -> None:
    client = client_for(sysadmin)
    data = {
        "kind": "account.locked",
        "channel": "sms",
        "subject": "账户锁定",
        "body": "{name}，账户 {username} 已锁定",
        "is_active": "on",
        "action": "save",
    }
    response = client.post(reverse("notifications:template-create"), data)
    assert response.status_code == 302
    template = MessageTemplate.objects.get(kind="account.locked", channel="sms")
    response = client.post(reverse("notifications:template-edit", args=[template.pk]), {**data, "body": "{name}：锁定 {minutes} 分钟"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "{name}：锁定 {minutes} 分钟"
    assert template.history.count() == 2
    assert AuditEvent.objects.filter(event_type="message_template.changed", object_id=str(template.pk)).exists()

    duplicate = client.post(reverse("notifications:template-create"), data)
    assert duplicate.status_code == 200
    assert 'data-testid="form-errors"' in duplicate.content.decode()


def test_preview_fills_samples_and_reports_unknown_placeholders(client_for, sysadmin) -> None:
    data = {
        "kind": "account.locked",
        "channel": "in_app",
        "subject": "{username} 已锁定",
        "body": "{name}：{project_no}",
        "action": "preview",
    }
    response = client_for(sysadmin).post(reverse("notifications:template-create"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="template-preview"' in html and "<html" not in html
    assert "manager 已锁定" in html
    assert 'data-testid="preview-unknown"' in html and "{project_no}" in html
    assert not MessageTemplate.objects.exists()


def test_preview_cannot_reach_into_objects(client_for, sysadmin) -> None:
    data = {
        "kind": "account.locked",
        "channel": "in_app",
        "subject": "{{ request.user.password }}",
        "body": "{% debug %}",
        "action": "preview",
    }
    html = client_for(sysadmin).post(reverse("notifications:template-create"), data, HTTP_HX_REQUEST="true").content.decode()
    assert "{{ request.user.password }}" in html
    assert "{% debug %}" in html
