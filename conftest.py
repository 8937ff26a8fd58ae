"""Root fixtures: a small organisation and its cast of users (STYLE.md "Tests").

Head office with business department A and B, a risk department; owner and colleague in A, an
outsider in B, a risk manager, A's department head, the three administrators, and a user with no role.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + ORM (STACK.md trap 6)

# Transactional tests must be able to flush the append-only audit table (see the plugin's docstring).
pytest_plugins = ["danbao.audit.tests.plugin"]


@dataclass
class Org:
    head_office: Any
    dept_a: Any
    dept_b: Any
    risk_dept: Any
    roles: dict[str, Any]


@pytest.fixture
def org(db: Any) -> Org:
    from danbao.org.roles import ensure_builtin_roles
    from danbao.org.tests.factories import make_department

    head = make_department("HQ", "总部", kind="head_office")
    dept_a = make_department("BIZ1", "业务一部", head)
    dept_b = make_department("BIZ2", "业务二部", head)
    risk = make_department("RISK", "风险管理部", head)
    return Org(head, dept_a, dept_b, risk, ensure_builtin_roles())


def _user(org: Org, username: str, dept: Any, *roles: str, **extra: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username=username, department=dept, roles=[org.roles[r] for r in roles], **extra)


@pytest.fixture
def owner(org: Org) -> Any:
    return _user(org, "owner", org.dept_a, "business_manager", real_name="王业务")


@pytest.fixture
def colleague(org: Org) -> Any:
    return _user(org, "colleague", org.dept_a, "business_manager", real_name="李同事")


@pytest.fixture
def outsider(org: Org) -> Any:
    return _user(org, "outsider", org.dept_b, "business_manager", real_name="赵外部")


@pytest.fixture
def risk_manager(org: Org) -> Any:
    return _user(org, "risk", org.risk_dept, "risk_manager", real_name="钱风险")


@pytest.fixture
def dept_head(org: Org) -> Any:
    return _user(org, "depthead", org.dept_a, "dept_head", real_name="孙部长")


@pytest.fixture
def sysadmin(org: Org) -> Any:
    return _user(org, "sysadmin", org.head_office, "sysadmin", real_name="周系统")


@pytest.fixture
def secadmin(org: Org) -> Any:
    return _user(org, "secadmin", org.head_office, "secadmin", real_name="吴安全")


@pytest.fixture
def auditadmin(org: Org) -> Any:
    return _user(org, "auditadmin", org.head_office, "auditadmin", real_name="郑审计")


@pytest.fixture
def nobody(org: Org) -> Any:
    """Signed-in user with no role at all (expects 403 on every permission-gated page)."""
    return _user(org, "nobody", org.dept_a, real_name="冯无权")


@pytest.fixture
def client_for(client: Any) -> Any:
    """client_for(user) -> a test client signed in as `user`."""

    def login(user: Any) -> Any:
        from django.utils import timezone

        from danbao.core import stepup

        client.force_login(user)
        # As after a real sign-in: the password was just entered (step-up window, SECURITY A.18).
        session = client.session
        session[stepup.SESSION_KEY] = timezone.now().timestamp()
        session.save()
        return client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Playwright drives Debian's Chromium; it never downloads a browser (STACK.md §4)."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    }


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    """Tests run with DEBUG off: serve static files from the finders, no manifest needed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
