"""Project test helpers: a published product bound to the demo approval flows, a bank with a
branch, a customer, and projects driven through the services to any state (never written directly)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from danbao.customers.tests.customers_support import make_customer
from danbao.partners.tests.factories import in_force, make_bank
from danbao.products.services import Band, MaterialItem, product_create, product_version_publish
from danbao.products.tests.support import terms
from danbao.projects import services
from danbao.projects.flows import flows_ensure
from danbao.projects.models import Project
from danbao.workflow.models import FlowDefinition, Task


@pytest.fixture
def gm(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="gm", department=org.head_office, roles=[org.roles["general_manager"]], real_name="杨总")


@pytest.fixture
def b_manager(org: Any) -> Any:
    """The B-role manager: a second business manager of department A."""
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="bmgr", department=org.dept_a, roles=[org.roles["business_manager"]], real_name="钱副手")


@pytest.fixture
def world(params: Any, catalogue: Any, gm: Any, owner: Any) -> dict[str, Any]:
    """Flows, a product whose bands point at them, a bank with a branch, a customer of the owner."""
    flows_ensure(gm)
    std, major = FlowDefinition.objects.get(code="PA-10"), FlowDefinition.objects.get(code="PA-20")
    product = product_create(
        actor=None,
        code="XW-1",
        name="小微贷款担保",
        terms=terms(amount_max=D("8000000")),
        materials=[MaterialItem("enterprise", "营业执照")],
        bands=[Band(D("5000000"), std), Band(None, major)],
    )
    product_version_publish(actor=None, version=product.versions.get(number=1))
    product.refresh_from_db()
    bank = make_bank("ICBC", "工商银行湖南省分行")
    branch = make_bank("ICBC-CS", "工商银行长沙分行", parent=bank)
    in_force(bank, gm, product_codes=["XW-1"])
    customer = make_customer(owner, name="长沙市金禾农业科技有限公司")
    return {"product": product, "bank": bank, "branch": branch, "customer": customer}


def intake(world: dict[str, Any], actor: Any, manager_b: Any, **overrides: Any) -> Project:
    data: dict[str, Any] = {
        "customer": world["customer"],
        "product": world["product"],
        "amount": D("1000000"),
        "term_months": 12,
        "purpose": "购买原材料",
        "repayment_method": "interest_monthly",
        "bank": world["bank"],
        "branch": world["branch"],
        "manager_a": actor,
        "manager_b": manager_b,
    }
    data.update(overrides)
    return services.project_intake(actor=actor, **data)


def to_review(project: Project, owner: Any) -> Project:
    services.project_diligence_start(actor=owner, project=project)
    return services.project_review_submit(actor=owner, project=project)


def to_approving(project: Project, owner: Any, risk_manager: Any) -> Project:
    to_review(project, owner)
    return services.project_approval_submit(actor=risk_manager, project=project, recommendation="agree", opinion="同意")


def pending(user: Any) -> Task:
    return Task.objects.get(assignee=user, status=Task.Status.PENDING)
