"""Message centre pages: own messages only (404 for others), htmx bulk actions, compose, top-bar count."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danbao.audit.models import AuditEvent
from danbao.notifications.models import Message, MessageRecipient
from danbao.notifications.services import message_archive, message_send, notify

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-region"}


def _notice(users, title="通知", body="正文", link=""):
    return notify(users=users, kind="system.notice", context={"title": title, "body": body}, link=link)


def _badge(html: str) -> str | None:
    found = re.search(r'data-testid="unread-count">(\d+)<', html)
    return found.group(1) if found else None


def test_inbox_needs_a_signed_in_user(client, org) -> None:
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_inbox_shows_only_my_messages(client_for, owner, colleague) -> None:
    _notice([owner], title="给王业务的通知")
    _notice([colleague], title="给李同事的通知")
    html = client_for(owner).get(reverse("notifications:inbox")).content.decode()
    assert "给王业务的通知" in html
    assert "给李同事的通知" not in html


def test_another_users_message_is_404(client_for, owner, colleague) -> None:
    message = _notice([colleague], title="机密")
    client = client_for(owner)
    assert client.get(reverse("notifications:message-detail", args=[message.pk])).status_code == 404
    assert client.post(reverse("notifications:message-archive", args=[message.pk])).status_code == 404
    assert client.get(reverse("notifications:message-detail", args=[999999])).status_code == 404
    client.post(reverse("notifications:mark-read"), {"ids": [message.pk]})
    assert MessageRecipient.objects.get(message=message).read_at is None


def test_opening_a_message_marks_it_read_and_renders_the_body_inert(client_for, owner) -> None:
    message = _notice([owner], title="<b>标题</b>", body="<script>alert(1)</script>\n第二行", link="/projects/12/")
    html = client_for(owner).get(reverse("notifications:message-detail", args=[message.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行" in html
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;标题&lt;/b&gt;" in html
    assert 'href="/projects/12/"' in html
    assert MessageRecipient.objects.get(message=message, user=owner).read_at is not None


def test_top_bar_shows_the_real_unread_count(client_for, owner) -> None:
    client = client_for(owner)
    assert _badge(client.get(reverse("core:workbench")).content.decode()) is None
    _notice([owner])
    _notice([owner])
    assert _badge(client.get(reverse("core:workbench")).content.decode()) == "2"


def test_htmx_mark_selected_read_returns_the_list_and_the_new_badge(client_for, owner) -> None:
    first, second = _notice([owner], title="第一条"), _notice([owner], title="第二条")
    response = client_for(owner).post(reverse("notifications:mark-read") + "?state=unread", {"ids": [first.pk]}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="list-region"' in html and "<html" not in html
    assert 'id="topbar-inbox" hx-swap-oob="true"' in html
    assert _badge(html) == "1"
    assert "第二条" in html and "第一条" not in html  # the unread filter of the page is kept
    assert MessageRecipient.objects.get(message=first).read_at is not None
    assert MessageRecipient.objects.get(message=second).read_at is None


def test_mark_all_read_without_htmx_redirects_with_a_notice(client_for, owner) -> None:
    _notice([owner])
    _notice([owner])
    response = client_for(owner).post(reverse("notifications:mark-all-read"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications:inbox")
    assert "2" in response.content.decode().split('data-testid="flash"')[1][:200]
    assert not MessageRecipient.objects.filter(user=owner, read_at__isnull=True).exists()


def test_archived_messages_leave_the_inbox_but_stay_under_the_filter(client_for, owner) -> None:
    message = _notice([owner], title="旧通知")
    client = client_for(owner)
    client.post(reverse("notifications:archive"), {"ids": [message.pk]}, **HTMX)
    assert "旧通知" not in client.get(reverse("notifications:inbox")).content.decode()
    assert "旧通知" in client.get(reverse("notifications:inbox"), {"state": "archived"}).content.decode()
    assert Message.objects.filter(pk=message.pk).exists()


def test_inbox_filters_and_search(client_for, owner) -> None:
    read = _notice([owner], title="已读的通知")
    _notice([owner], title="未读的通知")
    notify(users=[owner], kind="system.job_failed", context={"job": "夜间分类", "time": "02:00", "error": "超时"})
    client = client_for(owner)
    client.get(reverse("notifications:message-detail", args=[read.pk]))
    unread = client.get(reverse("notifications:inbox"), {"state": "unread"}).content.decode()
    assert "未读的通知" in unread and "已读的通知" not in unread
    by_kind = client.get(reverse("notifications:inbox"), {"kind": "system.job_failed"}).content.decode()
    assert "夜间分类" in by_kind and "未读的通知" not in by_kind
    found = client.get(reverse("notifications:inbox"), {"q": "已读"}).content.decode()
    assert "已读的通知" in found and "未读的通知" not in found


def test_inbox_query_count_does_not_grow_with_the_rows(client_for, owner, sysadmin) -> None:
    client = client_for(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:inbox")).status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm-up: first-request work of the session (policy row, last-seen stamp) is not per row
    for i in range(5):
        message_send(actor=sysadmin, title=f"消息{i}", body="", users=[owner])
    few = queries()
    for i in range(45):
        message_send(actor=sysadmin, title=f"更多{i}", body="", users=[owner])
    assert queries() == few


@pytest.mark.parametrize("who", ["owner", "dept_head", "risk_manager", "nobody", "secadmin", "auditadmin"])
def test_compose_is_forbidden_without_broadcast_permission(client_for, request, who) -> None:
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse("notifications:compose"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(event_type="access.denied", actor_id=user.pk).exists()


def test_compose_shows_the_recipient_count_before_sending(client_for, org, sysadmin, owner, colleague, outsider) -> None:
    client = client_for(sysadmin)
    assert client.get(reverse("notifications:compose")).status_code == 200
    data = {
        "departments": [org.dept_a.pk],
        "users": [outsider.pk],
        "title": "季度检查",
        "body": "请准备材料",
        "link": "/",
        "action": "preview",
    }
    response = client.post(reverse("notifications:compose"), data)
    html = response.content.decode()
    assert 'data-testid="recipient-count"' in html
    assert re.search(r"\b3\b", html.split('data-testid="recipient-count"')[1][:600])
    assert not Message.objects.exists()

    response = client.post(reverse("notifications:compose"), {**data, "action": "send", "confirmed_count": "3"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert set(message.recipients.values_list("user__username", flat=True)) == {"owner", "colleague", "outsider"}
    assert AuditEvent.objects.filter(event_type="message.sent", object_id=str(message.pk)).exists()


def test_compose_does_not_send_when_the_audience_changed_after_the_check(client_for, org, sysadmin, owner, outsider) -> None:
    data = {"departments": [org.dept_a.pk], "users": [outsider.pk], "title": "t", "action": "send", "confirmed_count": "1"}
    response = client_for(sysadmin).post(reverse("notifications:compose"), data)
    assert response.status_code == 200
    assert not Message.objects.exists()
    assert 'name="confirmed_count" value="2"' in response.content.decode()


def test_compose_refuses_an_external_link(client_for, sysadmin, owner) -> None:
    data = {"users": [owner.pk], "title": "t", "link": "javascript:alert(1)", "action": "send"}
    response = client_for(sysadmin).post(reverse("notifications:compose"), data)
    assert response.status_code == 200
    assert 'data-testid="error-link"' in response.content.decode()
    assert not Message.objects.exists()


def test_compose_needs_a_recipient(client_for, sysadmin) -> None:
    response = client_for(sysadmin).post(reverse("notifications:compose"), {"title": "t", "action": "preview"})
    assert 'data-testid="form-errors"' in response.content.decode()


def test_compose_uses_searchable_selects(client_for, sysadmin) -> None:
    html = client_for(sysadmin).get(reverse("notifications:compose")).content.decode()
    assert html.count("data-searchable") == 3


def test_workbench_panel_lists_the_five_newest_unread(client_for, owner) -> None:
    client = client_for(owner)
    html = client.get(reverse("core:workbench")).content.decode()
    assert 'data-testid="unread-widget-empty"' in html
    for i in range(7):
        _notice([owner], title=f"通知{i}")
    read = _notice([owner], title="已读")
    message_archive(user=owner, message_ids=[read.pk])
    html = client.get(reverse("core:workbench")).content.decode()
    assert html.count('data-testid="unread-widget-item"') == 5
    assert "通知6" in html and "通知1" not in html and "已读" not in html
    assert reverse("notifications:inbox") in html


def test_archive_from_the_message_page(client_for, owner) -> None:
    message = _notice([owner], title="要归档的通知")
    client = client_for(owner)
    response = client.post(reverse("notifications:message-archive", args=[message.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications:inbox")
    assert 'data-testid="flash"' in response.content.decode()
    assert MessageRecipient.objects.get(message=message).archived_at is not None


def test_message_page_shows_how_other_channels_fared(client_for, owner, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = _notice([owner], title="带邮件的通知")
    html = client_for(owner).get(reverse("notifications:message-detail", args=[message.pk])).content.decode()
    deliveries = html.split('data-testid="deliveries"')[1][:300]
    assert "bg-green-lt" in deliveries and "已发送" in deliveries
