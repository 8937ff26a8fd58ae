"""The `ledger` exposure source: what it yields, that credit-line usage, the regulatory metrics and
the what-if read it, and that its cost does not grow in queries with the size of the book."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danbao.ledger import book
from danbao.ledger.models import Guarantee, Loan
from danbao.ledger.tests.support import LOAN_DATE, TODAY, record
from danbao.regulatory import exposures

pytestmark = pytest.mark.django_db


def test_exposure_matches_the_what_if_view(lettered, owner):
    from danbao.projects.selectors import exposure_of

    g = record(lettered, owner).guarantee
    [e] = book.exposures_on(TODAY)
    proposed = exposure_of(lettered, D("500000"))
    assert e.key == f"guarantee:{g.pk}"
    for name in ("party_key", "party_name", "guarantee_class", "loan_kind", "group_key", "bank_code", "product_code", "is_policy"):
        assert getattr(e, name) == getattr(proposed, name), name
    assert e.loan_balance == D("500000")
    assert e.own_share == D("0.8") and e.reguarantee_share == D("0.4")  # 1 − bank 20 %; re-guarantor 20 % + fund 20 %
    assert e.bank_code == lettered.branch.code


def test_only_loans_lent_by_the_date(lettered, owner):
    record(lettered, owner)
    assert book.exposures_on(LOAN_DATE - dt.timedelta(days=1)) == []
    record(lettered, owner, loan_contract_number="X-2", amount=D("100000"), loan_date=TODAY)
    [before] = book.exposures_on(TODAY - dt.timedelta(days=1))
    [now] = book.exposures_on(TODAY)
    assert before.loan_balance == D("500000") and now.loan_balance == D("600000")


def test_registered_source_feeds_credit_line_usage(lettered, owner):
    from danbao.partners.selectors import agreement_in_force_for, credit_line_usage

    agreement = agreement_in_force_for(lettered.branch, TODAY)
    before = credit_line_usage(agreement, TODAY)
    record(lettered, owner)
    after = credit_line_usage(agreement, TODAY)
    assert "ledger" in exposures.sources
    assert after.used - before.used == D("500000")
    assert after.available == before.available - D("500000")


def test_registered_source_feeds_regulatory_metrics(lettered, owner):
    from danbao.regulatory.calculations import compute_liability_table
    from danbao.regulatory.params import load_weights

    record(lettered, owner)
    table = compute_liability_table(exposures.current(TODAY), load_weights(TODAY))
    assert table.total_gross == D("500000")
    g = Guarantee.objects.get()
    assert table.total_liability == g.regulatory_balance

    from danbao.regulatory.metrics import metrics_on

    report = metrics_on(TODAY)
    assert report.exposure_count == 1 and report.table.total_liability == g.regulatory_balance


def _clone(project, n, *, customers=False):  # type: ignore[no-untyped-def]
    """n more approved projects with one guarantee and one loan each, written in bulk (each with its
    own customer when `customers`)."""
    from danbao.customers.models import Customer
    from danbao.projects.models import Project

    g = Guarantee.objects.get(project=project)
    loan = Loan.objects.get(guarantee=g)
    customer_ids = [project.customer_id] * n
    if customers:
        c = project.customer
        cfields = {
            f.attname: getattr(c, f.attname)
            for f in Customer._meta.concrete_fields
            if f.attname not in ("id", "identity_code", "identity_index", "name")
        }
        made = Customer.objects.bulk_create(
            [Customer(name=f"批量客户{i}", identity_code=f"9143BK{i:012d}", **cfields) for i in range(n)], batch_size=2000
        )
        customer_ids = (
            [x.pk for x in made]
            if made[0].pk
            else list(Customer.objects.filter(name__startswith="批量客户").order_by("pk").values_list("pk", flat=True))
        )
    fields = {
        f.attname: getattr(project, f.attname) for f in Project._meta.concrete_fields if f.attname not in ("id", "number", "customer_id")
    }
    projects = Project.objects.bulk_create(
        [Project(number=f"BK-{i:06d}", customer_id=customer_ids[i], **fields) for i in range(n)], batch_size=2000
    )
    if not projects[0].pk:
        projects = list(Project.objects.filter(number__startswith="BK-").order_by("pk"))
    gfields = {
        f.attname: getattr(g, f.attname) for f in Guarantee._meta.concrete_fields if f.attname not in ("id", "project_id", "customer_id")
    }
    guarantees = Guarantee.objects.bulk_create(
        [Guarantee(project_id=p.pk, customer_id=p.customer_id, **gfields) for p in projects], batch_size=2000
    )
    if not guarantees[0].pk:
        guarantees = list(Guarantee.objects.filter(project__number__startswith="BK-").order_by("pk"))
    lfields = {
        f.attname: getattr(loan, f.attname)
        for f in Loan._meta.concrete_fields
        if f.attname not in ("id", "guarantee_id", "contract_number", "idempotency_key")
    }
    Loan.objects.bulk_create([Loan(guarantee_id=x.pk, contract_number=f"BK-{x.pk}", **lfields) for x in guarantees], batch_size=2000)


def test_queries_do_not_grow_with_the_book(lettered, owner):
    record(lettered, owner)
    with CaptureQueriesContext(connection) as small:
        assert len(book.exposures_on(TODAY)) == 1
    _clone(lettered, 200)
    with CaptureQueriesContext(connection) as large:
        assert len(book.exposures_on(TODAY)) == 201
    assert len(large) == len(small) <= 6


def test_speed_of_a_large_book(lettered, owner, capsys):
    """LEDGER_BOOK_SIZE=10000 measures the figure quoted in docs/ledger.md (default 1,000 in the suite)."""
    size = int(os.environ.get("LEDGER_BOOK_SIZE", "1000"))
    record(lettered, owner)
    _clone(lettered, size - 1, customers=True)
    started = time.perf_counter()
    if os.environ.get("LEDGER_PROFILE"):
        import cProfile
        import pstats

        prof = cProfile.Profile()
        items = prof.runcall(book.exposures_on, TODAY)
        with capsys.disabled():
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    else:
        items = book.exposures_on(TODAY)
    elapsed = time.perf_counter() - started
    assert len(items) == size
    with capsys.disabled():
        print(f"\nledger exposure source: {size} guarantees in {elapsed:.3f} s ({connection.vendor})")
    assert elapsed < 10


def test_exposure_is_a_valid_dataclass(lettered, owner):
    record(lettered, owner)
    [e] = book.exposures_on(TODAY)
    assert dataclasses.replace(e, key="x").key == "x"
