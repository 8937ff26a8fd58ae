"""Classification: dpd floors (hypothesis: never milder than the floor), suggestion run, maker-checker,
the monitoring plan follows."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danbao.core.errors import DomainError
from danbao.ledger.models import Guarantee
from danbao.monitoring.selectors import current_class
from danbao.risk import classification as cls
from danbao.risk import engine, parameters
from danbao.risk.models import Classification, ClassState
from danbao.risk.tests.support import dpd_date

FLOORS = parameters.DEFAULTS[parameters.CLASS_DPD_FLOORS]


@pytest.mark.parametrize(
    ("days", "code"), [(0, "01"), (1, "02"), (90, "02"), (91, "03"), (270, "03"), (271, "04"), (360, "04"), (361, "05")]
)
def test_dpd_floor_thresholds(days: int, code: str) -> None:
    assert cls.dpd_floor(days, FLOORS) == code


@given(days=st.integers(0, 2000), judged=st.sampled_from(cls.CLASSES))
def test_final_never_milder_than_floor(days: int, judged: str) -> None:
    floor = cls.dpd_floor(days, FLOORS)
    assert cls.worse(judged, floor) >= floor
    assert cls.dpd_floor(days + 1, FLOORS) >= floor


@pytest.mark.django_db
def test_suggest_propose_check_replans(guarantee: Guarantee, risk_manager: Any, gm: Any) -> None:
    on = dpd_date(guarantee, 95)
    engine.warnings_run(on)
    assert cls.suggestions_run(on) == 1
    assert cls.suggestions_run(on) == 0  # idempotent
    c = Classification.objects.get(guarantee=guarantee, state=ClassState.SUGGESTED)
    assert c.floor_class == "03" and c.suggested_class == "03" and c.reasons
    with pytest.raises(DomainError) as e:
        cls.classification_propose(actor=risk_manager, classification=c, risk_class="02", reason="判断")
    assert e.value.code == "risk.below_floor"
    cls.classification_propose(actor=risk_manager, classification=c, risk_class="03", reason="逾期超过90天")
    with pytest.raises(DomainError) as e:
        cls.classification_propose(actor=risk_manager, classification=c, risk_class="03", reason="again")
    with pytest.raises(DomainError) as e:
        cls.classification_check(actor=risk_manager, classification=c, approve=True)
    assert e.value.code == "risk.same_person"
    assert current_class(guarantee) == "01"
    c = cls.classification_check(actor=gm, classification=c, approve=True)
    assert c.state == ClassState.EFFECTIVE and c.final_class == "03"
    assert current_class(guarantee) == "03"


@pytest.mark.django_db
def test_owner_cannot_classify(guarantee: Guarantee, owner: Any) -> None:
    on = dpd_date(guarantee, 5)
    cls.suggestions_run(on)
    c = Classification.objects.get(guarantee=guarantee)
    with pytest.raises(DomainError):
        cls.classification_propose(actor=owner, classification=c, risk_class="02", reason="x")
    assert Classification.objects.get(pk=c.pk).state == ClassState.SUGGESTED
