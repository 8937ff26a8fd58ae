"""Repayments end to end (browser): finance imports the bank's repayment Excel in which one loan has
paid only its first instalment; the preview lists the rows (a wrong contract number is refused with
its row number, so nothing is imported), the corrected file is imported, and the in-force ledger shows
that guarantee as overdue with its days past due; its page shows the repayment and the overdue badge."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=30_000)


def _in_force_guarantee():  # type: ignore[no-untyped-def]
    """An approved project (the issue 7 journey's set-up), its letter and a loan lent 100 days ago."""
    import secrets

    from django.db import transaction
    from django.utils import timezone

    from danbao.ledger import schedules, services
    from danbao.letters.models import GuaranteeLetter, LetterKind
    from danbao.org.models import User
    from tests.e2e.test_issue7_journey import _approved_project

    project = _approved_project()
    dept_head = User.objects.filter(username="depthead").first() or project.manager_a
    today = dt.date.today()
    start = today - dt.timedelta(days=100)
    letter = GuaranteeLetter.objects.create(
        project=project,
        kind=LetterKind.GUARANTEE,
        number="BH-E2E-0001",
        bank=project.branch or project.bank,
        beneficiary=(project.branch or project.bank).name,
        amount=project.approved_amount,
        issue_date=start - dt.timedelta(days=3),
        valid_until=today + dt.timedelta(days=400),
        token=secrets.token_hex(16),
        issued_by=dept_head,
        issued_at=timezone.now(),
    )
    maturity = schedules.add_months(start, 12)
    amount = D("600000")
    lines = schedules.generate("equal_principal", amount=amount, annual_rate=D("0.0435"), loan_date=start, maturity_date=maturity)
    tranche = services.Tranche("ICBC-JK-E2E-001", amount, start, maturity, D("0.0435"), "equal_principal", lines)
    with transaction.atomic():  # book_tranche expects its caller's transaction (it locks the guarantee)
        loan = services.book_tranche(project=project, letter=letter, tranche=tranche, actor=project.manager_a)
    return project, loan


def _xlsx(path, rows):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["借款合同号", "还款日期", "还款本金", "还款利息", "罚息", "交易流水号"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return str(path)


def test_import_bank_repayments_shows_days_past_due(login, page, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from danbao.ledger.models import Repayment

    project, loan = _in_force_guarantee()
    first = loan.lines.order_by("seq").first()
    unpaid = loan.lines.order_by("seq")[1]
    expected_dpd = (dt.date.today() - unpaid.due_date).days
    assert expected_dpd > 0
    url = live_server.url
    page.set_default_timeout(30_000)
    row = (loan.contract_number, first.due_date.isoformat(), f"{first.principal}", f"{first.interest}", 0, "ICBC-LS-0001")
    bad = _xlsx(tmp_path / "bad.xlsx", [row, ("ICBC-JK-NOPE", first.due_date.isoformat(), 100, 0, 0, "X")])
    good = _xlsx(tmp_path / "good.xlsx", [row])

    login("finance")
    page.goto(f"{url}/ledger/repayments/import/")
    page.select_option("#id_bank", str(project.bank_id))
    page.set_input_files("#id_file", bad)
    page.get_by_test_id("import-preview").click()
    expect(page.get_by_test_id("import-rows")).to_contain_text("ICBC-JK-NOPE")
    expect(page.get_by_test_id("import-summary")).to_contain_text("1")
    shot("ledger_repay_preview_errors")
    page.get_by_test_id("import-save").click()
    expect(page.locator(".invalid-feedback, .alert-danger, .text-danger").first).to_be_visible()
    assert Repayment.objects.count() == 0

    page.select_option("#id_bank", str(project.bank_id))
    page.set_input_files("#id_file", good)
    page.get_by_test_id("import-preview").click()
    expect(page.get_by_test_id("import-rows")).to_contain_text(loan.contract_number)
    page.get_by_test_id("import-save").click()
    page.wait_for_url(f"{url}/ledger/**")
    assert Repayment.objects.count() == 1

    page.goto(f"{url}/ledger/?overdue=1")
    expect(page.locator("table")).to_contain_text(project.number)
    expect(page.locator("table")).to_contain_text(str(expected_dpd))
    shot("ledger_repay_overdue_list")
    page.goto(f"{url}/ledger/guarantee/{loan.guarantee_id}/")
    expect(page.get_by_test_id("g-dpd")).to_contain_text(str(expected_dpd))
    expect(page.get_by_test_id("repayments-table")).to_contain_text("ICBC-LS-0001")
    shot("ledger_repay_guarantee")
