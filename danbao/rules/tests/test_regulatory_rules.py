"""REG_LEVERAGE and REG_CONCENTRATION through regulatory.what_if, at the 10× and 10% boundaries
(条例 arts. 15–16: "不得超过" — exactly at the cap passes)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.rules.tests.support import ON, exposure, fired, make_input, product_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

NET = D("10000000")  # 1000万 net assets → single limit 100万, leverage cap 1亿 (10×)


@pytest.fixture
def finance(org: Any) -> None:
    from danbao.org.tests.factories import UserFactory
    from danbao.regulatory.services import finance_input_save

    clerk = UserFactory(username="fin", department=org.head_office, roles=[org.roles["finance"]])
    finance_input_save(
        actor=clerk,
        period=date(2026, 5, 1),
        amounts={"net_assets_amount": NET, "total_assets_amount": D("20000000"), "cash_and_deposits_amount": D("20000000")},
        today=ON,
    )


def _version() -> Any:
    # Weight 100 % (other borrowing), the institution keeps the whole risk: liability = amount.
    return product_version(loan_kind="other", bank_share=D("0"), reguarantor_share=D("0"), fund_share=D("0"), amount_max=D("50000000"))


@pytest.mark.parametrize(("amount", "hit"), [("1000000", False), ("1000000.01", True)])
def test_single_party_concentration_10_percent(finance: None, amount: str, hit: bool) -> None:
    codes = fired(make_input(_version(), amount=D(amount), party_key="P-NEW", party_name="新客户"))
    assert ("REG_CONCENTRATION" in codes) is hit
    assert "REG_LEVERAGE" not in codes


@pytest.mark.parametrize(("existing", "hit"), [("99500000", False), ("99500000.01", True)])
def test_leverage_10_times(finance: None, book: list[Any], existing: str, hit: bool) -> None:
    # Existing book spread over parties of 50万 each (below 10 % each), plus one remainder.
    total = D(existing)
    n = int(total // D("500000"))
    for i in range(n):
        book.append(exposure(f"X{i}", "500000", key=f"g:{i}", loan_kind="other"))
    rest = total - D("500000") * n
    if rest:
        book.append(exposure("XR", str(rest), key="g:r", loan_kind="other"))
    codes = fired(make_input(_version(), amount=D("500000"), party_key="P-NEW"))
    assert ("REG_LEVERAGE" in codes) is hit
    assert "REG_CONCENTRATION" not in codes


def test_limit_rules_not_applicable_without_finance_figures() -> None:
    inp = make_input(_version(), amount=D("50000000"), party_key="P-NEW")
    from danbao.rules.services import rules_trial

    result = rules_trial(actor=None, rule_input=inp)
    leverage = next(r for r in result.results if r["code"] == "REG_LEVERAGE")
    assert leverage["outcome"] == "not_applicable" and "财务月报" in leverage["detail"]["why"]


def test_breach_reason_is_the_regulatory_text(finance: None) -> None:
    from danbao.rules.services import rules_trial

    result = rules_trial(actor=None, rule_input=make_input(_version(), amount=D("2000000"), party_key="P-NEW", party_name="湘江建材"))
    hit = next(h for h in result.hits if h["code"] == "REG_CONCENTRATION")
    assert hit["reason_zh"].startswith("新增本笔担保后：") and "湘江建材" in hit["reason_zh"] and "条例第十六条" in hit["reason_zh"]
