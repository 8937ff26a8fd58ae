"""System parameters: typed values, dated versions that never overlap, param_value, seeds, pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from danbao.core.errors import DomainError
from danbao.system.models import Parameter, ParameterVersion
from danbao.system.selectors import param_value
from danbao.system.services import parameters as services
from danbao.system.tests.conftest import events

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


@pytest.fixture
def leverage(sysadmin):
    return services.parameter_define(
        actor=sysadmin,
        code="leverage_cap_normal",
        name="放大倍数上限",
        kind="int",
        value="10",
        valid_from=date(2017, 10, 1),
        legal_force=True,
    )


@pytest.fixture
def fee_cap(sysadmin):
    return services.parameter_define(
        actor=sysadmin, code="gov_fee_cap", name="费率上限", kind="percent", value="1", valid_from=date(2019, 2, 14), legal_force=True
    )


def test_value_in_force_on_a_date(sysadmin, leverage) -> None:
    services.parameter_set(actor=sysadmin, parameter=leverage, value="12", valid_from=date(2027, 1, 1), source="省级细则", today=TODAY)
    assert param_value("leverage_cap_normal", on=date(2026, 12, 31)) == 10
    assert param_value("leverage_cap_normal", on=date(2027, 1, 1)) == 12
    with pytest.raises(DomainError) as exc:
        param_value("leverage_cap_normal", on=date(2017, 9, 30))
    assert exc.value.code == "system.param_not_in_force"
    old, new = leverage.versions.order_by("valid_from")
    assert old.valid_to == date(2026, 12, 31) and old.value == "10"
    assert new.valid_to is None


def test_percent_is_typed_in_percent_and_read_as_a_fraction(sysadmin, fee_cap) -> None:
    assert param_value("gov_fee_cap") == Decimal("0.01")
    services.parameter_set(actor=sysadmin, parameter=fee_cap, value="0.8", valid_from=date(2027, 1, 1), today=TODAY)
    assert param_value("gov_fee_cap", on=date(2027, 6, 1)) == Decimal("0.008")


def test_a_version_that_has_been_in_force_is_never_overwritten(sysadmin, leverage) -> None:
    with pytest.raises(DomainError) as exc:
        services.parameter_set(actor=sysadmin, parameter=leverage, value="11", valid_from=date(2017, 10, 1), today=TODAY)
    assert exc.value.code == "system.param_version_in_force"
    assert leverage.versions.get().value == "10"


def test_a_future_version_is_corrected_in_place(sysadmin, leverage) -> None:
    services.parameter_set(actor=sysadmin, parameter=leverage, value="12", valid_from=date(2027, 1, 1), today=TODAY)
    services.parameter_set(actor=sysadmin, parameter=leverage, value="13", valid_from=date(2027, 1, 1), today=TODAY)
    assert leverage.versions.count() == 2
    assert param_value("leverage_cap_normal", on=date(2027, 3, 1)) == 13


def test_inserting_between_versions_never_overlaps(sysadmin, leverage) -> None:
    services.parameter_set(actor=sysadmin, parameter=leverage, value="12", valid_from=date(2027, 1, 1), today=TODAY)
    services.parameter_set(actor=sysadmin, parameter=leverage, value="11", valid_from=date(2026, 12, 1), today=TODAY)
    periods = [(v.valid_from, v.valid_to, v.value) for v in leverage.versions.order_by("valid_from")]
    assert periods == [
        (date(2017, 10, 1), date(2026, 11, 30), "10"),
        (date(2026, 12, 1), date(2026, 12, 31), "11"),
        (date(2027, 1, 1), None, "12"),
    ]
    with pytest.raises(DomainError) as exc:
        services.parameter_set(
            actor=sysadmin, parameter=leverage, value="9", valid_from=date(2026, 12, 10), valid_to=date(2027, 2, 1), today=TODAY
        )
    assert exc.value.code == "system.param_overlap"


@pytest.mark.parametrize(
    ("kind", "value", "extra"),
    [
        ("int", "ten", {}),
        ("percent", "abc", {}),
        ("bool", "maybe", {}),
        ("date", "2026-13-01", {}),
        ("json", "{oops", {}),
        ("choice", "x", {"choices": ["a", "b"]}),
    ],
)
def test_invalid_values_are_refused_with_a_clear_message(sysadmin, kind, value, extra) -> None:
    parameter = services.parameter_define(
        actor=sysadmin,
        code=f"p_{kind}",
        name="测试参数",
        kind=kind,
        value=extra.get("choices", ["1"])[0]
        if kind == "choice"
        else {"int": "1", "percent": "1", "bool": "true", "date": "2026-01-01", "json": "[]"}[kind],
        **extra,
    )
    with pytest.raises(DomainError) as exc:
        services.parameter_set(actor=sysadmin, parameter=parameter, value=value, today=TODAY)
    assert exc.value.code == "system.param_invalid_value"
    assert "测试参数" in exc.value.message


def test_legal_force_needs_a_start_date_and_permission(sysadmin, owner, leverage) -> None:
    with pytest.raises(DomainError) as exc:
        services.parameter_set(actor=sysadmin, parameter=leverage, value="12", today=TODAY)
    assert exc.value.code == "system.param_date_required"
    with pytest.raises(DomainError) as exc:
        services.parameter_set(actor=owner, parameter=leverage, value="12", valid_from=date(2027, 1, 1), today=TODAY)
    assert exc.value.code == "system.permission_denied"


def test_changes_are_audited(sysadmin, leverage) -> None:
    services.parameter_set(actor=sysadmin, parameter=leverage, value="12", valid_from=date(2027, 1, 1), note="省里收紧", today=TODAY)
    event = events("system.parameter_changed")[-1]
    assert event.data["action"] == "new_version"
    assert event.data["before"]["value"] == "10" and event.data["after"]["value"] == "12"
    assert event.data["after"]["closed_to"] == "2026-12-31"


def test_unknown_parameter() -> None:
    with pytest.raises(DomainError) as exc:
        param_value("no_such_parameter")
    assert exc.value.code == "system.param_unknown"


def test_catalogue_seed_is_idempotent_and_marks_recalled_values(django_capture_on_commit_callbacks) -> None:
    from danbao.system.seeds import PARAMETERS, ensure_parameters

    assert ensure_parameters() == len(PARAMETERS)
    assert ensure_parameters() == 0
    assert param_value("leverage_cap_normal", on=date(2020, 1, 1)) == 10
    assert param_value("concentration_single") == Decimal("0.1")
    assert param_value("gov_fee_cap_gt_5m") == Decimal("0.015")
    assert param_value("nongdan_policy_range") == [100000, 3000000]
    assert param_value("compensation_grace_days") == 90
    assert param_value("net_assets_deduct_equity_in_guarantors") is True
    assert "待核实" in Parameter.objects.get(code="nongdan_fee_cap").description
    assert Parameter.objects.get(code="leverage_cap_normal").legal_force
    with pytest.raises(DomainError):
        param_value("leverage_cap_normal", on=date(2017, 9, 30))


@pytest.mark.parametrize(("who", "status"), [("sysadmin", 200), ("owner", 403), ("secadmin", 403)])
def test_parameter_pages_permission(request, client_for, leverage, who, status) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("system:param-list")).status_code == status
    assert client.get(reverse("system:param-detail", args=[leverage.pk])).status_code == status


def test_edit_form_creates_a_dated_version(client_for, sysadmin, leverage) -> None:
    client = client_for(sysadmin)
    response = client.post(
        reverse("system:param-detail", args=[leverage.pk]), {"value": "12", "valid_from": "2030-01-01", "source": "新规"}, follow=True
    )
    assert "2030-01-01" in response.content.decode()
    assert ParameterVersion.objects.filter(parameter=leverage).count() == 2
    response = client.post(reverse("system:param-detail", args=[leverage.pk]), {"value": "x", "valid_from": "2031-01-01"})
    assert "请输入整数" in response.content.decode()
    assert "放大倍数上限" in client.get(reverse("system:param-list")).content.decode()
    assert client.get(reverse("system:param-detail", args=[99999])).status_code == 404
