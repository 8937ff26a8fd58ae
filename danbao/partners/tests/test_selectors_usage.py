"""Credit-line usage from a fake in-force book: branch roll-up, thresholds from the dated parameters,
agreement_in_force_for, the daily warning check (notifies once per crossing), channel business."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.partners import parameters, selectors, services
from danbao.partners.tests.factories import exposure, in_force, make_agreement, make_bank

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 1)


@pytest.fixture
def banks(org):
    head = make_bank("ABC", "农行湖南省分行")
    return head, make_bank("ABC-CS", "农行长沙分行", parent=head), make_bank("ABC-LY", "农行浏阳支行", parent=head)


def test_head_office_agreement_counts_every_branch(banks, gm, book) -> None:
    head, cs, ly = banks
    agreement = in_force(head, gm, credit_line_amount=Decimal("1000000"), single_cap_amount=None)
    book += [
        exposure("g1", "300000", "ABC"),
        exposure("g2", "200000", "ABC-CS"),
        exposure("g3", "100000", "ABC-LY"),
        exposure("g4", "999999", "CCB"),  # another bank
    ]
    usage = selectors.credit_line_usage(agreement, DAY)
    assert (usage.limit, usage.used, usage.available, usage.ratio) == (
        Decimal("1000000"),
        Decimal("600000"),
        Decimal("400000"),
        Decimal("0.6000"),
    )
    assert usage.level == "green"
    rows = selectors.usage_by_branch(agreement, DAY)
    assert [(r["code"], r["amount"]) for r in rows] == [
        ("ABC", Decimal("300000")),
        ("ABC-CS", Decimal("200000")),
        ("ABC-LY", Decimal("100000")),
    ]


def test_branch_agreement_counts_only_the_branch(banks, gm, book) -> None:
    head, cs, _ly = banks
    agreement = in_force(cs, gm, credit_line_amount=Decimal("1000000"), single_cap_amount=None)
    book += [exposure("g1", "300000", "ABC"), exposure("g2", "200000", "ABC-CS")]
    assert selectors.credit_line_usage(agreement, DAY).used == Decimal("200000")


@pytest.mark.parametrize(("used", "level"), [("799999.99", "green"), ("800000", "amber"), ("1000000", "red")])
def test_levels_exactly_at_the_thresholds(banks, gm, book, used, level) -> None:
    agreement = in_force(banks[0], gm, credit_line_amount=Decimal("1000000"), single_cap_amount=None)
    book.append(exposure("g1", used, "ABC-CS"))
    assert selectors.credit_line_usage(agreement, DAY).level == level


def test_thresholds_come_from_the_dated_parameter(banks, gm, book, sysadmin) -> None:
    from danbao.system.models import Parameter
    from danbao.system.services.parameters import parameter_set

    parameters.ensure_parameters()
    parameter_set(actor=sysadmin, parameter=Parameter.objects.get(code=parameters.AMBER), value="50", valid_from=date(2026, 5, 1))
    agreement = in_force(banks[0], gm, credit_line_amount=Decimal("1000000"), single_cap_amount=None)
    book.append(exposure("g1", "600000", "ABC"))
    assert selectors.credit_line_usage(agreement, DAY).level == "amber"
    assert selectors.credit_line_usage(agreement, date(2026, 4, 30)).level == "green"  # the earlier value


def test_ensure_parameters_is_idempotent(db) -> None:
    parameters.ensure_parameters()
    assert parameters.ensure_parameters() == 0
    assert parameters.threshold(parameters.AMBER) == Decimal("0.8")
    assert parameters.threshold(parameters.RED) == Decimal("1")


def test_agreement_in_force_for_prefers_the_branch_then_the_head_office(banks, gm) -> None:
    head, cs, ly = banks
    assert selectors.agreement_in_force_for(cs, DAY) is None
    head_agreement = in_force(head, gm)
    assert selectors.agreement_in_force_for(ly, DAY) == head_agreement
    branch_agreement = in_force(cs, gm)
    assert selectors.agreement_in_force_for(cs, DAY) == branch_agreement
    assert selectors.agreement_in_force_for(head, date(2025, 12, 31)) is None  # before valid_from
    make_agreement(ly, gm)  # a draft never governs
    assert selectors.agreement_in_force_for(ly, DAY) == head_agreement


def test_terminated_agreement_was_in_force_before_its_end(banks, gm) -> None:
    head = banks[0]
    agreement = in_force(head, gm)
    services.agreement_terminate(actor=gm, agreement=agreement, reason="合作终止", today=date(2026, 9, 1))
    assert selectors.agreement_in_force_for(head, date(2026, 8, 31)) == agreement
    assert selectors.agreement_in_force_for(head, date(2026, 9, 1)) is None


def test_daily_check_warns_the_manager_once_per_crossing(banks, gm, book) -> None:
    from danbao.notifications.models import MessageRecipient

    head = banks[0]
    agreement = in_force(head, gm, credit_line_amount=Decimal("1000000"), single_cap_amount=None)
    book.append(exposure("g1", "500000", "ABC"))
    assert services.credit_lines_check(on=DAY) == {"checked": 1, "changed": 0, "notified": 0}

    book.append(exposure("g2", "300000", "ABC-CS"))  # 80 %: amber
    mark = audit_mark()
    assert services.credit_lines_check(on=DAY) == {"checked": 1, "changed": 1, "notified": 1}
    assert_one_event("partners.credit_line_level", since=mark, data={"before": "green", "after": "amber"})
    received = MessageRecipient.objects.filter(user=gm, message__kind="partners.credit_line_warning")
    assert received.count() == 1
    assert "80.0%" in received.get().message.title
    assert services.credit_lines_check(on=DAY)["notified"] == 0  # same level: nothing new

    book.append(exposure("g3", "200000", "ABC-LY"))  # 100 %: red
    assert services.credit_lines_check(on=DAY)["notified"] == 1
    book.clear()  # repaid: back to green, logged, nobody bothered
    assert services.credit_lines_check(on=DAY) == {"checked": 1, "changed": 1, "notified": 0}
    book.append(exposure("g4", "900000", "ABC"))  # crossing again warns again
    assert services.credit_lines_check(on=DAY)["notified"] == 1
    assert received.count() == 3
    assert [a.level for a in agreement.alerts.order_by("id")] == ["amber", "red", "green", "amber"]


def test_check_task_runs_with_a_log(db, book) -> None:
    from danbao.partners.tasks import check_credit_lines
    from danbao.system.models import JobRun

    assert "0" in check_credit_lines()
    assert JobRun.objects.filter(task_name="danbao.partners.tasks.check_credit_lines", status="success").exists()


def test_channel_business_from_the_book(db, book) -> None:
    book += [exposure("g1", "100", channel_code="PARK-1"), exposure("g2", "250.50", channel_code="PARK-1"), exposure("g3", "7")]
    business = selectors.channel_business(DAY)
    assert set(business) == {"PARK-1"}
    assert (business["PARK-1"].count, business["PARK-1"].amount) == (2, Decimal("350.50"))


def test_usage_for_banks_reads_the_book_once(banks, gm, book, monkeypatch) -> None:
    from danbao.regulatory import exposures

    in_force(banks[0], gm)
    calls = []
    real = exposures.current
    monkeypatch.setattr(exposures, "current", lambda on: calls.append(on) or real(on))
    result = selectors.usage_for_banks(list(banks), DAY)
    assert len(calls) == 1 and set(result) == {b.pk for b in banks}
