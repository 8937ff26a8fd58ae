"""The demo step: two published scorecards with the factors of the issue, assessments of demo customers, idempotent."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from danbao.scoring.calculate import definition_problems
from danbao.scoring.models import Adjustment, Assessment, ScorecardTemplate
from danbao.scoring.selectors import definition_of


@pytest.mark.django_db
def test_demo_scorecards_and_assessments_are_idempotent() -> None:
    from danbao.customers.demo import seed as customers_seed
    from danbao.customers.demo_extras import seed as extras_seed
    from danbao.org.demo import seed as org_seed
    from danbao.scoring.demo import seed

    org_seed()
    customers_seed()
    extras_seed()
    summary = seed()
    ent = ScorecardTemplate.objects.get(code="ENT-STD")
    farm = ScorecardTemplate.objects.get(code="FARM-STD")
    for template, names in [
        (ent, {"资产负债率", "流动比率", "销售增长率", "净利润率", "征信记录", "经营年限", "实际控制人从业经验", "反担保覆盖率"}),
        (farm, {"家庭净资产", "经营规模", "从业年限", "征信记录", "反担保覆盖率", "村委评价"}),
    ]:
        version = template.versions.get(status="published")
        assert {f.name for f in version.factors.all()} == names
        assert definition_problems(definition_of(version)) == []
        assert sum(f.weight for f in version.factors.all()) == D(100)
    assert Assessment.objects.filter(version__template=ent).count() >= 8, summary
    farmers = Assessment.objects.filter(version__template=farm)
    assert farmers.exists(), summary
    # farmers got a household statement and a credit report through the customers' services
    assert all(a.missing_count == 0 for a in farmers), [a.breakdown for a in farmers if a.missing_count]
    assert Adjustment.objects.count() == 1
    counts = (ScorecardTemplate.objects.count(), Assessment.objects.count(), Adjustment.objects.count())
    seed()
    assert (ScorecardTemplate.objects.count(), Assessment.objects.count(), Adjustment.objects.count()) == counts


def test_demo_step_runs_after_customers_and_products() -> None:
    from danbao.core.demo import steps

    by_key = {s.key: s for s in steps}
    assert by_key["scoring"].order == 70 > by_key["products"].order > by_key["customers"].order
