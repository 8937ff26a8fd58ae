"""Pages: who sees them (scope, permission), who gets 403/404, and the happy paths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse

from danbao.ledger.models import Guarantee, Loan
from danbao.ledger.schedules import add_months
from danbao.ledger.tests.support import LOAN_DATE, record, xlsx

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "idempotency_key": "form-key-1",
        "loan_contract_number": "ICBC-JK-9",
        "amount": "500000",
        "loan_date": LOAN_DATE.isoformat(),
        "maturity_date": add_months(LOAN_DATE, 12).isoformat(),
        "interest_rate_percent": "4.35",
        "repayment_method": "equal_principal",
    }
    data.update(overrides)
    return data


def test_list_and_detail_visibility(client_for, lettered, owner, colleague, dept_head, risk_manager, outsider, nobody, sysadmin):
    g = record(lettered, owner).guarantee
    for user in (owner, dept_head, risk_manager):
        listing = client_for(user).get(reverse("ledger:guarantee-list"))
        assert listing.status_code == 200 and lettered.number in listing.content.decode(), user
        detail = client_for(user).get(reverse("ledger:guarantee-detail", args=[g.pk]))
        assert detail.status_code == 200 and "ICBC-JK-2026-001" in detail.content.decode()
    # A business manager sees own projects only; another's guarantee is "not found".
    assert lettered.number not in client_for(colleague).get(reverse("ledger:guarantee-list")).content.decode()
    assert client_for(colleague).get(reverse("ledger:guarantee-detail", args=[g.pk])).status_code == 404
    assert client_for(outsider).get(reverse("ledger:guarantee-detail", args=[g.pk])).status_code == 404
    for user in (nobody, sysadmin):
        assert client_for(user).get(reverse("ledger:guarantee-list")).status_code == 403
        assert client_for(user).get(reverse("ledger:guarantee-detail", args=[g.pk])).status_code == 403


def test_list_totals_and_filters(client_for, lettered, owner, risk_manager):
    record(lettered, owner)
    page = client_for(risk_manager).get(reverse("ledger:guarantee-list")).content.decode()
    assert "500,000.00" in page and "200,000.00" in page  # loan balance and liability (own share 40 %)
    other_bank = client_for(risk_manager).get(reverse("ledger:guarantee-list") + "?maturity_from=2099-01-01").content.decode()
    assert lettered.number not in other_bank


def test_detail_shows_shares_schedule_timeline(client_for, lettered, owner):
    g = record(lettered, owner).guarantee
    page = client_for(owner).get(reverse("ledger:guarantee-detail", args=[g.pk])).content.decode()
    assert "40.00%" in page and 'data-testid="schedule-table"' in page and 'data-testid="timeline"' in page


def test_disburse_form_permissions(client_for, lettered, owner, b_manager, colleague, risk_manager, nobody):
    url = reverse("ledger:disburse", args=[lettered.pk])
    assert client_for(owner).get(url).status_code == 200
    assert client_for(b_manager).get(url).status_code == 200
    assert client_for(colleague).get(url).status_code == 404  # not in the colleague's scope
    assert client_for(risk_manager).get(url).status_code == 403  # may view, may not record
    assert client_for(nobody).get(url).status_code == 403


def test_disburse_happy_path_and_double_submit(client_for, lettered, owner):
    url = reverse("ledger:disburse", args=[lettered.pk])
    client = client_for(owner)
    response = client.post(url, form_data())
    g = Guarantee.objects.get(project=lettered)
    assert response.status_code == 302 and response["Location"] == reverse("ledger:guarantee-detail", args=[g.pk])
    again = client.post(url, form_data())
    assert again.status_code == 302 and Loan.objects.count() == 1


def test_disburse_refusal_keeps_the_form(client_for, lettered, owner):
    response = client_for(owner).post(reverse("ledger:disburse", args=[lettered.pk]), form_data(amount="900000"))
    assert response.status_code == 200
    assert "800,000.00" in response.content.decode()
    assert not Loan.objects.exists()


def test_disburse_without_letter_shows_blockers(client_for, approved, owner):
    page = client_for(owner).get(reverse("ledger:disburse", args=[approved.pk])).content.decode()
    assert 'data-testid="dsb-blockers"' in page and "disburse-form" not in page


def test_preview_writes_nothing(client_for, lettered, owner):
    response = client_for(owner).post(reverse("ledger:disburse-preview", args=[lettered.pk]), form_data(), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="schedule-table"' in body and "500,000.00" in body
    assert not Loan.objects.exists()


def test_custom_upload_and_row_errors(client_for, lettered, owner):
    url = reverse("ledger:disburse", args=[lettered.pk])
    client = client_for(owner)
    d1, d2 = LOAN_DATE + dt.timedelta(days=60), add_months(LOAN_DATE, 12)
    bad = client.post(url, {**form_data(repayment_method="custom"), "schedule_file": xlsx([(d1, 100000, 3000), ("某天", 400000, 1000)])})
    assert bad.status_code == 200 and "第3行" in bad.content.decode() or "Row 3" in bad.content.decode()
    short = client.post(url, {**form_data(repayment_method="custom"), "schedule_file": xlsx([(d1, 100000, 3000), (d2, 300000, 1000)])})
    assert short.status_code == 200 and "400,000.00" in short.content.decode()
    broken = client.post(url, {**form_data(repayment_method="custom"), "schedule_file": xlsx([])})
    assert broken.status_code == 200 and not Loan.objects.exists()
    ok = client.post(url, {**form_data(repayment_method="custom"), "schedule_file": xlsx([(d1, 100000, 3000), (d2, 400000, 1000)])})
    assert ok.status_code == 302
    assert [x.principal for x in Loan.objects.get().lines.order_by("seq")] == [D("100000"), D("400000")]


def test_pending_list(client_for, lettered, approved, owner, colleague, nobody):
    assert client_for(nobody).get(reverse("ledger:pending-list")).status_code == 403
    assert lettered.number not in client_for(colleague).get(reverse("ledger:pending-list")).content.decode()
    page = client_for(owner).get(reverse("ledger:pending-list")).content.decode()
    assert lettered.number in page
    record(lettered, owner, amount=D("800000"))
    assert lettered.number not in client_for(owner).get(reverse("ledger:pending-list")).content.decode()


def test_dossier_section(client_for, lettered, owner):
    page = client_for(owner).get(reverse("projects:project-detail", args=[lettered.pk])).content.decode()
    assert 'data-testid="dossier-disburse"' in page
    record(lettered, owner)
    page = client_for(owner).get(reverse("projects:project-detail", args=[lettered.pk])).content.decode()
    assert 'data-testid="dossier-ledger"' in page and "ICBC-JK-2026-001" in page
