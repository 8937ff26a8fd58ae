"""The reusable list machinery: search, filters, whitelisted sorting, paging, columns, export."""

import io

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from danbao.audit.models import AuditEvent
from danbao.core.listing import Column, Filter, ListSpec, build_state, export_xlsx, filtered_queryset
from danbao.org.models import User
from danbao.org.tests.factories import UserFactory

SPEC = ListSpec(
    name="test-users",
    columns=[
        Column("username", "Login", sort_field="username"),
        Column("real_name", "Name", sort_field="real_name"),
        Column("department__name", "Department", sort_field="department__name"),
        Column("email", "E-mail", default=False),
    ],
    filters=[Filter("active", "Active", "is_active", [("True", "yes"), ("False", "no")])],
    search_fields=["username", "real_name"],
    default_sort="username",
    select_related=["department"],
    export_name="Users",
)


def _request(user, **params):
    request = RequestFactory().get("/list/", params)
    request.user = user
    request.session = SessionStore()
    request.request_id = "test-request"
    return request


@pytest.fixture
def many_users(org):
    return [UserFactory(username=f"u{i:03d}", department=org.dept_a, real_name=f"用户{i}") for i in range(30)]


def test_search_matches_name_or_login(sysadmin, many_users) -> None:
    qs, params = filtered_queryset(_request(sysadmin, q="用户1"), SPEC, User.objects.all())
    assert params["q"] == "用户1"
    assert {u.real_name for u in qs} == {f"用户{i}" for i in (1, *range(10, 20))}


def test_filter_values_outside_the_choices_are_ignored(sysadmin, many_users) -> None:
    many_users[0].is_active = False
    many_users[0].save()
    qs, params = filtered_queryset(_request(sysadmin, active="False"), SPEC, User.objects.all())
    assert list(qs) == [many_users[0]]
    qs, params = filtered_queryset(_request(sysadmin, active="1 OR 1=1"), SPEC, User.objects.all())
    assert params["filters"] == {}
    assert qs.count() == User.objects.count()


def test_sorting_only_by_declared_columns(sysadmin, many_users) -> None:
    qs, params = filtered_queryset(_request(sysadmin, sort="-username"), SPEC, User.objects.all())
    assert params["sort"] == "-username"
    assert qs[0].username == "u029"
    qs, params = filtered_queryset(_request(sysadmin, sort="password"), SPEC, User.objects.all())
    assert params["sort"] == ""  # not a column: falls back to the default order
    assert [u.username for u in qs[:2]] == ["sysadmin", "u000"]


def test_pages_and_page_size_are_bounded(sysadmin, many_users) -> None:
    state = build_state(_request(sysadmin, size="100000", page="2"), SPEC, User.objects.all())
    assert state.page_size == 20
    assert state.page.number == 2
    state = build_state(_request(sysadmin, size="10", page="999"), SPEC, User.objects.all())
    assert state.page.number == state.page.paginator.num_pages


def test_column_chooser_is_remembered_in_the_session(sysadmin, many_users) -> None:
    request = _request(sysadmin, cols=["username", "email"])
    state = build_state(request, SPEC, User.objects.all())
    assert [c.key for c in state.columns] == ["username", "email"]
    later = _request(sysadmin)
    later.session = request.session
    assert [c.key for c in build_state(later, SPEC, User.objects.all()).columns] == ["username", "email"]


def test_query_count_does_not_grow_with_rows(sysadmin, org) -> None:
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as ctx:
            state = build_state(_request(sysadmin), SPEC, User.objects.all())
            [cell["text"] for row in state.rows for cell in row["cells"]]
        return len(ctx.captured_queries)

    UserFactory.create_batch(3, department=org.dept_a)
    few = queries_for_page()
    UserFactory.create_batch(40, department=org.dept_b)
    assert queries_for_page() == few


def test_export_contains_filtered_rows_neutralises_formulas_and_is_logged(sysadmin, org) -> None:
    UserFactory(username="evil", real_name='=HYPERLINK("http://x")', department=org.dept_a)
    UserFactory(username="plain", real_name="普通", department=org.dept_a)
    response = export_xlsx(_request(sysadmin, q="evil"), SPEC, User.objects.all())
    assert response["Content-Disposition"].startswith('attachment; filename="test-users-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Login", "Name", "Department")
    assert rows[1][0] == "evil"
    assert rows[1][1].startswith("'=")
    assert all(row[0] != "plain" for row in rows)
    event = AuditEvent.objects.get(event_type="data.export")
    assert event.actor_username == "sysadmin"
    assert event.data["rows"] == 1
    assert event.object_type == "test-users"
