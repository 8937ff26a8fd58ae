"""Reading a bank's custom repayment schedule from Excel, and the words for schedule problems.

The workbook's first sheet holds three columns: due date, principal, interest (amounts in yuan). A
first row whose first cell is not a date is a header and skipped; empty rows are skipped. Problems
are reported with the row number of the file (as Excel shows it), in the user's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from danbao.ledger import errors
from danbao.ledger.schedules import CENT, RawLine, ScheduleError

MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(CENT) if abs(number.quantize(CENT) - number) < Decimal("0.000001") else number


def read_schedule(upload: IO[bytes]) -> list[RawLine]:
    """The lines of the uploaded workbook; DomainError (row-numbered) on anything unreadable."""
    from openpyxl import load_workbook

    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise errors.IMPORT_FILE.error(field="schedule_file")
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise errors.IMPORT_FILE.error(field="schedule_file") from exc
    lines: list[RawLine] = []
    for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(row[:3]) + [None] * (3 - len(row[:3]))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        due = _date(cells[0])
        if due is None and not lines and row_number == 1:
            continue  # the header
        if len(lines) >= MAX_ROWS:
            raise errors.IMPORT_ROW.error(row=row_number, problem=_("more than %(max)s lines") % {"max": MAX_ROWS}, field="schedule_file")
        if due is None:
            raise errors.IMPORT_ROW.error(row=row_number, problem=_("the due date is not a date"), field="schedule_file")
        principal, interest = _amount(cells[1]), _amount(cells[2])
        if principal is None:
            raise errors.IMPORT_ROW.error(row=row_number, problem=_("the principal is not a number"), field="schedule_file")
        if interest is None:
            raise errors.IMPORT_ROW.error(row=row_number, problem=_("the interest is not a number"), field="schedule_file")
        lines.append(RawLine(row_number, due, principal, interest))
    workbook.close()
    if not lines:
        raise errors.IMPORT_EMPTY.error(field="schedule_file")
    return lines


def problem_text(exc: ScheduleError) -> str:
    """The user's words for a schedule problem."""
    d = {k: (v.isoformat() if isinstance(v, dt.date) else (f"{v:,.2f}" if isinstance(v, Decimal) else v)) for k, v in exc.data.items()}
    texts = {
        "maturity_before_loan": _("the maturity date must be after the loan date"),
        "amount_invalid": _("the amount must be greater than zero, in yuan and fen"),
        "rate_invalid": _("the interest rate must be at least 0 and below 100%"),
        "method_invalid": _("unknown repayment method"),
        "custom_empty": _("the schedule has no lines"),
        "custom_date_before_loan": _("row %(row)s: the due date %(date)s is not after the loan date %(loan_date)s"),
        "custom_date_after_maturity": _("row %(row)s: the due date %(date)s is after the maturity date %(maturity_date)s"),
        "custom_date_order": _("row %(row)s: the due date %(date)s is not after the previous line's"),
        "custom_amount_invalid": _("row %(row)s: %(value)s is not an amount of at least 0 in yuan and fen"),
        "custom_sum": _("the principal lines add up to %(total)s yuan, not the loan amount of %(amount)s yuan"),
    }
    text = texts.get(exc.code, exc.code)
    try:
        return text % d
    except (KeyError, TypeError, ValueError):
        return text
