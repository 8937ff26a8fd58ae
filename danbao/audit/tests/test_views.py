"""Audit pages: only the audit administrator reads them (三员分立); searches are themselves audited."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from danbao.audit import triggers
from danbao.audit.models import AuditEvent
from danbao.audit.services import event_record
from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark

PAGES = ["audit:event-list", "audit:login-list", "audit:history-list"]


@pytest.fixture
def events(owner, outsider) -> list[AuditEvent]:
    return [
        event_record("auth.login", actor=owner),
        event_record("auth.login_failed", actor_username="ghost", result="failure", reason="bad_password"),
        event_record("data.export", actor=outsider, object_type="customer", object_id="C-2026-0077", data={"rows": 3, "b": 1, "a": 2}),
        event_record("access.denied", actor=owner, result="failure", reason="permission", data={"path": "/x/"}),
    ]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "owner", "risk_manager", "dept_head", "nobody"])
def test_everyone_but_the_audit_admin_gets_403(request, client_for, name, who) -> None:
    user = request.getfixturevalue(who)
    mark = audit_mark()
    response = client_for(user).get(reverse(name))
    assert response.status_code == 403
    assert_one_event("access.denied", since=mark, actor_id=user.pk, data={"path": reverse(name)})


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, db, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_detail_pages_are_403_for_others_and_404_when_missing(client_for, sysadmin, auditadmin, events) -> None:
    url = reverse("audit:event-detail", args=[events[0].pk])
    assert client_for(sysadmin).get(url).status_code == 403
    assert client_for(auditadmin).get(reverse("audit:event-detail", args=[999999])).status_code == 404
    assert client_for(auditadmin).get(reverse("audit:history-model", args=["org.nosuchmodel"])).status_code == 404
    assert client_for(auditadmin).get(reverse("audit:history-detail", args=["org.user", 999999])).status_code == 404


def test_event_list_shows_all_events_in_beijing_time(client_for, auditadmin, events) -> None:
    response = client_for(auditadmin).get(reverse("audit:event-list"))
    assert response.status_code == 200
    rows = response.context["list"].rows
    assert [r["object"].pk for r in rows][:4] == [e.pk for e in reversed(events)]
    local = timezone.localtime(events[0].created_at)
    assert local.utcoffset() == timedelta(hours=8)
    assert local.strftime("%Y-%m-%d %H:%M:%S").encode() in response.content
    assert b"customer #C-2026-0077" in response.content
    assert_no_event("audit.search")  # opening the list is not a search


def test_filters_by_group_result_and_search(client_for, auditadmin, events) -> None:
    client = client_for(auditadmin)
    ids = lambda r: [row["object"].pk for row in r.context["list"].rows]  # noqa: E731
    assert ids(client.get(reverse("audit:event-list"), {"type": "auth."})) == [events[1].pk, events[0].pk]
    assert ids(client.get(reverse("audit:event-list"), {"result": "failure", "type": "access."})) == [events[3].pk]
    assert ids(client.get(reverse("audit:event-list"), {"q": "ghost"})) == [events[1].pk]
    assert ids(client.get(reverse("audit:event-list"), {"q": "C-2026"})) == [events[2].pk]
    rid = events[0].request_id or "none"
    assert client.get(reverse("audit:event-list"), {"q": rid}).status_code == 200


def test_date_range_uses_beijing_calendar_days(client_for, auditadmin, owner) -> None:
    late = event_record("auth.login", actor=owner)
    # 2026-03-31 23:30 in Beijing is 15:30 UTC the same day; 2026-04-01 00:30 Beijing is 16:30 UTC on 03-31.
    triggers.drop(connection)  # only to back-date rows for the test; rolled back afterwards
    zone = timezone.get_current_timezone()
    field = AuditEvent._meta.get_field("created_at")

    def backdate(event, when):
        with connection.cursor() as cursor:
            value = field.get_db_prep_value(when, connection)
            cursor.execute("UPDATE audit_auditevent SET created_at = %s WHERE id = %s", [value, event.pk])

    backdate(late, datetime(2026, 3, 31, 23, 30, tzinfo=zone))
    early = event_record("auth.logout", actor=owner)
    backdate(early, datetime(2026, 4, 1, 0, 30, tzinfo=zone))
    client = client_for(auditadmin)
    march = client.get(reverse("audit:event-list"), {"date_from": "2026-03-31", "date_to": "2026-03-31"})
    assert [r["object"].pk for r in march.context["list"].rows] == [late.pk]
    april = client.get(reverse("audit:event-list"), {"date_from": "2026-04-01"})
    assert early.pk in [r["object"].pk for r in april.context["list"].rows]
    assert late.pk not in [r["object"].pk for r in april.context["list"].rows]
    assert b'value="2026-03-31"' in march.content
    ignored = client.get(reverse("audit:event-list"), {"date_from": "not-a-date"})
    assert ignored.context["list"].page.paginator.count == AuditEvent.objects.count()


def test_a_search_writes_exactly_one_audit_search_event(client_for, auditadmin, events) -> None:
    client = client_for(auditadmin)
    url = reverse("audit:event-list")
    mark = audit_mark()
    client.get(url, {"q": "ghost", "type": "auth."})
    event = assert_one_event("audit.search", since=mark, actor_id=auditadmin.pk, object_type="audit-events")
    assert event.data == {"criteria": {"q": "ghost", "type": "auth."}}
    # Paging, sorting, columns, page size over the same search: no further event.
    client.get(url, {"q": "ghost", "type": "auth.", "page": 2})
    client.get(url, {"q": "ghost", "type": "auth.", "sort": "-created_at"})
    client.get(url, {"q": "ghost", "type": "auth.", "size": 50, "cols": ["created_at", "event_type"]})
    assert_one_event("audit.search", since=mark)
    # A changed search is a new search.
    mark = audit_mark()
    client.get(url, {"q": "ghost", "type": "auth.", "result": "failure"})
    assert_one_event("audit.search", since=mark, data={"criteria": {"q": "ghost", "type": "auth.", "result": "failure"}})


def test_login_log_lists_only_sign_in_events(client_for, auditadmin, events) -> None:
    response = client_for(auditadmin).get(reverse("audit:login-list"))
    assert response.status_code == 200
    assert {r["object"].event_type for r in response.context["list"].rows} == {"auth.login", "auth.login_failed"}
    assert b"ghost" in response.content and b"bad_password" in response.content


def test_login_search_is_audited(client_for, auditadmin, events) -> None:
    mark = audit_mark()
    response = client_for(auditadmin).get(reverse("audit:login-list"), {"result": "failure"})
    assert [r["object"].pk for r in response.context["list"].rows] == [events[1].pk]
    assert_one_event("audit.search", since=mark, object_type="audit-logins")


def test_export_needs_the_export_permission_and_is_logged(client_for, auditadmin, events, org) -> None:
    url = reverse("audit:event-list")
    mark = audit_mark()
    response = client_for(auditadmin).get(url, {"export": "xlsx", "type": "auth."})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=3).value == "ghost"
    assert_one_event("data.export", since=mark, actor_id=auditadmin.pk, object_type="audit-events", data={"rows": 2})
    assert_no_event("audit.search", since=mark)
    role = org.roles["auditadmin"]
    role.permissions = [c for c in role.permissions if c != "audit.log.export"]
    role.save()
    reader = get_user_model().objects.get(pk=auditadmin.pk)
    assert client_for(reader).get(url, {"export": "xlsx"}).status_code == 403


def test_event_detail_shows_every_field_the_data_and_the_hashes(client_for, auditadmin, events) -> None:
    event = events[2]
    mark = audit_mark()
    response = client_for(auditadmin).get(reverse("audit:event-detail", args=[event.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert event.hash in content and event.prev_hash in content
    assert response.context["data_json"] == '{\n  "a": 2,\n  "b": 1,\n  "rows": 3\n}'
    assert "&quot;rows&quot;: 3" in content
    assert "outsider" in content and "customer" in content
    assert_one_event("audit.view", since=mark, object_id=str(event.pk))


def test_query_count_does_not_grow_with_rows(client_for, auditadmin, owner, django_assert_max_num_queries) -> None:
    client = client_for(auditadmin)
    client.get(reverse("audit:event-list"))
    for i in range(30):
        event_record("data.view", actor=owner, object_id=i)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:event-list"), {"size": 50})
    assert len(response.context["list"].rows) == 30


def test_history_list_discovers_models_and_shows_changes(client_for, auditadmin, org) -> None:
    dept = apps.get_model("org", "Department").objects.get(code="BIZ1")
    dept.name = "业务一部（新）"
    dept.save()
    client = client_for(auditadmin)
    response = client.get(reverse("audit:history-list"))
    assert response.status_code == 302
    response = client.get(reverse("audit:history-model", args=["org.department"]))
    assert response.status_code == 200
    keys = [m.key for m in response.context["models"]]
    assert "org.department" in keys and "org.user" in keys
    rows = response.context["list"].rows
    assert rows[0]["object"].history_type == "~" and rows[0]["object"].name == "业务一部（新）"
    assert "~" in rows[0]["cells"][2]["text"]


def test_history_detail_shows_old_and_new_values(client_for, auditadmin, org) -> None:
    dept = apps.get_model("org", "Department").objects.get(code="BIZ1")
    dept.name = "业务一部（新）"
    dept.phone = "010-12345678"
    dept.save()
    record = dept.history.first()
    response = client_for(auditadmin).get(reverse("audit:history-detail", args=["org.department", record.history_id]))
    assert response.status_code == 200
    changes = {c.field: (c.old, c.new) for c in response.context["changes"]}
    assert changes == {"name": ("业务一部", "业务一部（新）"), "phone": ("", "010-12345678")}
    assert "业务一部（新）" in response.content.decode()
    creation = dept.history.last()
    response = client_for(auditadmin).get(reverse("audit:history-detail", args=["org.department", creation.history_id]))
    assert response.context["previous"] is None
    assert ("name", "", "业务一部") in [(c.field, c.old, c.new) for c in response.context["changes"]]


def test_history_list_query_count_is_constant(client_for, auditadmin, org, owner, django_assert_max_num_queries) -> None:
    client = client_for(auditadmin)
    url = reverse("audit:history-model", args=["org.user"])
    client.get(url)
    for i in range(20):
        owner.real_name = f"王业务{i}"
        owner.save()
    with django_assert_max_num_queries(12):
        response = client.get(url, {"size": 50})
    assert len(response.context["list"].rows) >= 20


def test_history_search_is_audited_once(client_for, auditadmin, org) -> None:
    client = client_for(auditadmin)
    url = reverse("audit:history-model", args=["org.department"])
    mark = audit_mark()
    client.get(url, {"change": "+"})
    client.get(url, {"change": "+", "page": 2})
    assert_one_event("audit.search", since=mark, data={"criteria": {"q": "", "change": "+", "model": "org.department"}})


def test_pages_speak_chinese(client_for, auditadmin, events) -> None:
    content = client_for(auditadmin).get(reverse("audit:event-list")).content.decode()
    assert "审计日志" in content and "登录名、对象ID或请求编号" in content and "登录与身份认证" in content


def test_history_detail_of_a_role_change_lists_the_roles(client_for, auditadmin, org, owner) -> None:
    owner.roles.add(org.roles["risk_manager"])
    owner.real_name = "王业务二"
    owner.save()
    record = owner.history.first()
    response = client_for(auditadmin).get(reverse("audit:history-detail", args=["org.user", record.history_id]))
    assert response.status_code == 200
    changes = {c.field: (c.old, c.new) for c in response.context["changes"]}
    assert changes["real_name"] == ("王业务", "王业务二")
    assert "password" not in changes


def test_event_types_read_as_names_and_every_area_is_a_filter(client_for, auditadmin, owner, events) -> None:
    from danbao.audit import labels

    event_record("customer.created", actor=owner, object_type="customers.customer", object_id="7")
    client = client_for(auditadmin)
    page = client.get(reverse("audit:event-list")).content.decode()
    assert "登录失败" in page and "auth.login_failed" not in page  # named, code only in the optional column
    only_customers = client.get(reverse("audit:event-list"), {"type": "customer."}).content.decode()
    assert "新建客户" in only_customers and "登录失败" not in only_customers
    assert labels.group_of("customer.created") == "客户管理"
    detail = client.get(reverse("audit:event-detail", args=[events[1].pk])).content.decode()
    assert "登录失败" in detail and "auth.login_failed" in detail  # name and code on the detail page
    assert labels.label_of("nobody.named_this") == "nobody.named_this"
