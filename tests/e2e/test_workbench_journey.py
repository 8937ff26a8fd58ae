"""A business manager signs in, sees the workbench, switches to English and back; phone width too."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_signs_in_sees_workbench_and_switches_language(demo_org, login, page, live_server, shot) -> None:
    login("manager")
    expect(page.locator(".page-title")).to_contain_text("您好，王立业")
    expect(page.get_by_test_id("todo-card")).to_contain_text("我的待办")
    page.set_viewport_size({"width": 1360, "height": 820})
    shot("workbench-zh")

    page.get_by_test_id("lang-switch").click()
    expect(page.locator(".page-title")).to_contain_text("Hello, 王立业")
    expect(page.get_by_test_id("todo-card")).to_contain_text("My to-do list")
    shot("workbench-en")

    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("todo-card")).to_contain_text("我的待办")


def test_workbench_is_usable_at_phone_width(demo_org, login, page, live_server, shot) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login("sysadmin")
    expect(page.locator(".page-title")).to_be_visible()
    page.locator(".navbar-toggler").click()
    expect(page.locator("#sidebar-menu")).to_be_visible()
    shot("workbench-phone-menu")
    page.goto(f"{live_server.url}/org/users/")
    expect(page.get_by_test_id("list-table")).to_be_visible()
    shot("users-phone")


def test_wrong_password_shows_a_message_in_chinese(demo_org, login, page, shot) -> None:
    login("manager", "wrong-password")
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    shot("login-error")
