"""Demo step 95: drafts for projects in due diligence, confirmed history for projects past it; idempotent."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.db import transaction

from danbao.diligence import demo, selectors
from danbao.diligence.models import DiligenceReport, ReportState

pytestmark = pytest.mark.django_db


def test_without_projects_it_skips(org: Any) -> None:
    assert "skipped" in demo.seed()


def test_reports_for_demo_projects(project: Any, dd_world: dict[str, Any], owner: Any, b_manager: Any) -> None:
    from danbao.projects import services as project_services

    # A second project handed to risk review (the projects app does not yet ask for diligence).
    second = project_services.project_intake(
        actor=owner,
        customer=dd_world["customer"],
        product=dd_world["product"],
        amount=D("2000000"),
        term_months=12,
        purpose="扩大生产",
        repayment_method="interest_monthly",
        bank=dd_world["bank"],
        manager_a=owner,
        manager_b=b_manager,
    )
    project_services.project_diligence_start(actor=owner, project=second)
    project_services.project_review_submit(actor=owner, project=second)

    # seed_demo runs every step inside one transaction: the step must not open durable blocks.
    with transaction.atomic():
        assert demo.seed() == "1 confirmed reports, 1 drafts"
    draft = DiligenceReport.objects.get(project=project)
    assert draft.state == ReportState.DRAFT and draft.company_basics
    confirmed = DiligenceReport.objects.get(project=second)
    assert confirmed.state == ReportState.CONFIRMED and confirmed.a_signed_by == owner and confirmed.b_confirmed_by == b_manager
    assert confirmed.a_signed_at < confirmed.b_confirmed_at
    second.refresh_from_db()
    assert selectors.readiness(second) == []  # materials waived, a visit, both signatures
    with transaction.atomic():
        assert demo.seed() == "0 confirmed reports, 0 drafts"  # idempotent
    assert DiligenceReport.objects.count() == 2
