"""Data scope proof (SECURITY B.21): a user of department B cannot list, open, edit, export or reach by a
guessed URL a record of department A — 404, nothing leaked. Uses the test-only app tests/scopeapp,
whose views are built only with core.listing and org.scope."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danbao.audit.models import AuditEvent
from danbao.org.models import Role
from danbao.org.tests.factories import UserFactory, make_department
from tests.scopeapp.models import Record

pytestmark = pytest.mark.urls("tests.scopeapp.urls")


@pytest.fixture
def records(org, owner, colleague, outsider):
    return {
        "owner_a": Record.objects.create(title="甲部记录-本人", department=org.dept_a, owner=owner),
        "colleague_a": Record.objects.create(title="甲部记录-同事", department=org.dept_a, owner=colleague),
        "outsider_b": Record.objects.create(title="乙部记录", department=org.dept_b, owner=outsider),
    }


def listed(client, **params):
    response = client.get(reverse("scopeapp:list"), params)
    assert response.status_code == 200
    return sorted(row["object"].title for row in response.context["list"].rows)


def exported(client, **params):
    response = client.get(reverse("scopeapp:export"), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    return sorted(row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value and row[1].value)


def test_owner_sees_own_rows_and_department_head_the_department(client_for, records, owner, dept_head) -> None:
    assert listed(client_for(owner)) == ["甲部记录-本人"]
    assert listed(client_for(dept_head)) == ["甲部记录-同事", "甲部记录-本人"]


def test_outsider_cannot_open_edit_list_or_export_a_record_of_another_department(client_for, records, outsider) -> None:
    client = client_for(outsider)
    target = records["owner_a"]
    for url in (reverse("scopeapp:detail", args=[target.pk]), reverse("scopeapp:edit", args=[target.pk])):
        response = client.get(url)
        assert response.status_code == 404
        assert target.title not in response.content.decode()
    response = client.post(reverse("scopeapp:edit", args=[target.pk]), {"title": "被篡改"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.title == "甲部记录-本人"
    assert listed(client) == ["乙部记录"]
    assert exported(client) == ["乙部记录"]
    # A guessed id that does not exist answers exactly the same.
    assert client.get(reverse("scopeapp:detail", args=[987654])).status_code == 404


@pytest.mark.parametrize("params", [{"department": "DEPT_A"}, {"scope": "all"}, {"department": "DEPT_A", "scope": "all"}, {"q": "甲部"}])
def test_query_parameters_cannot_widen_the_scope(client_for, records, outsider, org, params) -> None:
    params = {k: (org.dept_a.pk if v == "DEPT_A" else v) for k, v in params.items()}
    client = client_for(outsider)
    assert not any("甲部" in title for title in listed(client, **params))
    assert not any("甲部" in title for title in exported(client, **params))


def test_scope_404_is_audited(client_for, records, outsider) -> None:
    target = records["colleague_a"]
    client_for(outsider).get(reverse("scopeapp:detail", args=[target.pk]))
    event = AuditEvent.objects.filter(event_type="access.not_found").get()
    assert (event.actor_username, event.object_type, event.object_id, event.result) == (
        "outsider",
        "scopeapp.Record",
        str(target.pk),
        "failure",
    )


def test_owner_can_edit_own_record(client_for, records, owner) -> None:
    target = records["owner_a"]
    assert client_for(owner).post(reverse("scopeapp:edit", args=[target.pk]), {"title": "已更新"}).status_code == 302
    target.refresh_from_db()
    assert target.title == "已更新"


@pytest.mark.parametrize(
    "data_scope, expected",
    [
        ("all", {"a", "team", "b", "own"}),
        ("dept_and_below", {"a", "team", "own"}),
        ("dept", {"a", "own"}),
        ("self", {"own"}),
        ("custom", {"b", "own"}),
    ],
)
def test_each_data_scope_gives_its_rows(client_for, org, data_scope, expected) -> None:
    team = make_department("TEAM", "甲部一组", org.dept_a)
    someone = UserFactory(username="someone", department=org.head_office)
    role = Role.objects.create(code=f"r_{data_scope}", name=data_scope, data_scope=data_scope, permissions=["workbench.view"])
    if data_scope == "custom":
        role.custom_departments.set([org.dept_b])
    user = UserFactory(username="tested", department=org.dept_a, roles=[role])
    rows = {
        "a": Record.objects.create(title="a", department=org.dept_a, owner=someone),
        "team": Record.objects.create(title="team", department=team, owner=someone),
        "b": Record.objects.create(title="b", department=org.dept_b, owner=someone),
        "own": Record.objects.create(title="own", department=org.dept_b, owner=user),
    }
    client = client_for(user)
    assert set(listed(client)) == expected
    for key, record in rows.items():
        status = client.get(reverse("scopeapp:detail", args=[record.pk])).status_code
        assert status == (200 if key in expected else 404), key


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_see_no_business_data(request, client_for, records, admin) -> None:
    client = client_for(request.getfixturevalue(admin))
    assert listed(client) == []
    assert exported(client) == []
    assert client.get(reverse("scopeapp:detail", args=[records["owner_a"].pk])).status_code == 404


def test_list_query_count_does_not_grow_with_rows(client_for, org, dept_head) -> None:
    owners = [UserFactory(username=f"o{i}", department=org.dept_a) for i in range(5)]

    def count_queries(n: int) -> int:
        Record.objects.all().delete()
        for i in range(n):
            Record.objects.create(title=f"r{i:03d}", department=org.dept_a, owner=owners[i % 5])
        client = client_for(dept_head)
        client.get(reverse("scopeapp:list"), {"size": 50})  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("scopeapp:list"), {"size": 50})
        assert len(response.context["list"].rows) == n
        return len(ctx.captured_queries)

    assert count_queries(5) == count_queries(50)
