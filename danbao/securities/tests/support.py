"""Securities test helpers: an approved project (driven through the projects services and the approval
workflow) whose terms require counter-guarantees, collateral builders, and the steps that put a
measure in place (signed contract, registration, evidence)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danbao.securities import services

COUNTER_GUARANTEES = "实际控制人夫妇提供连带责任保证\n房产抵押"
VALID_RIC = "11010519491231002X"
VALID_RIC_2 = "430104198801012341"


def pdf_file(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


def approve(world: dict[str, Any], owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any, **overrides: Any) -> Any:
    from danbao.projects import services as project_services
    from danbao.projects.tests.support import intake, pending, to_approving
    from danbao.workflow import services as wf
    from danbao.workflow.models import FlowInstance

    project = intake(world, owner, b_manager, **overrides)
    to_approving(project, owner, risk_manager)
    wf.task_approve(actor=dept_head, task=pending(dept_head))
    wf.committee_complete(actor=None, instance=FlowInstance.objects.get(object_id=project.pk), result="approved")
    project_services.project_terms_save(
        actor=gm,
        project=project,
        amount=str(project.amount),
        term_months=12,
        fee_rate="0.009",
        counter_guarantees=COUNTER_GUARANTEES,
        conditions="落实反担保后出函",
    )
    wf.task_approve(actor=gm, task=pending(gm))
    project.refresh_from_db()
    assert project.state == "approved"
    return project


@pytest.fixture
def approved(world: dict[str, Any], owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any) -> Any:
    """An approved project of 1,000,000 yuan: owner is its A-role manager (department A)."""
    services.ensure_setup()
    return approve(world, owner, b_manager, risk_manager, dept_head, gm)


@pytest.fixture
def archivist(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="archivist", department=org.head_office, roles=[org.roles["archivist"]], real_name="林档案")


def house(actor: Any, value: Any = "2000000", **extra: Any) -> Any:
    return services.collateral_create(
        actor=actor,
        type="real_estate",
        name=extra.pop("name", "岳麓区梅溪湖小区3栋1201室"),
        attributes={
            "address": "长沙市岳麓区梅溪湖小区3栋1201室",
            "certificate_no": "湘(2023)长沙市不动产权第0012345号",
            "area": "128.5",
            "use": "住宅",
        },
        owners=[{"party_type": "person", "name": "张三", "id_code": VALID_RIC, "share_percent": "100"}],
        appraisal={
            "value": value,
            "appraiser": "湖南中联评估",
            "appraised_on": dt.date.today() - dt.timedelta(days=3),
            "method": "市场比较法",
        },
        **extra,
    )


def register(actor: Any, collateral: Any) -> Any:
    return services.registration_record(
        actor=actor,
        collateral=collateral,
        registry_office="长沙市不动产登记中心",
        certificate_no="湘(2026)长沙市不动产证明第0000123号",
        registered_on=dt.date.today(),
        priority=1,
        secured_amount=D("1000000"),
    )


def guarantee(actor: Any, project: Any, **extra: Any) -> Any:
    data = {
        "kind": "personal_guarantee",
        "provider_source": "third",
        "provider_type": "person",
        "provider_name": "张三",
        "provider_id_code": VALID_RIC,
    }
    data.update(extra)
    return services.measure_create(actor=actor, project=project, requirement="实际控制人夫妇提供连带责任保证", **data)


def mortgage(actor: Any, project: Any) -> Any:
    return services.measure_create(
        actor=actor,
        project=project,
        requirement="房产抵押",
        kind="mortgage",
        provider_source="third",
        provider_type="person",
        provider_name="张三",
        provider_id_code=VALID_RIC,
    )


def sign_contract(actor: Any, measure: Any) -> Any:
    from danbao.contracts import services as contracts

    contracts.ensure_contract_templates()
    contract = contracts.contract_generate(
        actor=actor, project=measure.project, kind=measure.contract_kind, subject_key=measure.subject_key
    )
    return contracts.contract_sign(
        actor=actor, contract=contract, signed_on=dt.date.today(), signatories="反担保人张三；担保人代表", scan=pdf_file("scan.pdf")
    )


def add_evidence(actor: Any, measure: Any) -> Any:
    from danbao.core.attachments.services import attachment_add

    return attachment_add(actor=actor, owner=measure, kind="evidence", upload=pdf_file())
