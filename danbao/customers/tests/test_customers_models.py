"""The one-customer-per-code constraint holds even when two people save at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from danbao.core.crypto import blind_index
from danbao.core.errors import DomainError
from danbao.customers.models import Customer
from danbao.customers.services import customer_update
from danbao.customers.tests.customers_support import make_customer, new_uscc


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_with_the_same_code_leave_one_customer(owner, colleague):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    code = new_uscc()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(manager, name):
        try:
            barrier.wait(timeout=10)
            make_customer(manager, identity_code=code, name=name)
            outcomes.append("created")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=create, args=(u, n)) for u, n in ((owner, "甲公司"), (colleague, "乙公司"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["created", "customers.duplicate"]
    assert Customer.objects.filter(identity_index=blind_index(code)).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_updates_from_the_same_version_one_wins(owner):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    customer = make_customer(owner)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def update(address):
        try:
            copy = Customer.objects.get(pk=customer.pk)
            barrier.wait(timeout=10)
            customer_update(actor=owner, customer=copy, expected_version=1, contact_address=address)
            outcomes.append("saved")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=update, args=(a,)) for a in ("地址一", "地址二")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["customers.stale", "saved"]
    customer.refresh_from_db()
    assert customer.version == 2


@pytest.mark.django_db
def test_str_and_effective_size(owner):
    customer = make_customer(owner, name="甲公司")
    assert str(customer) == "甲公司"
    assert customer.is_organisation and customer.is_active
