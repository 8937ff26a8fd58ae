"""Letters test helpers: an approved project (driven through the projects services, terms with two
conditions precedent), the general manager and B-role fixtures of the projects tests, and switches
for the lower apps' readiness lines (contracts, counter-guarantees, fees)."""

from __future__ import annotations

from typing import Any

import pytest

from danbao.core.checklist import ChecklistItem
from danbao.letters import services
from danbao.letters.models import ConditionItem
from danbao.projects.models import Project, ProjectState

CONDITIONS = "落实厂房抵押登记\n实际控制人夫妇签署连带责任保证合同"
LOWER_APPS = ("contracts", "securities", "finance")


def approved_project(
    world: dict[str, Any], owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any, **terms: Any
) -> Project:
    """A project of the owner (A-role) and b_manager (B-role) approved by the general manager."""
    from danbao.diligence.tests.support import complete
    from danbao.projects import services as project_services
    from danbao.projects.tests.support import intake, pending
    from danbao.workflow import services as wf
    from danbao.workflow.models import FlowInstance

    project = intake(world, owner, b_manager)
    # Honestly through due diligence: the diligence app's check guards the hand-over to risk review.
    project_services.project_diligence_start(actor=owner, project=project)
    complete(project, owner, b_manager)
    project_services.project_review_submit(actor=owner, project=project)
    project_services.project_approval_submit(actor=risk_manager, project=project, recommendation="agree", opinion="同意")
    wf.task_approve(actor=dept_head, task=pending(dept_head), comment="同意")
    wf.committee_complete(actor=None, instance=FlowInstance.objects.get(object_id=project.pk), result="approved", comment="评审会通过")
    data = {"amount": "800000", "term_months": 12, "fee_rate": "0.009", "conditions": CONDITIONS}
    data["counter_guarantees"] = "法定代表人连带责任保证"
    data.update(terms)
    project_services.project_terms_save(actor=gm, project=project, **data)
    wf.task_approve(actor=gm, task=pending(gm), comment="同意")
    project.refresh_from_db()
    assert project.state == ProjectState.APPROVED
    return project


def green(app: str) -> Any:
    def readiness(project: Any) -> list[ChecklistItem]:
        return [ChecklistItem(f"{app}.ok", f"{app} ready", True, "ok", "")]

    return readiness


def red(app: str, detail: str) -> Any:
    def readiness(project: Any) -> list[ChecklistItem]:
        return [ChecklistItem(f"{app}.missing", f"{app} line", False, detail, "/fix/")]

    return readiness


def set_lower(monkeypatch: Any, **overrides: Any) -> None:
    """Make the lower apps' readiness green, except the ones given (app=function)."""
    import importlib

    for app in LOWER_APPS:
        module = importlib.import_module(f"danbao.{app}.selectors")
        monkeypatch.setattr(module, "readiness", overrides.get(app) or green(app), raising=False)


def confirm_all(project: Project, owner: Any, risk_manager: Any) -> None:
    """The A-role marks every condition met, the risk manager confirms each."""
    services.conditions_sync(actor=owner, project=project)
    for item in ConditionItem.objects.filter(project=project, superseded_at__isnull=True):
        item = services.condition_mark_met(actor=owner, item=item, note="已办理")
        services.condition_confirm(actor=risk_manager, item=item, note="核实无误")


@pytest.fixture
def approved(world: dict[str, Any], owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any) -> Project:
    return approved_project(world, owner, b_manager, risk_manager, dept_head, gm)


@pytest.fixture
def lower_green(monkeypatch: Any) -> None:
    set_lower(monkeypatch)


@pytest.fixture
def ready(approved: Project, owner: Any, risk_manager: Any, lower_green: None) -> Project:
    """Approved, every condition confirmed, the lower apps green: the letter may be issued."""
    confirm_all(approved, owner, risk_manager)
    return approved
