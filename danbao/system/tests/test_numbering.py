"""Numbering rules: formatting, resets, rollback gives the number back, concurrency, pages."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.urls import reverse

from danbao.core.errors import DomainError
from danbao.system.models import NumberingRule
from danbao.system.services import numbering as services
from danbao.system.tests.conftest import events


def _rule(**fields):
    defaults = dict(code="project", name="项目编号", prefix="DB", date_pattern="{YYYY}", separator="-", sequence_width=4, reset="yearly")
    return services.numbering_rule_create(actor=None, **{**defaults, **fields})


@pytest.mark.django_db
def test_format_and_yearly_reset() -> None:
    _rule()
    assert services.number_next("project", on=date(2026, 3, 1)) == "DB2026-0001"
    assert services.number_next("project", on=date(2026, 12, 31)) == "DB2026-0002"
    assert services.number_next("project", on=date(2027, 1, 1)) == "DB2027-0001"


@pytest.mark.django_db
def test_monthly_reset_and_never_reset() -> None:
    _rule(code="letter", prefix="BH", date_pattern="{YY}{MM}{DD}", separator="", sequence_width=3, reset="monthly")
    _rule(code="customer", prefix="KH", date_pattern="", separator="", sequence_width=6, reset="never")
    assert services.number_next("letter", on=date(2026, 11, 30)) == "BH261130001"
    assert services.number_next("letter", on=date(2026, 12, 1)) == "BH261201001"
    assert services.number_next("customer", on=date(2026, 1, 1)) == "KH000001"
    assert services.number_next("customer", on=date(2030, 1, 1)) == "KH000002"


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_the_number_back() -> None:
    _rule()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert services.number_next("project", on=date(2026, 5, 1)) == "DB2026-0001"
        raise RuntimeError("business save failed")
    assert services.number_next("project", on=date(2026, 5, 1)) == "DB2026-0001"


@pytest.mark.django_db
def test_refusals(sysadmin, owner) -> None:
    with pytest.raises(DomainError) as exc:
        services.number_next("nothing")
    assert exc.value.code == "system.numbering_unknown"
    with pytest.raises(DomainError) as exc:
        _rule(date_pattern="")
    assert exc.value.code == "system.numbering_reset_needs_date"
    with pytest.raises(DomainError) as exc:
        _rule(reset="monthly")
    assert exc.value.code == "system.numbering_reset_needs_date"
    rule = _rule()
    with pytest.raises(DomainError) as exc:
        services.numbering_rule_update(actor=owner, rule=rule, prefix="X")
    assert exc.value.code == "system.permission_denied"
    services.numbering_rule_update(actor=sysadmin, rule=rule, prefix="XM")
    assert events("system.numbering_changed")[-1].data["after"]["prefix"] == "XM"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_numbers_are_distinct_and_gap_free() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    _rule()
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(25):
                with transaction.atomic():
                    number = services.number_next("project", on=date(2026, 6, 1))
                with lock:
                    results.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [f"DB2026-{i:04d}" for i in range(1, 201)]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("sysadmin", 200), ("owner", 403), ("auditadmin", 403)])
def test_numbering_pages_permission(request, client_for, who, status) -> None:
    rule = _rule()
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("system:numbering-list")).status_code == status
    assert client.get(reverse("system:numbering-edit", args=[rule.pk])).status_code == status


@pytest.mark.django_db
def test_rule_pages_show_the_next_number(client_for, sysadmin) -> None:
    client = client_for(sysadmin)
    data = {
        "code": "contract",
        "name": "合同编号",
        "prefix": "HT",
        "date_pattern": "{YYYY}",
        "separator": "-",
        "sequence_width": 5,
        "reset": "yearly",
        "is_active": "on",
    }
    response = client.post(reverse("system:numbering-add"), data, follow=True)
    year = date.today().year
    assert f"HT{year}-00001" in response.content.decode()
    rule = NumberingRule.objects.get(code="contract")
    services.number_next("contract")
    response = client.get(reverse("system:numbering-edit", args=[rule.pk]))
    assert f"HT{year}-00002" in response.content.decode()
    edit = {k: v for k, v in data.items() if k != "code"}  # a disabled input is not submitted
    response = client.post(reverse("system:numbering-edit", args=[rule.pk]), {**edit, "date_pattern": ""})
    assert "日期部分需要包含 {YYYY}" in response.content.decode()
    response = client.post(reverse("system:numbering-edit", args=[rule.pk]), {**edit, "prefix": "WT"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.code, rule.prefix) == ("contract", "WT")
    assert client.get(reverse("system:numbering-edit", args=[9999])).status_code == 404
