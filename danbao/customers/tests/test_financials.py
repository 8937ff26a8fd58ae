"""Financial statements: balance check and drafts, Excel template round trip and bad cells, household
statements, ratio trend on the 360 tab, page permissions and scope."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.customers.models import FinancialStatement, HouseholdStatement
from danbao.customers.services_extras import financials as services
from danbao.customers.tests.extras_support import BALANCED, customer
from danbao.customers.views_extras.tabs import financials_context

pytestmark = pytest.mark.django_db


def _values(end: date = date(2024, 12, 31), **over: object) -> dict:
    return {"period_type": "annual", "period_end": end, "audited": True, "auditor": "天职国际", **BALANCED, **over}


def test_balanced_statement_is_saved_and_audited(owner):
    c = customer(owner)
    mark = audit_mark()
    st = services.statement_save(actor=owner, customer=c, values=_values())
    assert st.total_assets_amount == Decimal("1000") and not st.is_draft
    assert_one_event("customers.statement_saved", since=mark, actor_id=owner.pk, object_id=str(st.pk), data={"action": "create"})
    assert st.history.count() == 1


def test_unbalanced_statement_is_refused_with_the_totals_that_disagree(owner):
    c = customer(owner)
    with pytest.raises(DomainError) as exc:
        services.statement_save(actor=owner, customer=c, values=_values(equity_amount=Decimal("300")))
    assert exc.value.code == "customers.statement_unbalanced"
    assert "100.00" in exc.value.message
    assert not FinancialStatement.objects.exists()


def test_unbalanced_statement_can_be_saved_as_draft(owner):
    c = customer(owner)
    st = services.statement_save(actor=owner, customer=c, values=_values(equity_amount=Decimal("300")), draft=True)
    assert st.is_draft


def test_duplicate_period_is_refused(owner):
    c = customer(owner)
    services.statement_save(actor=owner, customer=c, values=_values())
    with pytest.raises(DomainError) as exc:
        services.statement_save(actor=owner, customer=c, values=_values())
    assert exc.value.code == "customers.statement_duplicate"


def test_future_period_is_refused(owner):
    with pytest.raises(DomainError) as exc:
        services.statement_save(actor=owner, customer=customer(owner), values=_values(end=date(2999, 12, 31)))
    assert exc.value.code == "customers.statement_future"


def test_statement_needs_permission(owner, nobody):
    with pytest.raises(DomainError) as exc:
        services.statement_save(actor=nobody, customer=customer(owner), values=_values())
    assert exc.value.code == "customers.permission_denied"


def _filled_template(c, columns: list[dict]) -> bytes:
    wb = load_workbook(io.BytesIO(services.template_workbook(c)))
    ws = wb.worksheets[0]
    rows = {ws.cell(row=r, column=30).value: r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=30).value}
    for i, values in enumerate(columns):
        for key, value in values.items():
            ws.cell(row=rows[key], column=2 + i, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _column(year: int, **over: object) -> dict:
    col = {"period_type": "年报", "period_end": f"{year}-12-31", "audited": "否", "auditor": ""}
    col.update({k: float(v) for k, v in BALANCED.items()})
    col.update(over)
    return col


def test_template_upload_saves_every_period(owner):
    c = customer(owner)
    data = _filled_template(c, [_column(2022), _column(2023), _column(2024)])
    saved = services.statement_import(actor=owner, customer=c, data=data)
    assert [s.period_end.year for s in saved] == [2022, 2023, 2024]
    assert FinancialStatement.objects.filter(customer=c).count() == 3


def test_template_upload_reports_every_bad_cell_and_writes_nothing(owner):
    c = customer(owner)
    data = _filled_template(c, [_column(2023, revenue_amount="很多"), _column(2024, period_type="月报", audited="也许")])
    with pytest.raises(DomainError) as exc:
        services.statement_import(actor=owner, customer=c, data=data)
    problems = exc.value.data["problems"]
    assert len(problems) == 3
    assert any(p.startswith("B") and "很多" in p for p in problems)
    assert sum(p.startswith("C") for p in problems) == 2
    assert not FinancialStatement.objects.exists()


def test_template_upload_reports_unbalanced_period(owner):
    c = customer(owner)
    data = _filled_template(c, [_column(2024, equity_amount=100)])
    result = services.parse_workbook(data)
    assert len(result.errors) == 1 and result.errors[0].startswith("B:")


def test_not_a_workbook_is_one_clear_error(owner):
    assert services.parse_workbook(b"hello").errors


def test_household_statement_for_farmers_only(owner):
    farmer = customer(owner, "李四", kind="farmer")
    h = services.household_save(
        actor=owner,
        customer=farmer,
        year=2024,
        values={"annual_income_amount": Decimal("80000"), "annual_expenses_amount": Decimal("50000")},
    )
    assert HouseholdStatement.objects.get(pk=h.pk).annual_income_amount == Decimal("80000")
    with pytest.raises(DomainError) as exc:
        services.household_save(actor=owner, customer=farmer, year=2024, values={})
    assert exc.value.code == "customers.household_duplicate"
    with pytest.raises(DomainError) as exc:
        services.household_save(actor=owner, customer=customer(owner), year=2024, values={})
    assert exc.value.code == "customers.household_kind"


def test_ratio_trend_on_the_tab_uses_previous_period_and_skips_drafts(owner):
    c = customer(owner)
    services.statement_save(actor=owner, customer=c, values=_values(date(2023, 12, 31)))
    services.statement_save(actor=owner, customer=c, values=_values(date(2024, 12, 31), net_profit_amount=Decimal("200")))
    services.statement_save(actor=owner, customer=c, values=_values(date(2022, 12, 31), equity_amount=Decimal("1")), draft=True)
    ctx = financials_context(c, owner)["fin"]
    assert [p["statement"].period_end.year for p in ctx["periods"]] == [2023, 2024]
    rows = {r["key"]: r for r in ctx["rows"]}
    assert rows["debt_to_asset"]["shown"] == ["60.00%", "60.00%"]
    assert rows["roe"]["shown"] == ["25.00%", "50.00%"]
    assert rows["current_ratio"]["shown"] == ["1.75", "1.75"]
    assert ctx["chart"]["periods"] == ["2023-12-31", "2024-12-31"]


# --- pages ------------------------------------------------------------------------------------


def test_statement_page_permissions(client_for, owner, outsider, nobody):
    c = customer(owner)
    url = reverse("customers:statement-create", args=[c.pk])
    assert client_for(owner).get(url).status_code == 200
    assert client_for(nobody).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_statement_page_shows_disagreements_and_saves_draft(client_for, owner):
    c = customer(owner)
    client = client_for(owner)
    url = reverse("customers:statement-create", args=[c.pk])
    post = {k: str(v) for k, v in _values(equity_amount=Decimal("300")).items()}
    post["audited"] = "on"
    response = client.post(url, post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "balance-problems" in html and "资产负债表" in html
    assert "资产总计与负债和所有者权益合计相差 100.00" in html or "100.00" in html
    assert not FinancialStatement.objects.exists()
    response = client.post(url, {**post, "save_draft": "1"})
    assert response.status_code == 302
    assert FinancialStatement.objects.get().is_draft


def test_template_download_and_upload_pages(client_for, owner):
    c = customer(owner)
    client = client_for(owner)
    response = client.get(reverse("customers:statement-template", args=[c.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    data = _filled_template(c, [_column(2024, revenue_amount="abc")])
    response = client.post(reverse("customers:statement-upload", args=[c.pk]), {"file": SimpleUploadedFile("s.xlsx", data)})
    assert response.status_code == 200 and "import-problems" in response.content.decode()
    good = SimpleUploadedFile("s.xlsx", _filled_template(c, [_column(2024)]))
    response = client.post(reverse("customers:statement-upload", args=[c.pk]), {"file": good})
    assert response.status_code == 302
    assert FinancialStatement.objects.filter(customer=c).count() == 1


def test_household_page(client_for, owner, outsider):
    farmer = customer(owner, "李四", kind="farmer")
    url = reverse("customers:household-create", args=[farmer.pk])
    assert client_for(outsider).get(url).status_code == 404
    response = client_for(owner).post(url, {"year": "2024", "annual_income_amount": "60000", "annual_expenses_amount": "20000"})
    assert response.status_code == 302
    assert HouseholdStatement.objects.get(customer=farmer).year == 2024


def test_360_page_shows_ratio_table_and_chart_data(client_for, owner):
    c = customer(owner)
    services.statement_save(actor=owner, customer=c, values=_values(date(2023, 12, 31)))
    services.statement_save(actor=owner, customer=c, values=_values(date(2024, 12, 31)))
    html = client_for(owner).get(reverse("customers:customer-detail", args=[c.pk])).content.decode()
    assert 'data-testid="ratio-table"' in html and 'id="ratio-chart-data"' in html
    assert "60.00%" in html
    assert "customer-graph.js" in html and "<script>" not in html  # no inline script (CSP)
