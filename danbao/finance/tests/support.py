"""Finance test helpers: a published product with fees (annual basis, review fee, margin), a project
driven through intake, due diligence, risk review and approval by the services (never written
directly), a finance clerk, and a shortcut to record a receipt."""

from __future__ import annotations

import uuid
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.customers.tests.customers_support import make_customer
from danbao.partners.tests.factories import in_force, make_bank
from danbao.products.services import Band, MaterialItem, product_create, product_version_publish
from danbao.products.tests.support import terms


@pytest.fixture
def gm(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="gm", department=org.head_office, roles=[org.roles["general_manager"]], real_name="杨总")


@pytest.fixture
def b_manager(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="bmgr", department=org.dept_a, roles=[org.roles["business_manager"]], real_name="钱副手")


@pytest.fixture
def clerk(org: Any) -> Any:
    """A finance clerk (finance role: all-institution scope)."""
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="clerk", department=org.head_office, roles=[org.roles["finance"]], real_name="何财务")


def _product(code: str, **overrides: Any) -> Any:
    from danbao.workflow.models import FlowDefinition

    std, major = FlowDefinition.objects.get(code="PA-10"), FlowDefinition.objects.get(code="PA-20")
    values = {
        "amount_max": D("8000000"),
        "term_max_months": 36,
        "fee_rate_max": D("0.02"),
        "fee_rate_default": D("0.015"),
        "review_fee_amount": D("2000"),
        "margin_ratio": D("0.1"),
        **overrides,
    }
    product = product_create(
        actor=None,
        code=code,
        name="小微贷款担保（收费测试）",
        terms=terms(**values),
        materials=[MaterialItem("enterprise", "营业执照")],
        bands=[Band(D("5000000"), std), Band(None, major)],
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    return product


@pytest.fixture
def fin_world(params: Any, catalogue: Any, gm: Any, owner: Any) -> dict[str, Any]:
    from danbao.projects.flows import flows_ensure

    flows_ensure(gm)
    product = _product("FIN-1")
    bank = make_bank("ICBC", "工商银行湖南省分行")
    branch = make_bank("ICBC-CS", "工商银行长沙分行", parent=bank)
    in_force(bank, gm, product_codes=["FIN-1"])
    customer = make_customer(owner, name="长沙市金禾农业科技有限公司")
    return {"product": product, "bank": bank, "branch": branch, "customer": customer, "make_product": _product}


def approved_project(
    world: dict[str, Any], owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any, **overrides: Any
) -> Any:
    """A project taken to 'approved' through the services (diligence complete, review, committee, GM)."""
    from danbao.diligence.tests.support import complete
    from danbao.projects import services as ps
    from danbao.workflow import services as wf
    from danbao.workflow.models import FlowInstance, Task

    data: dict[str, Any] = {
        "customer": world["customer"],
        "product": world["product"],
        "amount": D("1000000"),
        "term_months": 30,
        "purpose": "购买原材料",
        "repayment_method": "interest_monthly",
        "bank": world["bank"],
        "branch": world["branch"],
        "manager_a": owner,
        "manager_b": b_manager,
        "fee_rate": D("0.015"),
    }
    data.update(overrides)
    project = ps.project_intake(actor=owner, **data)
    ps.project_diligence_start(actor=owner, project=project)
    complete(project, owner, b_manager)
    ps.project_review_submit(actor=owner, project=project)
    ps.project_approval_submit(actor=risk_manager, project=project, recommendation="agree", opinion="同意")

    def pending(user: Any) -> Any:
        return Task.objects.get(assignee=user, status=Task.Status.PENDING)

    wf.task_approve(actor=dept_head, task=pending(dept_head))
    wf.committee_complete(
        actor=None, instance=FlowInstance.objects.get(object_id=project.pk, flow_type="project.approval"), result="approved"
    )
    wf.task_approve(actor=gm, task=pending(gm))
    project.refresh_from_db()
    assert project.state == "approved", project.state
    return project


@pytest.fixture
def project(fin_world: dict[str, Any], owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any) -> Any:
    """An approved project: 1,000,000 yuan, 30 months, 1.5 % a year (annual basis), review fee 2,000, margin 10 %."""
    return approved_project(fin_world, owner, b_manager, risk_manager, dept_head, gm)


def pay(clerk: Any, project: Any, allocations: dict[Any, Any], *, amount: Any = None, key: str | None = None) -> Any:
    from danbao.finance import services

    total = amount if amount is not None else sum((D(str(v)) for v in allocations.values()), D("0"))
    return services.receipt_record(
        actor=clerk,
        project=project,
        amount=total,
        received_on="2026-01-05",
        method="bank_transfer",
        payer=project.customer.name,
        reference="BANK-REF-1",
        idempotency_key=key or uuid.uuid4().hex,
        allocations=allocations,
    )
