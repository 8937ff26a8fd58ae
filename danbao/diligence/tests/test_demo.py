"""The demo hooks the projects demo calls: a draft when due diligence starts; before risk review a
report signed by A and confirmed by B, materials waived and a visit, timed after the start — and a
new version when the project came back from risk review after a confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from danbao.diligence import demo, selectors
from danbao.diligence.models import DiligenceReport, ReportState, SiteVisit
from danbao.projects import demo_hooks
from danbao.projects import services as project_services
from danbao.projects.models import ProjectState
from danbao.projects.services.approval import REVIEW_SUBMIT_CHECKS

pytestmark = pytest.mark.django_db


def test_registered_with_the_projects_demo_and_the_review_checks() -> None:
    assert "diligence" in demo_hooks.hooks
    assert selectors.review_submit_check in REVIEW_SUBMIT_CHECKS


def test_hooks_make_the_project_ready_for_risk_review(project: Any, owner: Any, b_manager: Any, risk_manager: Any) -> None:
    # seed_demo runs every step inside one transaction: the hooks must not open durable blocks.
    with transaction.atomic():
        demo_hooks.run("diligence_started", project)
    draft = DiligenceReport.objects.get(project=project)
    assert draft.state == ReportState.DRAFT and draft.company_basics
    assert selectors.readiness(project)  # a draft is not enough
    with transaction.atomic():
        demo_hooks.run("before_review", project)
    report = DiligenceReport.objects.get(project=project)
    assert report.pk == draft.pk and report.state == ReportState.CONFIRMED
    assert report.a_signed_by == owner and report.b_confirmed_by == b_manager
    started = project.transitions.get(target=ProjectState.DUE_DILIGENCE).at
    visit = SiteVisit.objects.get(project=project)
    assert started < visit.created_at < report.a_signed_at < report.b_confirmed_at
    assert selectors.readiness(project) == []
    project_services.project_review_submit(actor=owner, project=project)

    # The risk manager returns it: the hook writes version 2 after the return, v1 superseded.
    project_services.project_review_return(actor=risk_manager, project=project, reason="补充流水")
    assert selectors.readiness(project)
    with transaction.atomic():
        demo_hooks.run("before_review", project)
        demo_hooks.run("before_review", project)  # idempotent once ready
    first, second = DiligenceReport.objects.filter(project=project).order_by("number")
    assert first.state == ReportState.SUPERSEDED and not first.is_current
    assert second.state == ReportState.CONFIRMED and second.previous == first
    returned = project.transitions.filter(action="return_diligence").get().at
    assert returned < second.created_at < second.a_signed_at < second.b_confirmed_at
    project_services.project_review_submit(actor=owner, project=project)
    project.refresh_from_db()
    assert project.state == ProjectState.RISK_REVIEW


def test_submitting_without_diligence_is_refused_with_what_is_missing(project: Any, owner: Any) -> None:
    from danbao.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        project_services.project_review_submit(actor=owner, project=project)
    assert exc.value.code == "diligence.not_ready"
    assert "尽职调查报告" in exc.value.message or "due-diligence report" in exc.value.message.lower()
    project.refresh_from_db()
    assert project.state == ProjectState.DUE_DILIGENCE
    assert demo.TEXT["conclusion"]
