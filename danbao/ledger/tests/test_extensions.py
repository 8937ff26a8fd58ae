"""Extensions (展期) through the ledger.extension flow: approve re-generates the remaining schedule and
keeps the replaced terms; reject records the reason; guards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from danbao.core.errors import DomainError
from danbao.ledger import extensions
from danbao.ledger.models import Extension, ScheduleLine
from danbao.ledger.schedules import add_months
from danbao.ledger.tests.support import TODAY, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(lettered, owner, gm):
    from danbao.letters.models import GuaranteeLetter

    start = TODAY - dt.timedelta(days=65)
    GuaranteeLetter.objects.filter(project=lettered).update(issue_date=start - dt.timedelta(days=5))
    extensions.flows_ensure(gm)
    return record(lettered, owner, loan_date=start, maturity_date=add_months(start, 12))


def pending(user):
    from danbao.workflow.models import Task

    return Task.objects.get(assignee=user, status=Task.Status.PENDING)


def test_approved_extension_regenerates_the_rest(loan, owner, dept_head, gm):
    from danbao.workflow import services as wf

    new = add_months(loan.maturity_date, 6)
    ext = extensions.extension_request(actor=owner, loan=loan, new_maturity=new, reason="季节性回款延后")
    with pytest.raises(DomainError):
        extensions.extension_request(actor=owner, loan=loan, new_maturity=new, reason="again")
    wf.task_approve(actor=dept_head, task=pending(dept_head), comment="同意")
    wf.task_approve(actor=gm, task=pending(gm), comment="同意")
    ext.refresh_from_db()
    loan.refresh_from_db()
    assert ext.status == Extension.Status.APPROVED and loan.maturity_date == new
    assert loan.guarantee.maturity_date == new
    lines = list(ScheduleLine.objects.filter(loan=loan).order_by("seq"))
    assert lines[-1].due_date == new and sum(x.principal for x in lines) == D("500000")
    assert [x.seq for x in lines] == list(range(1, len(lines) + 1))
    assert ext.before["maturity"] == add_months(loan.loan_date, 12).isoformat() and ext.before["lines"]


def test_rejected_extension_changes_nothing(loan, owner, dept_head):
    from danbao.workflow import services as wf

    before = list(ScheduleLine.objects.filter(loan=loan).values_list("due_date", "principal"))
    ext = extensions.extension_request(actor=owner, loan=loan, new_maturity=add_months(loan.maturity_date, 3), reason="展期")
    wf.task_reject(actor=dept_head, task=pending(dept_head), comment="还款能力不足")
    ext.refresh_from_db()
    assert ext.status == Extension.Status.REJECTED and ext.decision_comment == "还款能力不足"
    assert list(ScheduleLine.objects.filter(loan=loan).values_list("due_date", "principal")) == before


def test_guards(loan, owner, nobody):
    with pytest.raises(DomainError):
        extensions.extension_request(actor=owner, loan=loan, new_maturity=loan.maturity_date, reason="x")
    with pytest.raises(DomainError):
        extensions.extension_request(actor=owner, loan=loan, new_maturity=add_months(loan.maturity_date, 1), reason=" ")
    with pytest.raises(DomainError):
        extensions.extension_request(actor=nobody, loan=loan, new_maturity=add_months(loan.maturity_date, 1), reason="x")
    assert Extension.objects.count() == 0


def test_extension_page(client_for, loan, owner, nobody):
    from django.urls import reverse

    url = reverse("ledger:extension-request", args=[loan.guarantee_id])
    assert client_for(nobody).get(url).status_code == 403
    c = client_for(owner)
    assert c.get(url).status_code == 200
    response = c.post(url, {"loan": loan.pk, "new_maturity": add_months(loan.maturity_date, 2).isoformat(), "reason": "展期"})
    assert response.status_code == 302 and Extension.objects.filter(status="pending").count() == 1
    assert "extensions-card" in c.get(reverse("ledger:guarantee-detail", args=[loan.guarantee_id])).content.decode()
