"""Evidence grades of parameters: seeded from the catalogue (also onto existing rows, idempotently)
and shown on the list and detail pages with their explanation."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from danbao.system import seeds
from danbao.system.models import Parameter, ParameterVersion
from danbao.system.selectors import param_value
from danbao.system.services import parameters

pytestmark = pytest.mark.django_db


def test_every_catalogue_parameter_has_a_grade_and_new_choices_exist() -> None:
    seeds.ensure_parameters()
    codes = {p["code"] for p in seeds.PARAMETERS}
    assert codes <= set(seeds.GRADES), codes - set(seeds.GRADES)
    assert not Parameter.objects.filter(code__in=codes, grade="").exists()
    assert Parameter.objects.get(code="small_agri_balance_share_min").grade == "R"
    assert Parameter.objects.get(code="concentration_single").grade == "V"
    assert param_value("compensation_rate_denominator") == "release_plus_compensation"
    assert param_value("threshold_basis") == "own_share" and param_value("deduct_reguarantee_share") is False
    assert ParameterVersion.objects.get(parameter__code="leverage_cap_normal").article == "第十五条"


def test_seeding_updates_grades_of_existing_rows_and_is_idempotent(sysadmin) -> None:
    parameters.parameter_define(actor=sysadmin, code="concentration_single", name="单一客户集中度上限", kind="percent", value="10")
    assert Parameter.objects.get(code="concentration_single").grade == ""
    seeds.ensure_parameters()
    parameter = Parameter.objects.get(code="concentration_single")
    assert parameter.grade == "V"
    assert parameter.versions.get().article == ""  # a version entered by a person keeps its (empty) article
    history = parameter.history.count()
    assert seeds.ensure_parameters() == 0
    assert parameter.history.count() == history


def test_grade_badge_and_explanation_on_the_pages(client_for, sysadmin) -> None:
    from django.utils import translation

    seeds.ensure_parameters()
    client = client_for(sysadmin)
    listing = client.get(reverse("system:param-list")).content.decode()
    assert 'data-testid="grade-legend"' in listing and 'data-testid="grade-badge-R"' in listing
    recalled = Parameter.objects.get(code="small_agri_balance_share_min")
    with translation.override("zh-hans"):
        page = client.get(reverse("system:param-detail", args=[recalled.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="grade-badge-R"' in page
    assert "回忆所得，合规人员需核实" in page


def test_article_is_saved_with_a_new_version(sysadmin) -> None:
    seeds.ensure_parameters()
    parameter = Parameter.objects.get(code="concentration_single")
    version = parameters.parameter_set(
        actor=sysadmin,
        parameter=parameter,
        value="8",
        valid_from=date(2027, 1, 1),
        source="某省实施细则",
        article="第十二条",
        today=date(2026, 11, 29),
    )
    assert version.article == "第十二条"
