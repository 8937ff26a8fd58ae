"""The demo step: realistic measures for approved demo projects, idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from danbao.securities.models import Collateral, Measure, MeasureState

pytestmark = pytest.mark.django_db


def test_demo_creates_measures_and_is_idempotent(approved: Any, owner: Any, archivist: Any) -> None:
    from danbao.projects.demo import DEMO_NOTE
    from danbao.projects.models import Project
    from danbao.securities.demo import seed

    Project.objects.filter(pk=approved.pk).update(note=f"{DEMO_NOTE} 测试")
    with transaction.atomic():
        first = seed()
    assert "measures" in first, first
    measures = Measure.objects.filter(project=approved)
    assert measures.count() >= 3  # two personal guarantees, a mortgage and a pledge (index 0)
    assert measures.filter(state=MeasureState.FULFILLED).count() == measures.count()
    assert Collateral.objects.filter(type="real_estate").exists() and Collateral.objects.filter(type="receivable").exists()
    assert all(c.custody.exists() for c in Collateral.objects.filter(type="real_estate"))  # the archivist's register
    count = Measure.objects.count()
    with transaction.atomic():
        second = seed()
    assert Measure.objects.count() == count and "nothing to do" in second
