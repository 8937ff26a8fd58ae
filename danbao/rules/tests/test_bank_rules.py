"""BANK_AGREEMENT, BANK_CREDIT_LINE and BANK_SINGLE_CAP through the partners selectors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.partners.tests.factories import in_force, make_bank
from danbao.rules.tests.support import exposure, fired, make_input, product_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


@pytest.fixture
def bank(owner: Any) -> Any:
    head = make_bank("ABC", "农业银行湖南省分行")
    in_force(head, owner, credit_line_amount=D("10000000"), single_cap_amount=D("3000000"))
    return make_bank("ABC-CS", "农业银行长沙分行", parent=head)


@pytest.fixture
def version() -> Any:
    return product_version(amount_max=D("50000000"))


def _inp(version: Any, **kw: Any) -> Any:
    return make_input(version, **kw)


def test_no_bank_no_bank_rules(version: Any) -> None:
    assert not fired(
        _inp(
            version,
        )
    ) & {"BANK_AGREEMENT", "BANK_CREDIT_LINE", "BANK_SINGLE_CAP"}


def test_agreement_in_force_via_head_office(bank: Any, version: Any) -> None:
    assert "BANK_AGREEMENT" not in fired(_inp(version, bank_code="ABC-CS", amount=D("1000000")))
    assert "BANK_AGREEMENT" in fired(_inp(version, bank_code="ABC-CS", on=date(2028, 1, 1)))  # after valid_to
    make_bank("ICBC", "工商银行")
    assert "BANK_AGREEMENT" in fired(_inp(version, bank_code="ICBC"))
    assert "BANK_AGREEMENT" in fired(_inp(version, bank_code="NOPE"))


@pytest.mark.parametrize(("existing", "hit"), [("7000000", False), ("7000000.01", True)])
def test_credit_line_with_branch_usage(bank: Any, version: Any, book: list[Any], existing: str, hit: bool) -> None:
    book.append(exposure("P1", existing, bank_code="ABC-CS"))
    book.append(exposure("P2", "5000000", key="g:other", bank_code="ICBC"))  # another bank's loans do not count
    assert ("BANK_CREDIT_LINE" in fired(_inp(version, bank_code="ABC-CS", amount=D("3000000")))) is hit


@pytest.mark.parametrize(("amount", "hit"), [("3000000", False), ("3000000.01", True)])
def test_single_cap(bank: Any, version: Any, amount: str, hit: bool) -> None:
    assert ("BANK_SINGLE_CAP" in fired(_inp(version, bank_code="ABC-CS", amount=D(amount)))) is hit
