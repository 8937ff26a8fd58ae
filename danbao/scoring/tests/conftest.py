"""Scoring fixtures: a published scorecard built through the services, an enterprise customer of
the owner with one statement, the general manager."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.products.tests.support import params  # noqa: F401
from danbao.scoring.calculate import FactorDef, GradeDef, OptionDef, parse_bins
from danbao.scoring.models import ScorecardTemplate, TemplateVersion

DAY = date(2025, 6, 30)


def factors() -> list[FactorDef]:
    return [
        FactorDef(
            "debt",
            "资产负债率",
            "financial",
            D(30),
            "debt_to_asset",
            bins=tuple(parse_bins("(-∞, 0.5) = 100\n[0.5, 0.7) = 60\n[0.7, +∞) = 0")[0]),
        ),
        FactorDef(
            "credit", "征信记录", "credit", D(20), "overdue_count_24m", bins=tuple(parse_bins("(-∞, 0] = 100\n(0, 2] = 50\n(2, +∞) = 0")[0])
        ),
        FactorDef(
            "mgmt",
            "实际控制人从业经验",
            "qualitative",
            D(30),
            question="从业年限？",
            options=(OptionDef("gt10", "10年以上", D(100)), OptionDef("5to10", "5至10年", D(70)), OptionDef("lt5", "5年以下", D(30))),
        ),
        FactorDef("cover", "反担保覆盖率", "coverage", D(20), bins=tuple(parse_bins("(-∞, 0.5] = 0\n(0.5, 1] = 60\n(1, +∞) = 100")[0])),
    ]


def grades() -> list[GradeDef]:
    return [
        GradeDef("AAA", D(90), D(100), D("5000000"), D("0.005"), D("0.008")),
        GradeDef("A", D(70), D(90), D("2000000"), D("0.01"), D("0.012")),
        GradeDef("BB", D(50), D(70), D("500000"), D("0.015"), D("0.02")),
        GradeDef("C", D(0), D(50), D(0), None, None),
    ]


def build_template(
    actor: Any = None, code: str = "T-ENT", kinds: tuple[str, ...] = ("enterprise",), products: tuple[str, ...] = ()
) -> ScorecardTemplate:
    """A template with version 1 complete but still a draft."""
    from danbao.scoring.services import factor_save, grades_save, template_create

    template = template_create(actor=actor, code=code, name="企业评分卡", product_codes=list(products), customer_kinds=list(kinds))
    draft = template.versions.get(number=1)
    for factor in factors():
        factor_save(actor=actor, version=draft, factor=factor)
    grades_save(actor=actor, version=draft, grades=grades())
    return template


@pytest.fixture
def gm(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="gm", department=org.head_office, roles=[org.roles["general_manager"]], real_name="杨总")


@pytest.fixture
def version(db: Any) -> TemplateVersion:
    """Version 1 of an enterprise scorecard, published."""
    from danbao.scoring.services import version_publish

    template = build_template()
    return version_publish(actor=None, version=template.versions.get(number=1))


@pytest.fixture
def customer(owner: Any) -> Any:
    """An enterprise of the owner with a 2024 annual statement (debt-to-asset 0.6)."""
    from danbao.customers.models import FinancialStatement
    from danbao.customers.tests.extras_support import BALANCED
    from danbao.customers.tests.extras_support import customer as make

    c = make(owner, "长沙金禾农业科技有限公司")
    FinancialStatement.objects.create(customer=c, period_end=date(2024, 12, 31), **BALANCED)
    return c
