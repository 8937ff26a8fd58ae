"""Demo step "regulatory": twelve months through the service, idempotent, plausible figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from danbao.core import demo as demo_registry
from danbao.regulatory import demo
from danbao.regulatory.metrics import metrics_on
from danbao.regulatory.models import FinanceInput

pytestmark = pytest.mark.django_db


def test_demo_step_is_registered_at_order_50() -> None:
    assert demo_registry.steps.get("regulatory").order == 50


def test_twelve_months_then_nothing(finance, catalogue) -> None:
    first = demo.seed(today=date(2026, 11, 29))
    assert first == "12 months of finance figures created, 0 already present"
    assert demo.seed(today=date(2026, 11, 29)) == "0 months of finance figures created, 12 already present"
    periods = list(FinanceInput.objects.order_by("period").values_list("period", flat=True))
    assert periods[0] == date(2025, 11, 1) and periods[-1] == date(2026, 10, 1)
    latest = FinanceInput.objects.get(period=date(2026, 10, 1))
    assert Decimal(580_000_000) < latest.net_assets_amount < Decimal(620_000_000)
    report = metrics_on(date(2026, 10, 31))
    assert report.assets.i_plus_ii_ok and report.assets.i_ok and report.assets.iii_ok and report.assets.unclassified == 0
    assert report.rate_rows[0].value is not None


def test_skipped_without_the_demo_finance_user(catalogue) -> None:
    assert demo.seed().startswith("skipped")
