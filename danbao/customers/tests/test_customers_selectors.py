"""Data scope of customers: owner, B-role, colleague, department head, risk, outsider."""

from __future__ import annotations

import pytest
from django.http import Http404

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.customers.selectors import customer_get_for, customer_history, customer_list_for
from danbao.customers.services import customer_update
from danbao.customers.tests.customers_support import make_customer

pytestmark = pytest.mark.django_db


def test_owner_sees_own_customers_only(owner, colleague):
    mine = make_customer(owner, name="甲")
    theirs = make_customer(colleague, name="乙")
    assert list(customer_list_for(owner)) == [mine]
    assert customer_get_for(owner, mine.pk) == mine
    with pytest.raises(Http404):
        customer_get_for(owner, theirs.pk)


def test_b_role_manager_sees_the_customer(owner, colleague):
    shared = make_customer(owner, b_manager=colleague)
    assert customer_get_for(colleague, shared.pk) == shared


def test_outsider_gets_404_and_the_miss_is_logged(owner, outsider):
    customer = make_customer(owner)
    mark = audit_mark()
    with pytest.raises(Http404):
        customer_get_for(outsider, customer.pk)
    assert_one_event("access.not_found", since=mark, object_type="customers.Customer", object_id=str(customer.pk))


def test_department_head_sees_the_department_risk_sees_all(owner, colleague, outsider, dept_head, risk_manager):
    a1 = make_customer(owner)
    a2 = make_customer(colleague)
    b1 = make_customer(outsider)
    assert set(customer_list_for(dept_head)) == {a1, a2}
    assert set(customer_list_for(risk_manager)) == {a1, a2, b1}


def test_administrators_and_users_without_roles_see_nothing(owner, sysadmin, nobody):
    make_customer(owner)
    assert not customer_list_for(sysadmin).exists()
    assert not customer_list_for(nobody).exists()


def test_bad_pk_is_404(owner):
    with pytest.raises(Http404):
        customer_get_for(owner, "abc")


def test_history_lists_who_and_which_fields(owner):
    customer = make_customer(owner, actor=owner)
    customer_update(actor=owner, customer=customer, expected_version=1, contact_address="新地址", email="a@example.com")
    timeline = customer_history(customer)
    assert timeline[0]["who"] == owner
    assert timeline[0]["type"] == "~"
    assert len(timeline[0]["fields"]) == 2
    assert timeline[-1]["type"] == "+"
