"""Finance inputs (save, correct, refuse) and the what-if service over dated parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.regulatory import services
from danbao.regulatory.categories import GuaranteeClass, LoanKind
from danbao.regulatory.exposures import Exposure
from danbao.regulatory.models import FinanceInput
from danbao.regulatory.tests.conftest import ON, WAN, amounts

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


def save(actor, period=date(2026, 10, 1), **kw):
    kw.setdefault("amounts", amounts(net_assets=10000))
    return services.finance_input_save(actor=actor, period=period, today=TODAY, **kw)


def test_finance_input_created_with_an_audit_event(finance) -> None:
    mark = audit_mark()
    record = save(finance, period=date(2026, 10, 17))
    assert record.period == date(2026, 10, 1) and record.net_assets_amount == 10000 * WAN and record.version == 1
    assert_one_event("regulatory.finance_input_saved", since=mark, actor_id=finance.pk, data={"action": "created", "period": "2026-10-01"})


def test_correction_needs_a_reason_and_the_current_version_and_keeps_history(finance) -> None:
    record = save(finance)
    with pytest.raises(DomainError) as exc:
        save(finance, amounts=amounts(net_assets=11000), expected_version=1)
    assert exc.value.code == "regulatory.reason_required"
    with pytest.raises(DomainError) as exc:
        save(finance, amounts=amounts(net_assets=11000), expected_version=0, note="审计调整")
    assert exc.value.code == "regulatory.stale"
    mark = audit_mark()
    corrected = save(finance, amounts=amounts(net_assets=11000), expected_version=1, note="审计调整")
    assert corrected.pk == record.pk and corrected.version == 2 and corrected.net_assets_amount == 11000 * WAN
    event = assert_one_event("regulatory.finance_input_saved", since=mark, data={"action": "corrected", "fields": ["net_assets_amount"]})
    assert event.data["before"] == {"net_assets_amount": "100000000.00"}
    assert [h.net_assets_amount for h in corrected.history.order_by("history_id")] == [10000 * WAN, 11000 * WAN]
    assert FinanceInput.objects.count() == 1


def test_saving_the_same_figures_again_changes_nothing(finance) -> None:
    save(finance)
    mark = audit_mark()
    again = save(finance, expected_version=1)
    assert again.version == 1
    assert_no_event("regulatory.finance_input_saved", since=mark)


@pytest.mark.parametrize(
    ("kwargs", "code", "text"),
    [
        ({"period": date(2026, 12, 1)}, "regulatory.period_in_future", "2026-12"),
        ({"amounts": amounts(net_assets=-1)}, "regulatory.negative_amount", "net_assets_amount"),
        ({"amounts": amounts(total_assets=100, cash_and_deposits=150)}, "regulatory.levels_exceed_base", "1,500,000.00"),
    ],
)
def test_bad_figures_are_refused_and_nothing_is_saved(finance, kwargs, code, text) -> None:
    with pytest.raises(DomainError) as exc:
        save(finance, **kwargs)
    assert exc.value.code == code and (text in exc.value.message or exc.value.data.get("field") == text)
    assert FinanceInput.objects.count() == 0


def test_chinese_messages(finance) -> None:
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(DomainError) as exc:
        save(finance, amounts=amounts(net_assets=-1))
    assert "净资产" in exc.value.message and "负数" in exc.value.message
    with translation.override("zh-hans"), pytest.raises(DomainError) as exc:
        save(finance, period=date(2027, 1, 1))
    assert "2027-01" in exc.value.message and "尚未到来" in exc.value.message


def test_only_holders_of_the_permission_enter_figures(owner, risk_manager) -> None:
    for actor in (owner, risk_manager, None):
        with pytest.raises(DomainError) as exc:
            save(actor)
        assert exc.value.code == "regulatory.permission_denied"
    assert FinanceInput.objects.count() == 0


# --- what-if ---------------------------------------------------------------------------------------


def other(key, party, wan, group=""):
    return Exposure(key, party, party, GuaranteeClass.LOAN, Decimal(wan) * WAN, loan_kind=LoanKind.OTHER, group_key=group)


@pytest.fixture
def tv05(finance, catalogue, book):
    save(finance, amounts=amounts(net_assets=10000))
    book.extend([other("E1", "E", 900, "G"), other("F1", "F", 500, "G"), other("G1", "Gp", 200, "G")])
    return book


def test_what_if_tv05_refuses_with_single_and_group_breaches(tv05) -> None:
    result = services.what_if(proposed=other("new", "E", 150, "G"), on=ON)
    assert result.complete and not result.ok
    assert result.single_before.ratio == Decimal("0.09") and result.single_after.ratio == Decimal("0.105")
    assert result.group_after.amount == 1750 * WAN and result.group_after.ratio == Decimal("0.175")
    assert [b.code for b in result.breaches] == ["single", "group"]
    assert result.headroom["single"] == -50 * WAN and result.headroom["group"] == -250 * WAN
    assert result.limits["concentration_single"] == Decimal("0.1") and result.limits["leverage_cap"] == 10
    assert result.net_assets == 10000 * WAN and result.finance_period == date(2026, 10, 1)
    codes = {p.code: p for p in result.parameters}
    assert codes["concentration_single"].grade == "V" and codes["threshold_basis"].ambiguous
    assert "本公司承担份额" in codes["threshold_basis"].meaning


def test_what_if_reads_the_limit_in_force_on_the_date(tv05, sysadmin) -> None:
    from danbao.system.models import Parameter
    from danbao.system.services.parameters import parameter_set

    parameter_set(
        actor=sysadmin,
        parameter=Parameter.objects.get(code="concentration_single"),
        value="12",
        valid_from=date(2026, 10, 15),
        source="省级细则（假设）",
        today=date(2026, 10, 1),
    )
    assert [b.code for b in services.what_if(proposed=other("new", "E", 150, "G"), on=date(2026, 10, 14)).breaches] == ["single", "group"]
    assert [b.code for b in services.what_if(proposed=other("new", "E", 150, "G"), on=ON).breaches] == ["group"]


def test_what_if_without_finance_figures_is_incomplete(catalogue, book) -> None:
    result = services.what_if(proposed=other("new", "E", 150), on=ON)
    assert not result.complete and not result.ok and result.breaches == []
    assert "净资产" in result.warnings[0]


def test_what_if_with_no_source_warns_that_only_the_proposal_is_counted(finance, catalogue) -> None:
    save(finance, amounts=amounts(net_assets=10000))
    result = services.what_if(proposed=other("new", "E", 150), on=ON)
    assert result.ok and result.single_after.ratio == Decimal("0.015")
    assert any("尚无在保业务" in w for w in result.warnings) or result.exposures_registered


def test_what_if_net_assets_less_equity_in_guarantors(finance, catalogue, book) -> None:
    # TV-02: book 12,000, equity in another guarantor 1,000 → 11,000; 150,000 at 10× breaches by 40,000.
    save(finance, amounts=amounts(net_assets=12000, equity_in_guarantors=1000, total_assets=20000))
    book.append(other("big", "X", 149000))
    result = services.what_if(proposed=other("new", "Y", 1000), on=ON)
    assert result.net_assets == 11000 * WAN and result.book_net_assets == 12000 * WAN
    assert result.leverage_after.ratio.quantize(Decimal("0.0001")) == Decimal("13.6364")
    assert result.leverage_after.headroom == -40000 * WAN
    assert [b.code for b in result.breaches] == ["leverage"]
