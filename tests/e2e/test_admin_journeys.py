"""The system administrator manages accounts; a new user must change the one-time password; lockout."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _select_by_text(select, text: str) -> None:
    """Choose the option whose label contains `text` (tree pickers indent their labels)."""
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value=value)


def _bench_users(count: int) -> None:
    from danbao.org.models import Department
    from danbao.org.tests.factories import UserFactory

    dept = Department.objects.get(code="BIZ2")
    for i in range(count):
        UserFactory(username=f"staff{i:02d}", real_name=f"员工{i:02d}", department=dept)


def test_sysadmin_filters_sorts_pages_and_exports_users_but_sees_no_business_or_audit_page(
    demo_org, login, page, live_server, shot
) -> None:
    _bench_users(30)
    login("sysadmin")
    page.goto(f"{live_server.url}/org/users/")
    expect(page.get_by_test_id("list-table")).to_be_visible()
    expect(page.get_by_test_id("list-count")).to_contain_text("共 52 条")
    shot("users-list")

    # Filter by department without a full reload (htmx swaps #list-region, the address bar follows).
    _select_by_text(page.get_by_test_id("filter-department"), "业务二部")
    expect(page.get_by_test_id("list-count")).to_contain_text("共 33 条")
    expect(page).to_have_url(re.compile(r"department=\d+"))

    # Search, then sort by real name descending.
    page.get_by_test_id("list-search").fill("员工")
    expect(page.get_by_test_id("list-count")).to_contain_text("共 30 条")
    page.get_by_test_id("sort-real_name").click()
    expect(page).to_have_url(re.compile(r"sort=real_name"))
    expect(page.locator("[data-testid=list-table] tbody tr").first).to_contain_text("员工00")
    page.get_by_test_id("sort-real_name").click()
    expect(page).to_have_url(re.compile(r"sort=-real_name"))
    expect(page.locator("[data-testid=list-table] tbody tr").first).to_contain_text("员工29")

    # Next page keeps filter and sort.
    page.get_by_test_id("page-next").click()
    expect(page.get_by_test_id("page-current")).to_have_text("2 / 2")
    expect(page.locator("[data-testid=list-table] tbody tr").first).to_contain_text("员工09")
    shot("users-list-filtered-page2")

    # Export the filtered rows as Excel.
    with page.expect_download() as download_info:
        page.get_by_test_id("list-export").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    with open(download.path(), "rb") as fh:
        rows = list(load_workbook(BytesIO(fh.read())).active.iter_rows(values_only=True))
    usernames = {row[0] for row in rows[1:] if row and row[0] and str(row[0]).startswith("staff")}
    assert len(usernames) == 30

    # The system administrator may not read the audit log.
    response = page.goto(f"{live_server.url}/audit/events/")
    assert response.status == 403
    expect(page.locator("body")).to_contain_text("无权访问")
    shot("sysadmin-audit-403")


def test_admin_creates_user_who_must_change_password_at_first_login(demo_org, login, page, live_server, shot) -> None:
    login("sysadmin")
    page.goto(f"{live_server.url}/org/users/new/")
    page.fill("input[name=username]", "newstaff")
    page.fill("input[name=real_name]", "新员工")
    page.fill("input[name=employee_no]", "E9001")
    page.fill("input[name=mobile]", "13900009001")
    _select_by_text(page.locator("select[name=department]"), "业务一部")
    shot("user-create-form")
    page.get_by_test_id("save").click()
    one_time = page.get_by_test_id("one-time-password").inner_text().strip()
    assert len(one_time) >= 12
    shot("user-created-one-time-password")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()

    login("newstaff", one_time)
    expect(page.get_by_test_id("password-change-form")).to_be_visible()
    shot("forced-password-change")
    # Going elsewhere is not possible before the change.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("password-change-form")).to_be_visible()

    page.fill("input[name=old_password]", one_time)
    page.fill("input[name=new_password1]", "abc12345")
    page.fill("input[name=new_password2]", "abc12345")
    page.get_by_test_id("password-change-submit").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    shot("password-policy-error")

    page.fill("input[name=old_password]", one_time)
    page.fill("input[name=new_password1]", "Gd-Danbao-2026!")
    page.fill("input[name=new_password2]", "Gd-Danbao-2026!")
    page.get_by_test_id("password-change-submit").click()
    expect(page.get_by_test_id("password-change-form")).to_have_count(0)
    page.goto(f"{live_server.url}/")
    expect(page.locator(".page-title")).to_contain_text("您好，新员工")
    shot("new-user-workbench")


def test_five_failed_logins_lock_the_account(demo_org, login, page, shot) -> None:
    for _ in range(5):
        login("manager2", "Wrong-Password-1")
    login("manager2")  # the correct password is refused while locked
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    expect(page.get_by_test_id("locked-out")).to_contain_text("锁定")
    shot("login-locked-out")
