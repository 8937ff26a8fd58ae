"""Demo customers: about 300, every kind, valid codes, spread over the managers, idempotent."""

from __future__ import annotations

import pytest

from danbao.customers.demo import seed
from danbao.customers.identity import check_ric, check_uscc
from danbao.customers.models import Customer, CustomerKind


@pytest.mark.django_db
def test_demo_customers_are_valid_spread_and_idempotent():
    from danbao.org.demo import seed as org_seed

    org_seed()
    first = seed()
    count = Customer.objects.count()
    assert 280 <= count <= 320, first
    assert set(Customer.objects.values_list("kind", flat=True)) == set(CustomerKind.values)
    assert set(Customer.objects.values_list("manager__username", flat=True)) == {"manager", "manager2", "manager3", "manager4"}
    for customer in Customer.objects.all():
        check = check_uscc(customer.identity_code) if customer.identity_type == "uscc" else check_ric(customer.identity_code)
        assert check.valid, (customer.name, check.errors)
        assert customer.department_id == customer.manager.department_id
    assert any(code.startswith("N2") for code in Customer.objects.values_list("identity_code", flat=True))
    assert Customer.objects.exclude(size_class="").exists()
    assert Customer.objects.filter(name__endswith="专业合作社").exists()
    second = seed()
    assert Customer.objects.count() == count
    assert second.startswith("0 customers created")


@pytest.mark.django_db
def test_demo_skips_without_the_demo_managers():
    assert seed().startswith("skipped")
    assert not Customer.objects.exists()


def test_demo_step_is_registered_after_the_organisation():
    from danbao.core.demo import steps

    by_key = {s.key: s for s in steps}
    assert by_key["customers"].order == 40 and by_key["customers"].order > by_key["org"].order
