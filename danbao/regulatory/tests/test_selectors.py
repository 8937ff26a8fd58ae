"""A customer as a guaranteed party: identity code, loan kind by kind and size, related-party group."""

from __future__ import annotations

import pytest

from danbao.customers.models.customer import Customer
from danbao.customers.services_extras import relations
from danbao.customers.tests.customers_support import make_customer, new_uscc
from danbao.regulatory.categories import LoanKind
from danbao.regulatory.selectors import group_key_for, loan_kind_for, party_for_customer, what_if_customers_for

pytestmark = pytest.mark.django_db


def test_party_of_a_customer_without_group(owner) -> None:
    farmer = make_customer(owner, kind="farmer", name="张三")
    party = party_for_customer(farmer)
    assert party.party_key == farmer.identity_code and party.loan_kind == LoanKind.FARMER
    assert party.group_key == "" and party.related_party_keys == frozenset()
    assert party.loan_kind_label


@pytest.mark.parametrize(
    ("kind", "size", "expected"),
    [
        ("farmer", "", LoanKind.FARMER),
        ("family_farm", "small", LoanKind.FARMER),
        ("individual_business", "", LoanKind.SMALL_MICRO),
        ("enterprise", "micro", LoanKind.SMALL_MICRO),
        ("enterprise", "small", LoanKind.SMALL_MICRO),
        ("cooperative", "small", LoanKind.SMALL_MICRO),
        ("enterprise", "medium", LoanKind.OTHER),
        ("enterprise", "large", LoanKind.OTHER),
        ("enterprise", "", LoanKind.OTHER),
        ("natural_person", "", LoanKind.OTHER),
    ],
)
def test_loan_kind_by_kind_and_size(kind, size, expected) -> None:
    assert loan_kind_for(Customer(kind=kind, size_class=size)) == expected


def test_related_party_group_gives_group_key_and_member_codes(owner) -> None:
    a = make_customer(owner, name="甲公司", identity_code=new_uscc())
    b = make_customer(owner, name="乙公司", identity_code=new_uscc())
    relations.relation_add(
        actor=owner, customer=a, values={"kind": "affiliate", "party_type": "company", "party_customer": b, "party_name": b.name}
    )
    party = party_for_customer(a)
    assert party.related_party_keys == frozenset({b.identity_code})
    assert party.group_key == group_key_for([a.identity_code, b.identity_code]) == f"group:{min(a.identity_code, b.identity_code)}"
    assert party_for_customer(b).group_key == party.group_key
    assert party.related_names == ("乙公司",)


def test_what_if_customers_follow_the_data_scope(owner, outsider) -> None:
    mine = make_customer(owner, name="甲公司")
    assert list(what_if_customers_for(owner)) == [mine]
    assert list(what_if_customers_for(outsider)) == []
