"""Release test helpers: a lettered project with a recorded loan (ledger helpers), its securities put in
place directly (the securities app tests its own fulfilment), and users of the finance/archive roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danbao.ledger.schedules import add_months
from danbao.ledger.tests.support import TODAY, record
from danbao.securities import lifecycle as sec_lifecycle
from danbao.securities import services as sec
from danbao.securities.models import MeasureState
from danbao.securities.tests.support import guarantee as personal_guarantee
from danbao.securities.tests.support import house, mortgage
from danbao.securities.tests.support import register as register_collateral

START = TODAY - dt.timedelta(days=200)


def scan(name: str = "notice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def archivist(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="archivist", department=org.head_office, roles=[org.roles["archivist"]], real_name="林档案")


@pytest.fixture
def finance(org: Any) -> Any:
    from danbao.org.tests.factories import UserFactory

    return UserFactory(username="finance", department=org.head_office, roles=[org.roles["finance"]], real_name="钱财务")


@pytest.fixture
def loan(lettered: Any, owner: Any) -> Any:
    from danbao.letters.models import GuaranteeLetter

    GuaranteeLetter.objects.filter(project=lettered).update(issue_date=START - dt.timedelta(days=5))
    return record(lettered, owner, loan_date=START, maturity_date=add_months(START, 12))


def fulfil(measure: Any, actor: Any) -> Any:
    sec_lifecycle.move(measure, MeasureState.FULFILLED, actor=actor, reason="test")
    measure.refresh_from_db()
    return measure


@pytest.fixture
def released_setup(loan: Any, owner: Any, archivist: Any) -> dict[str, Any]:
    """The loan, a fulfilled mortgage on a registered house kept in custody, a fulfilled personal guarantee."""
    project = loan.guarantee.project
    collateral = house(owner)
    register_collateral(owner, collateral)
    m = mortgage(owner, project)
    sec.allocation_add(actor=owner, measure=m, collateral=collateral, allocated_value=D("1000000"))
    sec.custody_in(actor=archivist, collateral=collateral, document="不动产权证书", location="档案室A柜", reason="抵押入库")
    g = personal_guarantee(owner, project)
    return {
        "loan": loan,
        "guarantee": loan.guarantee,
        "project": project,
        "collateral": collateral,
        "mortgage": fulfil(m, owner),
        "personal": fulfil(g, owner),
    }


def repay_all(loan: Any, actor: Any) -> None:
    from danbao.ledger import repayments
    from danbao.ledger.models import ScheduleLine

    line = ScheduleLine.objects.filter(loan=loan).order_by("seq").first()
    repayments.repayment_record(actor=actor, loan=loan, paid_on=line.due_date, principal=loan.balance, interest=line.interest)
