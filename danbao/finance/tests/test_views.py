"""Pages: who sees them (scope, permission), who gets 403/404, and the happy paths through the forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse

from danbao.finance import services
from danbao.finance.models import Deferral, FeePlan, Receipt, Receivable
from danbao.finance.tests.support import pay

pytestmark = pytest.mark.django_db


def url(name: str, project: Any, *args: Any) -> str:
    return reverse(f"finance:{name}", args=[project.pk, *args])


def _first(project: Any) -> Receivable:
    return Receivable.objects.get(project=project, kind="guarantee_fee", instalment=1)


def test_fees_page_visibility(
    client_for: Any,
    project: Any,
    owner: Any,
    b_manager: Any,
    clerk: Any,
    risk_manager: Any,
    dept_head: Any,
    colleague: Any,
    outsider: Any,
    nobody: Any,
    sysadmin: Any,
    gm: Any,
) -> None:
    for user in (owner, b_manager, clerk, risk_manager, dept_head, gm):
        response = client_for(user).get(url("project-fees", project))
        assert response.status_code == 200, user
        assert project.number in response.content.decode()
    assert client_for(colleague).get(url("project-fees", project)).status_code == 404  # own-scope business manager
    assert client_for(outsider).get(url("project-fees", project)).status_code == 404
    assert client_for(nobody).get(url("project-fees", project)).status_code == 403
    assert client_for(sysadmin).get(url("project-fees", project)).status_code == 403
    assert client_for(clerk).get(reverse("finance:project-fees", args=[999999])).status_code == 404


def test_plan_receipt_reverse_through_the_pages(client_for: Any, project: Any, owner: Any, clerk: Any) -> None:
    client = client_for(owner)
    response = client.post(url("plan-create", project), {"issue_date": "2026-01-10"})
    assert response.status_code == 302 and FeePlan.objects.filter(project=project).count() == 1
    body = client.get(url("project-fees", project)).content.decode()
    assert "15,000.00" in body and "37,500.00" in body
    assert client.get(url("receipt-create", project)).status_code == 403  # business managers do not record money
    first = _first(project)
    client = client_for(clerk)
    form = client.get(url("receipt-create", project)).content.decode()
    assert f'name="alloc_{first.pk}"' in form
    data = {
        "idempotency_key": "page-key-1",
        "amount": "15000",
        "received_on": "2026-01-05",
        "method": "bank_transfer",
        "payer": project.customer.name,
        "reference": "HX001",
        f"alloc_{first.pk}": "15000",
    }
    assert client.post(url("receipt-create", project), data).status_code == 302
    assert client.post(url("receipt-create", project), data).status_code == 302  # double click: nothing twice
    assert Receipt.objects.count() == 1
    first.refresh_from_db()
    assert first.state == "paid"
    # Over-allocation comes back as a form error and changes nothing.
    review = Receivable.objects.get(project=project, kind="review_fee")
    bad = {**data, "idempotency_key": "page-key-2", "amount": "100", f"alloc_{review.pk}": "2000"}
    bad.pop(f"alloc_{first.pk}")
    response = client.post(url("receipt-create", project), bad)
    assert response.status_code == 200 and "2,000.00" in response.content.decode()
    assert Receipt.objects.count() == 1
    receipt = Receipt.objects.get()
    assert client_for(owner).post(url("receipt-reverse", project, receipt.pk), {"reason": "x"}).status_code == 403
    client = client_for(clerk)  # one test client: sign the clerk in again
    assert client.post(url("receipt-reverse", project, receipt.pk), {"reason": "重复入账"}).status_code == 302
    receipt.refresh_from_db()
    assert receipt.state == "reversed"


def test_deferral_request_and_queue(client_for: Any, project: Any, owner: Any, clerk: Any, dept_head: Any, gm: Any) -> None:
    services.fee_schedule_create(actor=clerk, project=project, issue_date=dt.date(2026, 1, 10))
    first = _first(project)
    client = client_for(owner)
    assert client.get(url("deferral-create", project, first.pk)).status_code == 200
    response = client.post(url("deferral-create", project, first.pk), {"until": "2026-01-01", "reason": "x"})
    assert response.status_code == 200 and "2026-01-10" in response.content.decode()  # refused: before the due date
    assert client.post(url("deferral-create", project, first.pk), {"until": "2026-04-10", "reason": "季节性回款"}).status_code == 302
    deferral = Deferral.objects.get()
    assert client_for(clerk).get(reverse("finance:deferral-queue")).status_code == 403
    assert client_for(owner).get(reverse("finance:deferral-queue")).status_code == 403
    queue = client_for(dept_head).get(reverse("finance:deferral-queue")).content.decode()
    assert project.number in queue and "季节性回款" in queue
    decide = reverse("finance:deferral-decide", args=[deferral.pk])
    assert client_for(dept_head).post(decide, {"decision": "reject"}).status_code == 302  # refused: needs a comment
    deferral.refresh_from_db()
    assert deferral.status == "pending"
    assert client_for(dept_head).post(decide, {"decision": "approve", "comment": "同意"}).status_code == 302
    deferral.refresh_from_db()
    first.refresh_from_db()
    assert deferral.status == "approved" and first.state == "deferred"


def test_lists_scope_filters_and_export(client_for: Any, project: Any, clerk: Any, outsider: Any, nobody: Any, owner: Any) -> None:
    services.fee_schedule_create(actor=clerk, project=project, issue_date=dt.date(2026, 1, 10))
    pay(clerk, project, {_first(project).pk: "15000"})
    client = client_for(clerk)
    body = client.get(reverse("finance:receivable-list")).content.decode()
    assert project.number in body
    overdue = client.get(reverse("finance:receivable-list") + "?overdue=1").content.decode()
    assert "102,000.00" in overdue  # review fee + margin, due 2026-01-10, unpaid
    paid_only = client.get(reverse("finance:receivable-list") + "?state=paid").content.decode()
    assert "15,000.00" in paid_only and "100,000.00" not in paid_only
    by_kind = client.get(reverse("finance:receivable-list") + "?kind=margin&due_from=2026-01-01&due_to=2026-01-31").content.decode()
    assert "100,000.00" in by_kind
    bank = client.get(reverse("finance:receivable-list") + f"?bank={project.bank_id}").content.decode()
    assert project.number in bank
    export = client.get(reverse("finance:receivable-list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert project.number in client.get(reverse("finance:receipt-list")).content.decode()
    assert project.number not in client_for(outsider).get(reverse("finance:receivable-list")).content.decode()
    assert project.number not in client_for(outsider).get(reverse("finance:receipt-list")).content.decode()
    assert project.number in client_for(owner).get(reverse("finance:receivable-list")).content.decode()
    assert client_for(nobody).get(reverse("finance:receivable-list")).status_code == 403
    assert client_for(nobody).get(reverse("finance:receipt-list")).status_code == 403


def test_list_query_budget(client_for: Any, project: Any, clerk: Any, django_assert_max_num_queries: Any) -> None:
    services.fee_schedule_create(actor=clerk, project=project, issue_date=dt.date(2026, 1, 10))
    client = client_for(clerk)
    client.get(reverse("finance:receivable-list"))
    with django_assert_max_num_queries(25):
        client.get(reverse("finance:receivable-list"))


def test_notice_pdf_and_dossier(client_for: Any, project: Any, clerk: Any, owner: Any, outsider: Any) -> None:
    assert client_for(clerk).get(url("notice-pdf", project)).status_code == 302  # no plan yet: back with a message
    services.fee_schedule_create(actor=clerk, project=project, issue_date=dt.date(2026, 1, 10))
    response = client_for(owner).get(url("notice-pdf", project))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for(outsider).get(url("notice-pdf", project)).status_code == 404
    dossier = client_for(owner).get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert 'data-testid="dossier-finance"' in dossier and "15,000.00" in dossier or D("0") == 0


def test_fees_page_query_budget(client_for: Any, project: Any, clerk: Any, django_assert_max_num_queries: Any) -> None:
    services.fee_schedule_create(actor=clerk, project=project, issue_date=dt.date(2026, 1, 10))
    first = _first(project)
    pay(clerk, project, {first.pk: "5000"})
    pay(clerk, project, {first.pk: "5000"})
    client = client_for(clerk)
    client.get(url("project-fees", project))
    with django_assert_max_num_queries(45):
        response = client.get(url("project-fees", project))
    body = response.content.decode()
    assert "部分收款" in body and body.count('data-testid="fin-receipt"') == 2
