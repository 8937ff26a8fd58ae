"""SECURITY 46: ID numbers, mobiles and other C2 columns are ciphertext at rest; exact search and
uniqueness go through blind indexes; key rotation re-encrypts and keeps them."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command
from django.db import connection

from danbao.core import crypto
from danbao.customers.models import Customer
from danbao.customers.tests.customers_support import make_customer

pytestmark = pytest.mark.django_db


def _raw(table: str, columns: str, pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def test_personal_columns_are_ciphertext_in_the_table_and_history(owner) -> None:
    person = make_customer(
        owner, kind="natural_person", identity_code="11010519491231002X", mobile="13800138000", spouse_id="440524188001010014"
    )
    code, mobile, spouse = _raw("customers_customer", "identity_code, mobile, spouse_id", person.pk)
    assert all(value.startswith("v1:") for value in (code, mobile, spouse))
    assert "11010519491231002X" not in code and "13800138000" not in mobile
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_code FROM customers_historicalcustomer WHERE id = %s", [person.pk])
        assert all(row[0].startswith("v1:") for row in cursor.fetchall())
    assert Customer.objects.get(pk=person.pk).identity_code == "11010519491231002X"


def test_exact_search_and_uniqueness_use_the_blind_index(owner, client_for) -> None:
    from django.urls import reverse

    company = make_customer(owner, identity_code="91350100M000100Y43")
    assert Customer.objects.get(identity_index=crypto.blind_index("91350100m000100y43")) == company
    page = client_for(owner).get(reverse("customers:customer-list"), {"q": "91350100M000100Y43"}).content.decode()
    assert company.name in page
    from danbao.core.errors import DomainError

    with pytest.raises(DomainError):
        make_customer(owner, identity_code="91350100M000100Y43", name="另一家公司")


def test_rotation_command_moves_rows_to_the_new_key_and_keeps_indexes(owner, settings) -> None:
    customer = make_customer(owner, identity_code="91350100M000100Y43", mobile="13800138000")
    old_index = Customer.objects.values_list("identity_index", flat=True).get(pk=customer.pk)
    new_key = base64.b64encode(b"n" * 32).decode()
    settings.FIELD_ENCRYPTION_KEYS = f"k9:{new_key},{settings.FIELD_ENCRYPTION_KEYS}"
    call_command("reencrypt_fields", stdout=io.StringIO())
    raw_code, raw_mobile = _raw("customers_customer", "identity_code, mobile", customer.pk)
    assert raw_code.startswith("v1:k9:") and raw_mobile.startswith("v1:k9:")
    reread = Customer.objects.get(pk=customer.pk)
    assert (reread.identity_code, reread.mobile, reread.identity_index) == ("91350100M000100Y43", "13800138000", old_index)
