"""The holiday table: services, the cached day source of core.calendar, and the calendar page."""

from datetime import date

import pytest
from django.urls import reverse

from danbao.core import calendar
from danbao.core.errors import DomainError
from danbao.system.models import CalendarDay, CalendarYear
from danbao.system.services import calendar as services
from danbao.system.tests.conftest import events

pytestmark = pytest.mark.django_db


def test_a_2027_holiday_in_the_table_is_honoured_and_audited(sysadmin) -> None:
    assert calendar.is_workday(date(2027, 10, 1))  # weekday fallback, cached
    entry = services.calendar_day_create(actor=sysadmin, day=date(2027, 10, 1), kind="holiday", name="国庆节")
    assert not calendar.is_workday(date(2027, 10, 1))  # cache invalidated on save
    event = events("system.calendar_changed")[-1]
    assert event.data["after"]["date"] == "2027-10-01" and event.data["before"] is None
    services.calendar_day_delete(actor=sysadmin, entry=entry)
    assert calendar.is_workday(date(2027, 10, 1))
    assert events("system.calendar_changed")[-1].data["action"] == "delete"
    assert entry.history.count() == 2  # created and deleted


def test_make_up_working_day_on_a_weekend(sysadmin) -> None:
    services.calendar_day_create(actor=sysadmin, day=date(2027, 9, 26), kind="workday", name="国庆节调休上班")
    assert calendar.is_workday(date(2027, 9, 26))


@pytest.mark.parametrize(("day", "kind"), [(date(2027, 10, 2), "holiday"), (date(2027, 10, 4), "workday")])
def test_an_entry_that_changes_nothing_is_refused(sysadmin, day, kind) -> None:
    with pytest.raises(DomainError) as exc:
        services.calendar_day_create(actor=sysadmin, day=day, kind=kind)
    assert exc.value.code == "system.calendar_entry_not_needed"


def test_duplicate_date_and_permission_are_refused(sysadmin, owner) -> None:
    services.calendar_day_create(actor=sysadmin, day=date(2027, 10, 1), kind="holiday")
    with pytest.raises(DomainError) as exc:
        services.calendar_day_create(actor=sysadmin, day=date(2027, 10, 1), kind="holiday")
    assert exc.value.code == "system.calendar_day_exists"
    with pytest.raises(DomainError) as exc:
        services.calendar_day_create(actor=owner, day=date(2027, 10, 4), kind="holiday")
    assert exc.value.code == "system.permission_denied"


def test_import_a_year_from_the_package_is_idempotent(sysadmin) -> None:
    added = services.calendar_import_year(actor=sysadmin, year=2026)
    assert added > 10
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarYear.objects.get(year=2026).maintained
    assert calendar.coverage(2026) == "table"
    assert services.calendar_import_year(actor=sysadmin, year=2026) == 0
    with calendar.day_sources():
        package_answers = [calendar.is_workday(date(2026, 1, 1).replace(month=m, day=d)) for m in range(1, 13) for d in (1, 5, 15, 28)]
    table_answers = [calendar.is_workday(date(2026, 1, 1).replace(month=m, day=d)) for m in range(1, 13) for d in (1, 5, 15, 28)]
    assert table_answers == package_answers


def test_import_of_an_unknown_year_is_refused(sysadmin) -> None:
    with pytest.raises(DomainError) as exc:
        services.calendar_import_year(actor=sysadmin, year=2027)
    assert exc.value.code == "system.calendar_package_unknown_year"


def test_marking_a_year_maintained_makes_the_table_authoritative(sysadmin) -> None:
    services.calendar_day_create(actor=sysadmin, day=date(2027, 10, 1), kind="holiday")
    assert calendar.coverage(2027) == "weekdays"
    services.calendar_year_set(actor=sysadmin, year=2027, maintained=True)
    assert calendar.coverage(2027) == "table"


# --- page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("sysadmin", 200), ("owner", 403), ("secadmin", 403), ("nobody", 403)])
def test_calendar_page_permission(request, client_for, who, status) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("system:calendar")).status_code == status


def test_calendar_page_warns_when_next_year_falls_back(client_for, sysadmin, time_machine) -> None:
    time_machine.move_to("2026-11-29 10:00+08:00")
    response = client_for(sysadmin).get(reverse("system:calendar"), {"year": 2026, "month": 10})
    html = response.content.decode()
    assert "2027 年节假日安排尚未维护，按周一至周五计算工作日" in html
    assert 'data-testid="day-2026-10-01" data-workday="0"' in html
    assert 'data-testid="day-2026-10-09" data-workday="1"' in html


def test_calendar_page_add_edit_delete_flow(client_for, sysadmin) -> None:
    client = client_for(sysadmin)
    response = client.post(reverse("system:calendar-day-add"), {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}, follow=True)
    assert "已加入节假日表" in response.content.decode()
    entry = CalendarDay.objects.get(date=date(2027, 10, 1))
    response = client.post(reverse("system:calendar-day-edit", args=[entry.pk]), {"kind": "holiday", "name": "国庆节假期"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "国庆节假期"
    client.post(reverse("system:calendar-day-delete", args=[entry.pk]))
    assert not CalendarDay.objects.exists()
    assert [e.data["action"] for e in events("system.calendar_changed")] == ["create", "update", "delete"]
    assert client.get(reverse("system:calendar-day-edit", args=[entry.pk])).status_code == 404


def test_calendar_page_import_button_and_calculator(client_for, sysadmin) -> None:
    client = client_for(sysadmin)
    response = client.post(reverse("system:calendar-import"), {"year": 2026}, follow=True)
    assert "已从节假日程序包导入" in response.content.decode()
    response = client.get(reverse("system:calendar"), {"year": 2026, "start": "2026-09-30", "days": 1})
    assert "2026-10-08" in response.content.decode().split('data-testid="calculator-result"')[1][:300]
