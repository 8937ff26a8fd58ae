"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Screenshots go to var/screenshots/ (look at them after a run). The demo organisation is
loaded through the same seed step `make run` uses, so the journeys use the documented logins.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "Demo#2026"

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if shutil.which(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")) is None:
        skip = pytest.mark.skip(reason="Debian chromium is not installed (scripts/install_system_packages.sh)")
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture
def demo_org(transactional_db: Any) -> None:
    from danbao.core import demo

    demo.run_all(below=90)  # everything but the ~350 demo projects and what is built on them


@pytest.fixture
def shot(page: Any) -> Any:
    """shot("name") saves a full-page screenshot of the current page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page: Any, live_server: Any) -> Any:
    """login("manager") signs in through the real login form and waits for the workbench."""

    def sign_in(username: str, password: str = PASSWORD) -> Any:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("[data-testid=login-submit]")
        return page

    return sign_in
