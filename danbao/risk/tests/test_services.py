"""Warning handling: lifecycle, note required to close, permission, logged."""

from __future__ import annotations

from typing import Any

import pytest

from danbao.core.errors import DomainError
from danbao.ledger.models import Guarantee
from danbao.risk import engine, services
from danbao.risk.models import Warning, WarningLog, WarningState
from danbao.risk.tests.support import dpd_date

pytestmark = pytest.mark.django_db


def test_handle_lifecycle(guarantee: Guarantee, risk_manager: Any, dept_head: Any) -> None:
    engine.warnings_run(dpd_date(guarantee, 40))
    w = Warning.objects.get(guarantee=guarantee, rule_code="dpd")
    with pytest.raises(DomainError):
        services.warning_handle(actor=dept_head, warning=w, action="acknowledge")
    services.warning_handle(actor=risk_manager, warning=w, action="acknowledge")
    services.warning_handle(actor=risk_manager, warning=w, action="act", note="已电话催收")
    with pytest.raises(DomainError) as e:
        services.warning_handle(actor=risk_manager, warning=w, action="close", note=" ")
    assert e.value.code == "risk.note_required"
    w = services.warning_handle(actor=risk_manager, warning=w, action="close", note="客户已还款")
    assert w.state == WarningState.CLOSED and not w.auto_closed
    assert list(WarningLog.objects.filter(warning=w, actor=risk_manager).values_list("action", flat=True)) == [
        "acknowledge",
        "act",
        "close",
    ]
    with pytest.raises(DomainError):
        services.warning_handle(actor=risk_manager, warning=w, action="note", note="x")
