"""Every rule with passing and failing examples at its boundaries (exactly at the limit passes —
「以下」「以内」 include the number — one cent, one month or one day beyond fires)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.customers.services_extras import screening
from danbao.customers.tests.extras_support import customer, uscc
from danbao.products.services import product_transition
from danbao.rules.checks import industry_matches, region_prefix
from danbao.rules.tests.support import ON, exposure, fired, make_input, product_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("99999.99", {"PRD_AMOUNT_MIN"}), ("100000", set()), ("5000000", set()), ("5000000.01", {"PRD_AMOUNT_MAX"})],
)
def test_amount_min_and_max(amount: str, expected: set[str]) -> None:
    version = product_version()
    assert fired(make_input(version, amount=D(amount))) & {"PRD_AMOUNT_MIN", "PRD_AMOUNT_MAX"} == expected


@pytest.mark.parametrize(("term", "expected"), [(2, {"PRD_TERM_MIN"}), (3, set()), (12, set()), (13, {"PRD_TERM_MAX"})])
def test_term_min_and_max(term: int, expected: set[str]) -> None:
    version = product_version()
    assert fired(make_input(version, term_months=term)) & {"PRD_TERM_MIN", "PRD_TERM_MAX"} == expected


def test_term_not_given_is_not_applicable() -> None:
    version = product_version()
    assert not fired(make_input(version, term_months=None)) & {"PRD_TERM_MIN", "PRD_TERM_MAX"}


@pytest.mark.parametrize(("kind", "hit"), [("enterprise", False), ("individual_business", False), ("farmer", True)])
def test_customer_kind(kind: str, hit: bool) -> None:
    version = product_version()
    assert ("PRD_CUSTOMER_KIND" in fired(make_input(version, customer_kind=kind))) is hit


@pytest.mark.parametrize(
    ("industry", "hit"),
    [("0111", False), ("01", False), ("A", False), ("1311", True), ("", True), ("9999", True)],
)
def test_industry_section_matches_any_level(industry: str, hit: bool) -> None:
    version = product_version(industries=["A"])
    assert ("PRD_INDUSTRY" in fired(make_input(version, industry_code=industry))) is hit


def test_industry_unrestricted_product_passes_anything() -> None:
    version = product_version()
    assert "PRD_INDUSTRY" not in fired(make_input(version, industry_code=""))


def test_industry_matches_helper() -> None:
    assert industry_matches("0111", ["01"]) and industry_matches("0111", ["011"]) and not industry_matches("0121", ["011"])


@pytest.mark.parametrize(
    ("region", "hit"),
    [("430000", False), ("430100", False), ("430102", False), ("440100", True), ("", True)],
)
def test_region_province_prefix(region: str, hit: bool) -> None:
    version = product_version(regions=["430000"])
    assert ("PRD_REGION" in fired(make_input(version, region_code=region))) is hit


def test_region_city_does_not_cover_other_city() -> None:
    version = product_version(regions=["430100"])
    assert "PRD_REGION" not in fired(make_input(version, region_code="430102"))
    assert "PRD_REGION" in fired(make_input(version, region_code="430202"))
    assert region_prefix("430000") == "43" and region_prefix("430100") == "4301" and region_prefix("430102") == "430102"


def test_product_active_on_dates_and_status(gm: Any) -> None:
    version = product_version(effective_from=date(2026, 1, 1), effective_to=date(2026, 12, 31))
    assert "PRD_ACTIVE" in fired(make_input(version, on=date(2025, 12, 31)))
    assert "PRD_ACTIVE" not in fired(make_input(version, on=date(2026, 1, 1)))
    assert "PRD_ACTIVE" not in fired(make_input(version, on=date(2026, 12, 31)))
    assert "PRD_ACTIVE" in fired(make_input(version, on=date(2027, 1, 1)))
    product_transition(actor=gm, product=version.product, target="suspended", reason="暂停测试")
    version.product.refresh_from_db()
    assert "PRD_ACTIVE" in fired(make_input(version, on=date(2026, 6, 1)))


@pytest.mark.parametrize(("rate", "hit"), [("0.004999", True), ("0.005", False), ("0.01", False), ("0.010001", True)])
def test_fee_within_product_range(rate: str, hit: bool) -> None:
    version = product_version()
    assert ("FEE_IN_RANGE" in fired(make_input(version, fee_rate=D(rate)))) is hit


def test_fee_rules_need_a_fee_rate() -> None:
    version = product_version(is_policy=True)
    assert not fired(make_input(version, fee_rate=None)) & {"FEE_IN_RANGE", "POLICY_FEE_CAP"}


@pytest.mark.parametrize(
    ("amount", "rate", "hit"),
    [
        ("5000000", "0.01", False),  # ≤500万 (inclusive) at 1%
        ("5000000", "0.010001", True),  # ≤500万 above 1%
        ("5000000.01", "0.010001", False),  # >500万 may charge up to 1.5%
        ("5000000.01", "0.015", False),
        ("5000000.01", "0.015001", True),
    ],
)
def test_policy_fee_cap_bands(amount: str, rate: str, hit: bool) -> None:
    version = product_version(is_policy=True, amount_max=D("10000000"), fee_rate_max=D("0.015"))
    assert ("POLICY_FEE_CAP" in fired(make_input(version, amount=D(amount), fee_rate=D(rate)))) is hit


def test_policy_fee_cap_counts_the_household_in_force(book: list[Any]) -> None:
    version = product_version(is_policy=True, amount_max=D("10000000"), fee_rate_max=D("0.015"))
    code = uscc()
    book.append(exposure(code, "4000000"))
    # 400万 in force + 100万 applied for = exactly 500万: the ≤500万 band (1%) applies to the household.
    assert "POLICY_FEE_CAP" in fired(make_input(version, amount=D("1000000"), fee_rate=D("0.012"), party_key=code))
    # One cent more puts the household above 500万, where 1.2% is within the 1.5% cap.
    assert "POLICY_FEE_CAP" not in fired(make_input(version, amount=D("1000000.01"), fee_rate=D("0.012"), party_key=code))


def test_policy_fee_cap_not_for_commercial_products() -> None:
    version = product_version(fee_rate_max=D("0.03"), fee_rate_default=D("0.02"))
    assert "POLICY_FEE_CAP" not in fired(make_input(version, fee_rate=D("0.02")))


@pytest.mark.parametrize(("amount", "hit"), [("10000000", False), ("10000000.01", True)])
def test_gov_single_max(amount: str, hit: bool) -> None:
    version = product_version(is_policy=True, amount_max=D("20000000"), fee_rate_max=D("0.015"))
    assert ("GOV_SINGLE_MAX" in fired(make_input(version, amount=D(amount)))) is hit


def test_gov_single_max_adds_existing_balance(book: list[Any]) -> None:
    version = product_version(is_policy=True, amount_max=D("20000000"), fee_rate_max=D("0.015"))
    book.append(exposure("P1", "9000000"))
    assert "GOV_SINGLE_MAX" not in fired(make_input(version, amount=D("1000000"), party_key="P1"))
    assert "GOV_SINGLE_MAX" in fired(make_input(version, amount=D("1000000.01"), party_key="P1"))
    # The proposed guarantee itself (same key) is not counted twice.
    proposed = exposure("P1", "1000000.01", key="g:new")
    book.append(proposed)
    assert "GOV_SINGLE_MAX" in fired(make_input(version, amount=D("1000000.01"), party_key="P1", exposure=proposed))
    assert "GOV_SINGLE_MAX" not in fired(
        make_input(version, amount=D("1000000"), party_key="P1", exposure=exposure("P1", "1", key="g:new"))
    )


def _agri(**kw: Any) -> Any:
    base = dict(
        code="NJ-1",
        business_type="agri_policy",
        loan_kind="farmer",
        is_policy=True,
        customer_kinds=["farmer"],
        amount_min=D("10000"),
        amount_max=D("10000000"),
        fee_rate_min=D("0.005"),
        fee_rate_max=D("0.008"),
        fee_rate_default=D("0.006"),
    )
    base.update(kw)
    return product_version(**base)


@pytest.mark.parametrize(("amount", "hit"), [("99999.99", True), ("100000", False), ("3000000", False), ("3000000.01", True)])
def test_nongdan_policy_range(amount: str, hit: bool) -> None:
    version = _agri()
    assert ("NONGDAN_POLICY_RANGE" in fired(make_input(version, amount=D(amount)))) is hit


@pytest.mark.parametrize(("existing", "hit"), [("0", False), ("0.01", True)])
def test_nongdan_single_max_household_total(existing: str, hit: bool, book: list[Any]) -> None:
    version = _agri()  # a product above 1000万 cannot even be published; the household total can exceed it
    book.append(exposure("F1", existing))
    assert ("NONGDAN_SINGLE_MAX" in fired(make_input(version, amount=D("10000000"), party_key="F1"))) is hit


@pytest.mark.parametrize(("rate", "hit"), [("0.008", False), ("0.008001", True)])
def test_nongdan_fee_cap(rate: str, hit: bool) -> None:
    version = _agri(fee_rate_max=D("0.01"))
    assert ("NONGDAN_FEE_CAP" in fired(make_input(version, fee_rate=D(rate), amount=D("200000")))) is hit


def test_agri_rules_skip_other_products() -> None:
    version = product_version(amount_max=D("20000000"))
    codes = fired(make_input(version, amount=D("15000000"), fee_rate=D("0.01")))
    assert not codes & {"NONGDAN_POLICY_RANGE", "NONGDAN_SINGLE_MAX", "NONGDAN_FEE_CAP", "GOV_SINGLE_MAX"}


def test_customer_closed(owner: Any) -> None:
    from danbao.customers.services import customer_close

    version = product_version()
    c = customer(owner)
    assert "CUST_CLOSED" not in fired(make_input(version, customer=c))
    customer_close(actor=None, customer=c, reason="客户注销")
    c.refresh_from_db()
    assert "CUST_CLOSED" in fired(make_input(version, customer=c))


def test_screening_open_then_confirmed(owner: Any, risk_manager: Any) -> None:
    from danbao.customers.models import ScreeningHit

    version = product_version()
    c = customer(owner, "长沙黑名单测试有限公司")
    assert not fired(make_input(version, customer=c)) & {"CUST_SCREENING_OPEN", "CUST_WATCHLIST"}
    screening.internal_entry_add(actor=risk_manager, name=c.name, id_code=c.identity_code, reason="恶意逃废债")
    screening.screen_customer(c)
    codes = fired(make_input(version, customer=c))
    assert "CUST_SCREENING_OPEN" in codes and "CUST_WATCHLIST" not in codes
    hit = ScreeningHit.objects.get(customer=c)
    screening.hit_handle(actor=risk_manager, hit=hit, decision="confirmed", reason="核实为同一主体")
    codes = fired(make_input(version, customer=c))
    assert "CUST_WATCHLIST" in codes and "CUST_SCREENING_OPEN" not in codes


def test_dismissed_hit_does_not_fire(owner: Any, risk_manager: Any) -> None:
    from danbao.customers.models import ScreeningHit

    version = product_version()
    c = customer(owner, "长沙同名测试有限公司")
    screening.internal_entry_add(actor=risk_manager, name=c.name, reason="同名")
    screening.screen_customer(c)
    screening.hit_handle(actor=risk_manager, hit=ScreeningHit.objects.get(customer=c), decision="dismissed", reason="同名不同人")
    assert not fired(make_input(version, customer=c)) & {"CUST_SCREENING_OPEN", "CUST_WATCHLIST"}


def test_customer_rules_without_customer_are_not_applicable() -> None:
    version = product_version()
    assert not fired(make_input(version)) & {"CUST_CLOSED", "CUST_WATCHLIST", "CUST_SCREENING_OPEN"}


def test_day_after_effective_from_minus_one() -> None:
    version = product_version(effective_from=ON)
    assert "PRD_ACTIVE" in fired(make_input(version, on=ON - timedelta(days=1)))
