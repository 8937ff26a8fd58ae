"""The demo step on a small world: runs, and a second run does not redo what the first did."""

from __future__ import annotations

from typing import Any

import pytest

from danbao.risk import demo
from danbao.risk.models import Classification, Warning, WarningLog

pytestmark = pytest.mark.django_db


def test_demo_step_idempotent(guarantee: Any, risk_manager: Any, gm: Any) -> None:
    first = demo.run()
    assert first.startswith("risk:")
    counts = (Warning.objects.count(), Classification.objects.count(), WarningLog.objects.count())
    demo.run()
    assert (Warning.objects.count(), Classification.objects.count(), WarningLog.objects.count()) == counts
