"""Repayment pages, the bank Excel import (row errors, atomicity, re-import) and maturity reminders."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danbao.ledger import maturity, repayment_import
from danbao.ledger.models import MaturityReminder, Repayment, ScheduleLine
from danbao.ledger.schedules import add_months
from danbao.ledger.tests.support import TODAY, record

pytestmark = pytest.mark.django_db

START = TODAY - dt.timedelta(days=100)
HEADER = ["借款合同号", "还款日期", "还款本金", "还款利息", "罚息", "交易流水号"]


@pytest.fixture
def loan(lettered, owner):
    from danbao.letters.models import GuaranteeLetter

    GuaranteeLetter.objects.filter(project=lettered).update(issue_date=START - dt.timedelta(days=5))
    return record(lettered, owner, loan_date=START, maturity_date=add_months(START, 12))


def xlsx(rows, header=HEADER):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("repay.xlsx", out.getvalue())


def first_line(loan):
    return ScheduleLine.objects.filter(loan=loan).order_by("seq").first()


def bank_of(loan):
    return loan.guarantee.project.bank


class TestImport:
    def test_row_errors_refuse_the_whole_file(self, loan, owner):
        line = first_line(loan)
        rows = [
            (loan.contract_number, line.due_date, line.principal, line.interest, 0, "T1"),
            ("NO-SUCH", line.due_date, 1, 0, 0, "T2"),
            (loan.contract_number, "昨天", 1, 0, 0, "T3"),
            (loan.contract_number, line.due_date, "abc", 0, 0, "T4"),
        ]
        raw = repayment_import.read_rows(xlsx(rows), repayment_import.DEFAULT_COLUMNS)
        checked = repayment_import.check(owner, bank_of(loan), raw)
        assert [r.row for r in checked if r.errors] == [3, 4, 5]
        assert "NO-SUCH" in checked[1].errors[0] and "不是日期" in checked[2].errors[0] or checked[2].errors
        with pytest.raises(repayment_import.DomainError) as exc:
            repayment_import.repayments_import(actor=owner, bank=bank_of(loan), upload=xlsx(rows))
        assert exc.value.code == "ledger.repay_file_errors"
        assert Repayment.objects.count() == 0

    def test_missing_header(self, loan, owner):
        with pytest.raises(repayment_import.DomainError) as exc:
            repayment_import.repayments_import(actor=owner, bank=bank_of(loan), upload=xlsx([], header=["合同", "日期"]))
        assert exc.value.code == "ledger.repay_header_missing"

    def test_import_and_reimport_records_once(self, loan, owner):
        line = first_line(loan)
        rows = [(loan.contract_number, line.due_date.isoformat(), f"{line.principal}", f"{line.interest}", 0, "T1")]
        counts = repayment_import.repayments_import(actor=owner, bank=bank_of(loan), upload=xlsx(rows))
        assert counts == {"rows": 1, "recorded": 1, "skipped": 0}
        again = repayment_import.repayments_import(actor=owner, bank=bank_of(loan), upload=xlsx(rows))
        assert again == {"rows": 1, "recorded": 0, "skipped": 1}
        assert Repayment.objects.get().source == "import"
        line.refresh_from_db()
        assert line.settled_on == line.due_date

    def test_saved_mapping(self, loan, owner):
        line = first_line(loan)
        columns = {**repayment_import.DEFAULT_COLUMNS, "contract": "合同编号", "paid_on": "日期"}
        upload = xlsx(
            [(loan.contract_number, line.due_date, line.principal, line.interest, 0, "X")], header=["合同编号", "日期", *HEADER[2:]]
        )
        repayment_import.repayments_import(actor=owner, bank=bank_of(loan), upload=upload, columns=columns)
        assert repayment_import.mapping_for(bank_of(loan))["contract"] == "合同编号"


class TestPages:
    def test_detail_shows_repayments_and_dpd(self, client_for, loan, owner, outsider):
        page = client_for(owner).get(reverse("ledger:guarantee-detail", args=[loan.guarantee_id])).content.decode()
        assert 'data-testid="repayments-card"' in page and 'data-testid="record-repayment"' in page
        assert client_for(outsider).get(reverse("ledger:guarantee-detail", args=[loan.guarantee_id])).status_code == 404

    def test_record_page(self, client_for, loan, owner, nobody, risk_manager):
        url = reverse("ledger:repayment-record", args=[loan.guarantee_id])
        assert client_for(nobody).get(url).status_code == 403
        assert client_for(risk_manager).get(url).status_code in (403, 404)
        line = first_line(loan)
        c = client_for(owner)
        assert c.get(url).status_code == 200
        data = {"loan": loan.pk, "paid_on": line.due_date.isoformat(), "principal": line.principal, "interest": line.interest, "penalty": 0}
        data["reference"], data["idempotency_key"] = "R-1", "abc"
        assert c.post(url, data).status_code == 302
        assert c.post(url, data).status_code == 302
        assert Repayment.objects.count() == 1
        bad = {**data, "idempotency_key": "def", "principal": "99999999"}
        assert "超过" in c.post(url, bad).content.decode() or Repayment.objects.count() == 1
        r = Repayment.objects.get()
        c.post(reverse("ledger:repayment-reverse", args=[r.pk]), {"reason": "冲正"})
        r.refresh_from_db()
        assert r.reversed_at is not None

    def test_import_pages(self, client_for, loan, owner, nobody):
        url = reverse("ledger:repayment-import")
        assert client_for(nobody).get(url).status_code == 403
        c = client_for(owner)
        assert c.get(url).status_code == 200
        line = first_line(loan)
        rows = [(loan.contract_number, line.due_date, line.principal, line.interest, 0, "T1"), ("NO", line.due_date, 1, 0, 0, "")]
        preview = c.post(reverse("ledger:repayment-import-preview"), {"bank": bank_of(loan).pk, "file": xlsx(rows)}).content.decode()
        assert 'data-testid="import-rows"' in preview and "NO" in preview
        response = c.post(url, {"bank": bank_of(loan).pk, "file": xlsx(rows[:1])})
        assert response.status_code == 302 and Repayment.objects.count() == 1

    def test_list_and_maturity_pages(self, client_for, loan, owner, nobody):
        c = client_for(owner)
        page = c.get(reverse("ledger:guarantee-list") + "?overdue=1").content.decode()
        assert loan.guarantee.project.number in page  # nothing paid: overdue
        page = c.get(reverse("ledger:guarantee-list") + "?overdue=0").content.decode()
        assert loan.guarantee.project.number not in page
        assert client_for(nobody).get(reverse("ledger:maturity-list")).status_code == 403
        c = client_for(owner)
        assert c.get(reverse("ledger:maturity-list") + "?within=30").status_code == 200


class TestReminders:
    def test_once_per_threshold(self, loan, owner):
        from danbao.notifications.models import Message

        g = loan.guarantee
        on = g.maturity_date - dt.timedelta(days=30)
        assert maturity.reminders_send(on)["sent"] == 1
        assert maturity.reminders_send(on)["sent"] == 0
        assert maturity.reminders_send(on + dt.timedelta(days=1))["sent"] == 0
        assert maturity.reminders_send(g.maturity_date - dt.timedelta(days=7))["sent"] == 1  # 15 and 7 caught up at once
        assert set(MaturityReminder.objects.values_list("threshold", flat=True)) == {30, 15, 7}
        assert Message.objects.filter(kind="ledger.maturity_reminder").count() == 2
        assert maturity.reminders_send(g.maturity_date - dt.timedelta(days=60))["sent"] == 0
        assert D(0) == D(0)


def test_demo_repayments_consistent_and_idempotent(loan):
    from django.db import transaction

    from danbao.ledger.demo_repayments import seed

    with transaction.atomic():
        seed()
    g = loan.guarantee
    g.refresh_from_db()
    loan.refresh_from_db()
    count = Repayment.objects.count()
    assert count > 0
    assert g.loan_balance == loan.balance == loan.amount - sum(r.principal for r in Repayment.objects.all())
    with transaction.atomic():
        seed()
    assert Repayment.objects.count() == count
