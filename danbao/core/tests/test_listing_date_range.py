"""core.listing DateRange: inclusive local-date bounds, kept in the query string, bad input ignored."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from danbao.core.listing import Column, DateRange, ListSpec, build_state, filtered_queryset

User = get_user_model()  # core sits below org: the user model is reached through Django

SPEC = ListSpec(
    name="test-date-range",
    columns=[Column("username", "Login", sort_field="username")],
    date_ranges=[DateRange("joined", "Joined", "date_joined")],
    default_sort="username",
)


def _request(user, **params):
    request = RequestFactory().get("/list/", params)
    request.user = user
    request.session = SessionStore()
    return request


def test_date_range_bounds_are_inclusive_local_days(sysadmin) -> None:
    zone = timezone.get_current_timezone()
    User.objects.create(username="a", date_joined=datetime(2026, 3, 31, 23, 59, tzinfo=zone))
    User.objects.create(username="b", date_joined=datetime(2026, 4, 1, 0, 0, tzinfo=zone))
    qs, params = filtered_queryset(_request(sysadmin, joined_from="2026-03-31", joined_to="2026-03-31"), SPEC, User.objects.all())
    assert [u.username for u in qs] == ["a"]
    assert params["filters"] == {"joined_from": "2026-03-31", "joined_to": "2026-03-31"}
    qs, _params = filtered_queryset(_request(sysadmin, joined_from="2026-04-01"), SPEC, User.objects.filter(username__in=["a", "b"]))
    assert [u.username for u in qs] == ["b"]


def test_bad_dates_are_ignored_and_state_keeps_the_range(sysadmin) -> None:
    qs, params = filtered_queryset(_request(sysadmin, joined_from="2026-13-01", joined_to="x"), SPEC, User.objects.all())
    assert params["filters"] == {}
    state = build_state(_request(sysadmin, joined_from="2026-01-01"), SPEC, User.objects.all())
    assert state.date_ranges == [{"key": "joined", "label": "Joined", "start": "2026-01-01", "end": ""}]
    assert "joined_from=2026-01-01" in state.querystring


def test_date_fields_use_plain_dates() -> None:
    rng = DateRange("d", "D", "some_date", is_datetime=False)
    assert rng.parse("2026-02-03") == date(2026, 2, 3)
    assert rng.parse("") is None
