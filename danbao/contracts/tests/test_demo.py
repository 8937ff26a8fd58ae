"""The demo step: entrusted and guarantee contracts for approved demo projects, most signed with a
generated scan, dated after the approval; idempotent; registered at order 100."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from danbao.contracts import demo, selectors
from danbao.contracts.models import Contract
from danbao.core import demo as core_demo
from danbao.projects.demo import DEMO_NOTE
from danbao.projects.models import Project

pytestmark = pytest.mark.django_db


def test_registered_after_the_projects() -> None:
    step = core_demo.steps.get("contracts")
    assert step.order == 100
    assert all(s.order < 100 for s in core_demo.steps if s.key.startswith("projects"))


def test_seed_generates_and_signs_idempotently(approved: Any, world: Any, owner: Any, b_manager: Any) -> None:
    from danbao.projects.tests.support import intake

    Project.objects.filter(pk=approved.pk).update(note=DEMO_NOTE + " 演示项目")
    not_demo = intake(world, owner, b_manager)  # not approved, not demo: untouched
    with transaction.atomic():  # seed_demo runs every step inside one transaction
        summary = demo.seed()
    assert "2 generated" in summary
    contracts = list(Contract.objects.filter(project=approved))
    assert sorted(c.kind for c in contracts) == ["entrusted", "guarantee"]
    assert not Contract.objects.filter(project=not_demo).exists()
    for contract in contracts:
        assert contract.generated_by == approved.manager_a and contract.generated_at >= approved.approved_at
        if contract.state == "signed":
            assert selectors.has_scan(contract) and contract.signed_on >= contract.generated_at.date()
    with transaction.atomic():
        assert "0 generated" in demo.seed()
    assert Contract.objects.count() == 2


def test_scan_pdf_is_a_pdf() -> None:
    data = demo.scan_pdf("WTBZ2026-0001").read()
    assert data.startswith(b"%PDF-1.4") and b"WTBZ2026-0001" in data and data.rstrip().endswith(b"%%EOF")
