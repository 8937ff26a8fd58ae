"""The letters demo step (110): approved demo projects whose lower checks are ready get their
conditions confirmed and a guarantee letter; every twelfth is held back with a visible red line;
projects whose lower checks are red stay without a letter; running it twice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from danbao.core import demo as core_demo
from danbao.letters import demo, selectors
from danbao.letters.models import ConditionState, GuaranteeLetter, LetterKind
from danbao.letters.tests.support import approved_project, red, set_lower
from danbao.projects.demo import DEMO_NOTE
from danbao.projects.models import Project

pytestmark = pytest.mark.django_db


def test_registered_between_fees_and_the_ledger() -> None:
    step = core_demo.steps.get("letters")
    assert step is not None and step.order == 110


def _demo_projects(n: int, world: Any, owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any) -> list[Project]:
    projects = []
    for _ in range(n):
        project = approved_project(world, owner, b_manager, risk_manager, dept_head, gm)
        Project.objects.filter(pk=project.pk).update(note=f"{DEMO_NOTE} 测试")
        projects.append(project)
    return projects


def test_seed_issues_holds_back_and_is_idempotent(world, owner, b_manager, risk_manager, dept_head, gm, monkeypatch, lower_green) -> None:
    assert risk_manager.username == "risk" and gm.username == "gm"
    projects = _demo_projects(2, world, owner, b_manager, risk_manager, dept_head, gm)
    monkeypatch.setattr(demo, "HOLD_EVERY", 2)  # the second project is held back
    with transaction.atomic():  # seed_demo runs every step inside one transaction
        summary = demo.seed()
    assert summary.startswith("1 guarantee letters issued")
    first, second = projects
    letter = selectors.issued_letter_for(first)
    assert letter is not None and letter.evaluation is not None and letter.issued_by == gm
    assert letter.issued_at >= first.approved_at
    assert {i.state for i in first.condition_items.all()} == {ConditionState.MET}
    assert selectors.issued_letter_for(second) is None
    red_lines = [i for i in selectors.checklist(second) if not i.ok]
    assert any("风险经理" in i.detail or "risk manager" in i.detail for i in red_lines)
    assert GuaranteeLetter.objects.filter(project=second, kind=LetterKind.INTENT).count() == 1
    with transaction.atomic():
        again = demo.seed()
    assert again.startswith("0 guarantee letters issued") and "1 already had a letter" in again
    assert GuaranteeLetter.objects.count() == 2


def test_lower_checks_not_ready_means_no_letter(world, owner, b_manager, risk_manager, dept_head, gm, monkeypatch) -> None:
    set_lower(monkeypatch, finance=red("finance", "担保费未收"))
    (project,) = _demo_projects(1, world, owner, b_manager, risk_manager, dept_head, gm)
    with transaction.atomic():
        summary = demo.seed()
    assert "1 not ready" in summary and not GuaranteeLetter.objects.filter(project=project).exists()
