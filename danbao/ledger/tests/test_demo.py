"""The demo step: disburses approved projects that have a letter, inside one enclosing transaction,
and does nothing the second time."""

from __future__ import annotations

import pytest
from django.db import transaction

from danbao.ledger.demo import seed
from danbao.ledger.models import Guarantee, Loan

pytestmark = pytest.mark.django_db


def test_demo_step_disburses_and_is_idempotent(lettered, approved):
    with transaction.atomic():
        summary = seed()
    g = Guarantee.objects.get(project=lettered)
    assert "1 customers" in summary
    assert g.loan_balance == sum(loan.amount for loan in Loan.objects.filter(guarantee=g))
    assert g.guaranteed_amount <= lettered.approved_amount
    assert Loan.objects.filter(guarantee=g).first().lines.exists()
    count = Loan.objects.count()
    with transaction.atomic():
        seed()
    assert Loan.objects.count() == count
