"""Template writes: create, factors, grades, publish (validation), immutability of published versions, retire, selector."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.scoring.calculate import BinDef, FactorDef, GradeDef
from danbao.scoring.models import Factor, ScorecardTemplate, TemplateVersion
from danbao.scoring.selectors import definition_of, template_for
from danbao.scoring.services import (
    factor_remove,
    factor_save,
    grades_save,
    template_create,
    template_update,
    version_draft_open,
    version_publish,
    version_retire,
)
from danbao.scoring.tests.conftest import build_template, factors

pytestmark = pytest.mark.django_db


def test_create_needs_permission_valid_code_and_kinds(owner: Any, risk_manager: Any) -> None:
    with pytest.raises(DomainError) as exc:
        template_create(actor=owner, code="X", name="x", product_codes=[], customer_kinds=["enterprise"])
    assert exc.value.code == "scoring.permission_denied"
    for code, kinds, err in [
        ("bad code", ["enterprise"], "scoring.code_invalid"),
        ("OK", [], "scoring.kinds_required"),
        ("OK", ["alien"], "scoring.kind_unknown"),
    ]:
        with pytest.raises(DomainError) as exc:
            template_create(actor=risk_manager, code=code, name="x", product_codes=[], customer_kinds=kinds)
        assert exc.value.code == err
    with pytest.raises(DomainError) as exc:
        template_create(actor=risk_manager, code="OK", name="x", product_codes=["NOPE"], customer_kinds=["enterprise"])
    assert exc.value.code == "scoring.product_unknown"
    assert not ScorecardTemplate.objects.exists()
    mark = audit_mark()
    template = template_create(actor=risk_manager, code="OK", name="评分卡", product_codes=[], customer_kinds=["enterprise"])
    assert template.versions.get().status == "draft"
    assert_one_event("scoring.template_created", since=mark, actor_id=risk_manager.pk)
    with pytest.raises(DomainError) as exc:
        template_create(actor=risk_manager, code="OK", name="x", product_codes=[], customer_kinds=["enterprise"])
    assert exc.value.code == "scoring.code_taken"


def test_factor_validation_messages(risk_manager: Any) -> None:
    template = template_create(actor=risk_manager, code="T", name="t", product_codes=[], customer_kinds=["enterprise"])
    draft = template.versions.get()
    gap = FactorDef(
        "debt", "资产负债率", "financial", D(50), "debt_to_asset", bins=(BinDef(None, D("0.5"), D(100)), BinDef(D("0.6"), None, D(0)))
    )
    with pytest.raises(DomainError) as exc:
        factor_save(actor=risk_manager, version=draft, factor=gap)
    assert exc.value.code == "scoring.factor_invalid" and "资产负债率" in exc.value.message
    unknown = FactorDef("x", "x", "financial", D(50), "nonsense", bins=(BinDef(None, None, D(1)),))
    with pytest.raises(DomainError):
        factor_save(actor=risk_manager, version=draft, factor=unknown)
    assert not Factor.objects.exists()
    factor_save(actor=risk_manager, version=draft, factor=factors()[0])
    with pytest.raises(DomainError) as exc:
        factor_save(actor=risk_manager, version=draft, factor=factors()[0])
    assert exc.value.code == "scoring.factor_duplicate"
    # replacing keeps one row and rewrites its bins
    changed = FactorDef("debt", "资产负债率", "financial", D(40), "debt_to_asset", bins=(BinDef(None, None, D(50)),))
    factor_save(actor=risk_manager, version=draft, factor=changed, original_code="debt")
    factor = draft.factors.get()
    assert factor.weight == D(40) and factor.bins.count() == 1
    factor_remove(actor=risk_manager, version=draft, code="debt")
    assert not draft.factors.exists()


def test_publish_refuses_incomplete_version_with_every_problem(risk_manager: Any) -> None:
    template = template_create(actor=risk_manager, code="T", name="t", product_codes=[], customer_kinds=["enterprise"])
    draft = template.versions.get()
    factor_save(actor=risk_manager, version=draft, factor=factors()[0])  # 30 %
    with pytest.raises(DomainError) as exc:
        version_publish(actor=risk_manager, version=draft)
    assert exc.value.code == "scoring.not_publishable"
    assert "30" in exc.value.message and "100" in exc.value.message
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_grades_must_cover(risk_manager: Any) -> None:
    template = template_create(actor=risk_manager, code="T", name="t", product_codes=[], customer_kinds=["enterprise"])
    draft = template.versions.get()
    with pytest.raises(DomainError) as exc:
        grades_save(actor=risk_manager, version=draft, grades=[GradeDef("AAA", D(50), D(100))])
    assert exc.value.code == "scoring.grades_invalid"
    assert not draft.grades.exists()


def test_publish_makes_the_version_immutable_and_retires_the_previous(risk_manager: Any) -> None:
    template = build_template(actor=risk_manager)
    v1 = template.versions.get(number=1)
    mark = audit_mark()
    version_publish(actor=risk_manager, version=v1)
    assert_one_event("scoring.version_published", since=mark, actor_id=risk_manager.pk)
    v1.refresh_from_db()
    assert v1.status == "published" and v1.published_by == risk_manager
    for call in (
        lambda: factor_save(actor=risk_manager, version=v1, factor=factors()[0], original_code="debt"),
        lambda: factor_remove(actor=risk_manager, version=v1, code="debt"),
        lambda: grades_save(actor=risk_manager, version=v1, grades=[]),
        lambda: version_publish(actor=risk_manager, version=v1),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "scoring.not_draft"
    v1.change_note = "rewritten"
    with pytest.raises(ValueError):
        v1.save()  # defence in depth below the services
    v2 = version_draft_open(actor=risk_manager, template=template)
    assert v2.number == 2 and v2.factors.count() == 4 and v2.grades.count() == 4  # copied
    assert version_draft_open(actor=risk_manager, template=template) == v2  # retry returns the same draft
    version_publish(actor=risk_manager, version=v2)
    v1.refresh_from_db()
    assert v1.status == "retired" and v1.retired_reason == "v2"
    assert definition_of(v1) == definition_of(v2)


def test_retire_needs_reason_and_published(risk_manager: Any) -> None:
    template = build_template(actor=risk_manager)
    v1 = template.versions.get(number=1)
    with pytest.raises(DomainError) as exc:
        version_retire(actor=risk_manager, version=v1, reason="停用")
    assert exc.value.code == "scoring.not_retirable"
    version_publish(actor=risk_manager, version=v1)
    with pytest.raises(DomainError) as exc:
        version_retire(actor=risk_manager, version=v1, reason=" ")
    assert exc.value.code == "scoring.reason_required"
    version_retire(actor=risk_manager, version=v1, reason="模型重检后停用")
    v1.refresh_from_db()
    assert v1.status == "retired" and v1.retired_reason == "模型重检后停用"


def test_template_update_and_template_for(risk_manager: Any, params: Any) -> None:
    from danbao.products.tests.support import published

    product = published(code="P-1")
    other = published(code="P-2")
    generic = build_template(code="GEN", kinds=("enterprise", "farmer"))
    specific = build_template(code="SPEC", kinds=("enterprise",), products=("P-1",))
    pv = product.versions.get(number=1)
    assert template_for(pv, "enterprise") is None  # nothing published yet
    version_publish(actor=None, version=generic.versions.get(number=1))
    assert template_for(pv, "enterprise").template == generic
    version_publish(actor=None, version=specific.versions.get(number=1))
    assert template_for(pv, "enterprise").template == specific  # the product's own scorecard wins
    assert template_for(other.versions.get(number=1), "enterprise").template == generic
    assert template_for(pv, "farmer").template == generic
    assert template_for(pv, "natural_person") is None
    template_update(actor=risk_manager, template=generic, name="通用", product_codes=[], customer_kinds=["farmer"])
    assert template_for(other.versions.get(number=1), "enterprise") is None
    assert TemplateVersion.objects.filter(template=generic, status="published").exists()
