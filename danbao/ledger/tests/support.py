"""Ledger test helpers: an approved project (the letters tests' helper, driven through the projects
services: 800,000 yuan for 12 months, bank ICBC with an agreement in force, bank share 20 %), a valid
guarantee letter written directly (the letters app's own tests cover issuing), and a loan recorder."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from danbao.ledger import services
from danbao.ledger.schedules import add_months
from danbao.projects.models import Project

TODAY = timezone.localdate()
LOAN_DATE = TODAY - dt.timedelta(days=5)


def issue_letter(project: Project, by: Any, *, issue_date: dt.date | None = None, amount: D | None = None) -> Any:
    from danbao.letters.models import GuaranteeLetter, LetterKind

    return GuaranteeLetter.objects.create(
        project=project,
        kind=LetterKind.GUARANTEE,
        number=f"BH-T-{project.pk:04d}",
        bank=project.branch or project.bank,
        beneficiary=(project.branch or project.bank).name,
        amount=amount or project.approved_amount,
        issue_date=issue_date or TODAY - dt.timedelta(days=10),
        valid_until=TODAY + dt.timedelta(days=400),
        token=secrets.token_hex(16),
        issued_by=by,
        issued_at=timezone.now() - dt.timedelta(days=10),
    )


@pytest.fixture
def approved(world: dict[str, Any], owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any) -> Project:
    from danbao.letters.tests.support import approved_project

    return approved_project(world, owner, b_manager, risk_manager, dept_head, gm)


@pytest.fixture
def lettered(approved: Project, dept_head: Any) -> Project:
    """Approved, with a valid guarantee letter issued ten days ago."""
    issue_letter(approved, dept_head)
    return approved


def record(project: Project, actor: Any, **overrides: Any) -> Any:
    data: dict[str, Any] = {
        "loan_contract_number": "ICBC-JK-2026-001",
        "amount": D("500000"),
        "loan_date": LOAN_DATE,
        "maturity_date": add_months(LOAN_DATE, 12),
        "interest_rate": D("0.0435"),
        "repayment_method": "annuity",
    }
    data.update(overrides)
    return services.disbursement_record(actor=actor, project=project, **data)


def xlsx(rows: list[tuple[Any, ...]], header: bool = True) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if header:
        sheet.append(["还款日期", "应还本金", "应还利息"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(
        "schedule.xlsx", out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
