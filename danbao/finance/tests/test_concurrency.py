"""Races on PostgreSQL: a double submit with one idempotency key records one receipt; two receipts
racing for the same receivable never pay it twice."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import close_old_connections, connection

from danbao.core.errors import DomainError
from danbao.finance import services
from danbao.finance.models import Receipt, Receivable
from danbao.finance.tests.support import pay


def _race(calls: list[Any]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Any) -> None:
        try:
            barrier.wait(timeout=10)
            receipt = call()
            outcomes.append(f"ok:{receipt.pk}")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_double_submit_records_one_receipt(project: Any, clerk: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    services.fee_schedule_create(actor=clerk, project=project, issue_date=dt.date(2026, 1, 10))
    first = Receivable.objects.get(project=project, kind="guarantee_fee", instalment=1)
    outcomes = _race([lambda: pay(clerk, project, {first.pk: "15000"}, key="same-key")] * 2)
    assert len(outcomes) == 2 and len(set(outcomes)) == 1 and outcomes[0].startswith("ok:")  # both answered with the one receipt
    assert Receipt.objects.count() == 1
    first.refresh_from_db()
    assert first.paid_amount == 15000 and first.state == "paid"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_receipts_never_overpay(project: Any, clerk: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    services.fee_schedule_create(actor=clerk, project=project, issue_date=dt.date(2026, 1, 10))
    first = Receivable.objects.get(project=project, kind="guarantee_fee", instalment=1)
    outcomes = _race([lambda: pay(clerk, project, {first.pk: "15000"}, key="a"), lambda: pay(clerk, project, {first.pk: "15000"}, key="b")])
    assert sorted(o.split(":")[0] for o in outcomes) == ["finance.allocation_closed", "ok"]
    assert Receipt.objects.count() == 1
