"""Contracts test helpers: an approved project driven through the projects services and workflow,
the built-in templates, a signed-scan file and the extra cast (legal, archivist)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danbao.contracts.services import ensure_contract_templates


def approve(project: Any, owner: Any, risk_manager: Any, dept_head: Any, gm: Any, **terms: Any) -> Any:
    from danbao.projects import services as project_services
    from danbao.projects.tests.support import pending, to_approving
    from danbao.workflow import services as wf
    from danbao.workflow.models import FlowInstance

    to_approving(project, owner, risk_manager)
    wf.task_approve(actor=dept_head, task=pending(dept_head))
    wf.committee_complete(actor=None, instance=FlowInstance.objects.get(object_id=project.pk), result="approved")
    if terms:
        project_services.project_terms_save(actor=gm, project=project, **terms)
    wf.task_approve(actor=gm, task=pending(gm))
    project.refresh_from_db()
    return project


@pytest.fixture
def templates(db: Any) -> int:
    return ensure_contract_templates()


@pytest.fixture
def approved(world: dict[str, Any], owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any, templates: int) -> Any:
    """An approved project of department A: owner is the A-role, b_manager the B-role; 800,000 yuan."""
    from danbao.projects.tests.support import intake

    project = intake(world, owner, b_manager)
    return approve(
        project,
        owner,
        risk_manager,
        dept_head,
        gm,
        amount="800000",
        term_months=12,
        fee_rate="0.009",
        counter_guarantees="实际控制人张三夫妇连带责任保证\n厂房抵押",
        conditions="落实抵押登记后放款",
    )


@pytest.fixture
def legal(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="legal", department=org.head_office, roles=[org.roles["legal"]], real_name="陈法务")


@pytest.fixture
def archivist(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="archivist", department=org.head_office, roles=[org.roles["archivist"]], real_name="何档案")


def scan_pdf(name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


AMOUNT = D("800000")
