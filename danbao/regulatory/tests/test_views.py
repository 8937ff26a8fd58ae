"""Pages: metrics (with and without exposures), the 计量表 export, finance inputs, what-if."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.regulatory import services
from danbao.regulatory.categories import GuaranteeClass, LoanKind
from danbao.regulatory.exposures import Exposure
from danbao.regulatory.models import FinanceInput
from danbao.regulatory.tests.conftest import WAN, amounts

pytestmark = pytest.mark.django_db
METRICS = reverse("regulatory:metrics")


@pytest.fixture
def figures(finance, catalogue):
    return services.finance_input_save(
        actor=finance,
        period=date(2026, 10, 1),
        amounts=amounts(net_assets=60000, total_assets=70000, cash_and_deposits=50000, fee_income_ytd=1200, comp_reserve_opening=5000),
        today=date(2026, 11, 29),
    )


def tv01():
    def loan(key, party, wan, kind, own="1"):
        return Exposure(key, party, party, GuaranteeClass.LOAN, Decimal(wan) * WAN, own_share=Decimal(own), loan_kind=kind)

    return [
        loan("G1", "A", 400, LoanKind.SMALL_MICRO, "0.8"),
        loan("G2", "B", 300, LoanKind.SMALL_MICRO),
        loan("G3", "B", 300, LoanKind.SMALL_MICRO),
        loan("G4", "C", 150, LoanKind.FARMER, "0.8"),
        loan("G5", "POOL", 1000, LoanKind.HOUSING),
        loan("G6", "E", 2000, LoanKind.OTHER),
        Exposure("G7", "K", "K公司", GuaranteeClass.BOND, 5000 * WAN, bond_aa_or_better=True),
        Exposure("G8", "M", "M信托", GuaranteeClass.OTHER_FINANCING, 1000 * WAN),
    ]


@pytest.mark.parametrize(("who", "status"), [("finance", 200), ("gm", 200), ("risk_manager", 200), ("owner", 403), ("nobody", 403)])
def test_metrics_page_permission(request, client_for, catalogue, who, status) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get(METRICS).status_code == status


def test_metrics_without_exposures_or_figures_says_so(client_for, gm, catalogue) -> None:
    page = client_for(gm).get(METRICS + "?on=2026-10-31").content.decode()
    assert 'data-testid="no-exposures"' in page and 'data-testid="no-finance"' in page
    assert 'data-testid="choice-threshold_basis"' in page


def test_metrics_without_exposures_still_shows_net_asset_limits(client_for, gm, figures) -> None:
    response = client_for(gm).get(METRICS + "?on=2026-10-31")
    page = response.content.decode()
    report = response.context["report"]
    assert not report.has_exposures and report.adjusted_net_assets == 60000 * WAN
    assert report.leverage_rows[0].check.cap == 600000 * WAN and report.leverage_rows[0].check.headroom == 600000 * WAN
    assert report.single_cap == 6000 * WAN
    assert "600,000.00" in page and 'data-testid="no-exposures"' in page


def test_metrics_with_the_tv01_portfolio(client_for, gm, figures, book) -> None:
    book.extend(tv01())
    response = client_for(gm).get(METRICS + "?on=2026-10-31")
    report = response.context["report"]
    assert report.table.total_liability == 8230 * WAN
    assert report.parties[0].key == "K" and (report.parties[0].check.ratio * 100).quantize(Decimal("0.01")) == Decimal("6.67")
    assert report.leverage_rows[0].status == "ok" and report.leverage_cap == 10
    assert report.reserves.unearned_premium == 600 * WAN and report.reserve_base_amount == 8230 * WAN
    page = response.content.decode()
    assert "8,230.00" in page and 'data-testid="row-1.1"' in page and "6.67%" in page


def test_export_of_the_liability_table(client_for, gm, figures, book) -> None:
    from openpyxl import load_workbook

    book.extend(tv01())
    mark = audit_mark()
    response = client_for(gm).get(reverse("regulatory:metrics-export") + "?on=2026-10-31")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    total = next(r for r in rows if r[0] == "4 合计")
    assert total[1:5] == [10150, 10040, None, 8230]
    assert any(r[0] == "口径：单户阈值口径" for r in rows)
    assert_one_event("regulatory.liability_table_exported", since=mark, actor_id=gm.pk)


def test_export_forbidden_without_permission(client_for, owner, catalogue) -> None:
    assert client_for(owner).get(reverse("regulatory:metrics-export")).status_code == 403


# --- finance inputs --------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("finance", 200), ("gm", 403), ("risk_manager", 403), ("owner", 403)])
def test_input_pages_permission(request, client_for, who, status) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("regulatory:input-list")).status_code == status
    assert client.get(reverse("regulatory:input-create")).status_code == status


def _post(**values):
    data = {"period": "2026-09", "note": "", "net_assets_amount": "600000000", "total_assets_amount": "900000000"}
    data.update(values)
    return data


def test_finance_enters_and_corrects_a_month(client_for, finance) -> None:
    client = client_for(finance)
    response = client.post(reverse("regulatory:input-create"), _post())
    assert response.status_code == 302
    record = FinanceInput.objects.get()
    assert record.period == date(2026, 9, 1) and record.net_assets_amount == Decimal("600000000")
    edit = reverse("regulatory:input-edit", args=["2026-09"])
    page = client.get(edit).content.decode()
    assert 'data-testid="history"' in page
    refused = client.post(edit, _post(net_assets_amount="610000000", version="1"))
    assert refused.status_code == 200 and "note" in refused.context["form"].errors
    assert client.post(edit, _post(net_assets_amount="610000000", version="1", note="审计调整")).status_code == 302
    record.refresh_from_db()
    assert record.version == 2 and record.net_assets_amount == Decimal("610000000")
    again = client.post(reverse("regulatory:input-create"), _post())
    assert again.status_code == 200 and "period" in again.context["form"].errors
    assert client.get(reverse("regulatory:input-list")).status_code == 200


def test_bad_input_is_shown_and_nothing_saved(client_for, finance) -> None:
    client = client_for(finance)
    response = client.post(reverse("regulatory:input-create"), _post(net_assets_amount="-5"))
    assert response.status_code == 200 and "net_assets_amount" in response.context["form"].errors
    response = client.post(reverse("regulatory:input-create"), _post(period="2099-01"))
    assert response.status_code == 200 and "period" in response.context["form"].errors
    assert FinanceInput.objects.count() == 0


def test_unknown_month_is_404(client_for, finance) -> None:
    assert client_for(finance).get(reverse("regulatory:input-edit", args=["2020-01"])).status_code == 404
    assert client_for(finance).get(reverse("regulatory:input-edit", args=["nonsense"])).status_code == 404


# --- what-if ---------------------------------------------------------------------------------------


@pytest.fixture
def customer(owner):
    from danbao.customers.tests.customers_support import make_customer

    return make_customer(owner, name="长沙市金禾农业科技有限公司")


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("risk_manager", 200), ("finance", 403), ("nobody", 403)])
def test_what_if_page_permission(request, client_for, catalogue, who, status) -> None:
    assert client_for(request.getfixturevalue(who)).get(reverse("regulatory:what-if")).status_code == status


def test_what_if_for_a_customer_in_scope(client_for, owner, customer, figures, book) -> None:
    book.append(Exposure("E1", customer.identity_code, customer.name, GuaranteeClass.LOAN, 5500 * WAN, loan_kind=LoanKind.OTHER))
    response = client_for(owner).get(
        reverse("regulatory:what-if"),
        {"customer": customer.pk, "guarantee_class": "loan", "amount": "10000000", "own_share": "100", "on": "2026-10-31"},
    )
    result = response.context["result"]
    assert result.single_before.amount == 5500 * WAN and result.single_after.amount == 6500 * WAN
    assert [b.code for b in result.breaches] == ["single"]
    page = response.content.decode()
    assert 'data-testid="breach-single"' in page and "长沙市金禾农业科技有限公司" in page


def test_what_if_refuses_a_customer_out_of_scope(client_for, outsider, customer, figures) -> None:
    response = client_for(outsider).get(
        reverse("regulatory:what-if"), {"customer": customer.pk, "guarantee_class": "loan", "amount": "1000", "own_share": "100"}
    )
    assert response.status_code == 200 and response.context["result"] is None
    assert "customer" in response.context["form"].errors


def test_input_list_queries_do_not_grow_with_rows(client_for, finance) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danbao.regulatory.demo import seed

    client = client_for(finance)
    services.finance_input_save(actor=finance, period=date(2026, 1, 1), amounts=amounts(net_assets=1), today=date(2026, 11, 29))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("regulatory:input-list")).status_code == 200
    seed(today=date(2026, 11, 29))
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("regulatory:input-list")).status_code == 200
    assert FinanceInput.objects.count() == 12
    assert len(many.captured_queries) <= len(few.captured_queries)
