"""Financial statements: entry with the balance check, Excel template and upload, household statements."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from danbao.customers.calculations import StatementFigures, balance_check
from danbao.customers.models import Customer, FinancialStatement, HouseholdStatement
from danbao.customers.models.customer import PERSON_KINDS
from danbao.customers.models.financials import FIGURE_FIELDS, SECTION_LABELS, STATEMENT_FIELDS
from danbao.customers.services_extras import errors
from danbao.customers.services_extras.common import audit, require, snapshot

PERMISSION = "customers.statement.manage"
TOLERANCE = Decimal("1.00")
META_FIELDS = ["period_type", "period_end", "audited", "auditor", "is_draft", "note"]
HOUSEHOLD_FIELDS = ["annual_income_amount", "annual_expenses_amount", "total_assets_amount", "total_liabilities_amount", "note"]


def _check(values: dict[str, Any], draft: bool) -> None:
    problems = balance_check(StatementFigures.from_object(values), TOLERANCE)
    if problems and not draft:
        raise errors.STATEMENT_UNBALANCED.error(details=" ".join(p.message for p in problems))


def statement_save(
    *, actor: Any, customer: Customer, values: dict[str, Any], statement: FinancialStatement | None = None, draft: bool = False
) -> FinancialStatement:
    """Create (``statement`` None) or update a statement. ``values`` holds the META_FIELDS (except
    is_draft) and any of the figure fields. Refused beyond the tolerance unless ``draft``."""
    require(actor, PERMISSION)
    if values.get("period_end") and values["period_end"] > timezone.localdate():
        raise errors.STATEMENT_FUTURE.error()
    _check(values, draft)
    with transaction.atomic():
        before = snapshot(statement, META_FIELDS + FIGURE_FIELDS) if statement else None
        obj = statement or FinancialStatement(customer=customer, created_by=actor)
        for name in [*META_FIELDS, *FIGURE_FIELDS]:
            if name in values and name != "is_draft":
                setattr(obj, name, values[name])
        obj.is_draft = draft
        duplicate = FinancialStatement.objects.filter(customer=customer, period_type=obj.period_type, period_end=obj.period_end)
        if obj.pk:
            duplicate = duplicate.exclude(pk=obj.pk)
        if duplicate.exists():
            raise errors.STATEMENT_DUPLICATE.error()
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as exc:
            raise errors.STATEMENT_DUPLICATE.error() from exc
        audit(
            "customers.statement_saved",
            actor=actor,
            obj=obj,
            customer=customer.pk,
            action="update" if before else "create",
            before=before,
            after=snapshot(obj, META_FIELDS + FIGURE_FIELDS),
        )
    return obj


# --- Excel template ---------------------------------------------------------------------------

META_CODES = ["period_type", "period_end", "audited", "auditor"]
PERIOD_WORDS = {
    "annual": "annual",
    "年报": "annual",
    "年度": "annual",
    "half_year": "half_year",
    "half-year": "half_year",
    "半年报": "half_year",
    "半年度": "half_year",
    "quarterly": "quarterly",
    "季报": "quarterly",
    "季度": "quarterly",
}
YES = {"yes", "y", "true", "1", "是"}
NO = {"no", "n", "false", "0", "否", ""}


def _meta_label(code: str) -> str:
    return {
        "period_type": _("Period type (年报 / 半年报 / 季报)"),
        "period_end": _("Period end (YYYY-MM-DD)"),
        "audited": _("Audited (是 / 否)"),
        "auditor": _("Auditor"),
    }[code]


def template_workbook(customer: Customer, periods: int = 3) -> bytes:
    """The template: labels in column A, one column per period (the existing statements prefilled)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = _("Statements")
    ws["A1"] = customer.name
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = _("One column per period from column B; amounts in yuan; leave a cell empty when not reported.")
    ws["A2"].font = Font(italic=True, color="666666")
    existing = list(FinancialStatement.objects.filter(customer=customer).order_by("period_end"))[-periods:]
    row = 4
    ws.cell(row=row, column=1, value=pgettext("statement", "Item")).font = Font(bold=True)
    for i in range(max(periods, len(existing))):
        ws.cell(row=row, column=2 + i, value=_("Period %(n)s") % {"n": i + 1}).font = Font(bold=True)
    row += 1
    codes: list[tuple[int, str]] = []
    for code in META_CODES:
        ws.cell(row=row, column=1, value=_meta_label(code))
        codes.append((row, code))
        row += 1
    fill = PatternFill("solid", fgColor="E8F0FE")
    for section, rows in STATEMENT_FIELDS:
        cell = ws.cell(row=row, column=1, value=str(SECTION_LABELS[section]))
        cell.font = Font(bold=True)
        cell.fill = fill
        row += 1
        for name, label in rows:
            ws.cell(row=row, column=1, value=str(label))
            codes.append((row, name))
            row += 1
    label_of = {"annual": "年报", "half_year": "半年报", "quarterly": "季报"}
    for i, st in enumerate(existing):
        for r, code in codes:
            value: Any = getattr(st, code)
            if code == "period_type":
                value = label_of[value]
            elif code == "audited":
                value = "是" if value else "否"
            elif isinstance(value, Decimal):
                value = float(value)
            ws.cell(row=r, column=2 + i, value=value)
    # Hidden key column so the upload does not depend on the translated labels.
    for r, code in codes:
        ws.cell(row=r, column=30, value=code)
    ws.column_dimensions["AD"].hidden = True
    ws.column_dimensions["A"].width = 42
    for i in range(max(periods, len(existing))):
        ws.column_dimensions[chr(ord("B") + i)].width = 18
        for r, _code in codes:
            ws.cell(row=r, column=2 + i).alignment = Alignment(horizontal="right")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ParsedColumn:
    column: str
    values: dict[str, Any]


@dataclass
class ImportResult:
    columns: list[ParsedColumn]
    errors: list[str]


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = str(value).strip().replace(",", "").replace("，", "")
    return Decimal(text).quantize(Decimal("0.01"))


def parse_workbook(data: bytes) -> ImportResult:
    """Read a filled template: every bad cell is reported as "<cell>: <problem>"."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    problems: list[str] = []
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception:  # noqa: BLE001 - any unreadable file is one user error
        return ImportResult([], [_("The file is not an Excel workbook (.xlsx).")])
    ws = wb.worksheets[0]
    rows: dict[str, int] = {}
    for r in range(1, ws.max_row + 1):
        key = ws.cell(row=r, column=30).value
        if isinstance(key, str) and key:
            rows[key] = r
    missing = [code for code in META_CODES if code not in rows] + [n for n in FIGURE_FIELDS if n not in rows]
    if missing:
        return ImportResult(
            [], [_("This is not the statement template of this system (rows missing: %(rows)s).") % {"rows": ", ".join(missing)}]
        )
    columns: list[ParsedColumn] = []
    for c in range(2, 30):
        cells = {code: ws.cell(row=r, column=c).value for code, r in rows.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        letter = get_column_letter(c)
        values: dict[str, Any] = {}
        col_problems: list[str] = []

        def bad(code: str, text: str, *, _letter: str = letter, _probs: list[str] = col_problems) -> None:
            _probs.append(f"{_letter}{rows[code]}: {text}")

        period = str(cells["period_type"] or "").strip().lower()
        if period in PERIOD_WORDS:
            values["period_type"] = PERIOD_WORDS[period]
        else:
            bad("period_type", _("period type must be 年报, 半年报 or 季报"))
        end = cells["period_end"]
        if isinstance(end, datetime):
            values["period_end"] = end.date()
        elif isinstance(end, date):
            values["period_end"] = end
        else:
            try:
                values["period_end"] = date.fromisoformat(str(end or "").strip())
            except ValueError:
                bad("period_end", _("period end must be a date such as 2024-12-31"))
        if values.get("period_end") and values["period_end"] > timezone.localdate():
            bad("period_end", _("period end is in the future"))
        audited = str(cells["audited"] if cells["audited"] is not None else "").strip().lower()
        if audited in YES:
            values["audited"] = True
        elif audited in NO:
            values["audited"] = False
        else:
            bad("audited", _("audited must be 是 or 否"))
        values["auditor"] = str(cells["auditor"] or "").strip()[:200]
        for name in FIGURE_FIELDS:
            try:
                amount = _to_decimal(cells[name])
            except (InvalidOperation, ValueError):
                bad(name, _("“%(value)s” is not an amount") % {"value": cells[name]})
                continue
            if amount is not None and abs(amount) >= Decimal("1e16"):
                bad(name, _("amount too large"))
                continue
            values[name] = amount
        if not col_problems:
            for problem in balance_check(StatementFigures.from_object(values), TOLERANCE):
                col_problems.append(f"{letter}: {problem.message}")
        problems.extend(col_problems)
        columns.append(ParsedColumn(letter, values))
    if not columns and not problems:
        problems.append(_("The template has no filled period column."))
    return ImportResult(columns, problems)


def statement_import(*, actor: Any, customer: Customer, data: bytes) -> list[FinancialStatement]:
    """Save every period column of a filled template; any bad cell and nothing is written.
    A period that already exists is updated (the upload is the newer version)."""
    require(actor, PERMISSION)
    result = parse_workbook(data)
    if result.errors:
        raise errors.IMPORT_INVALID.error(count=len(result.errors), problems=result.errors)
    saved = []
    with transaction.atomic():
        for column in result.columns:
            existing = FinancialStatement.objects.filter(
                customer=customer, period_type=column.values["period_type"], period_end=column.values["period_end"]
            ).first()
            saved.append(statement_save(actor=actor, customer=customer, values=column.values, statement=existing))
    return saved


# --- household statements ----------------------------------------------------------------------


def household_save(
    *, actor: Any, customer: Customer, year: int, values: dict[str, Any], statement: HouseholdStatement | None = None
) -> HouseholdStatement:
    require(actor, PERMISSION)
    if customer.kind not in PERSON_KINDS:
        raise errors.HOUSEHOLD_KIND.error()
    duplicate = HouseholdStatement.objects.filter(customer=customer, year=year)
    if statement is not None:
        duplicate = duplicate.exclude(pk=statement.pk)
    if duplicate.exists():
        raise errors.HOUSEHOLD_DUPLICATE.error(year=year)
    with transaction.atomic():
        before = snapshot(statement, ["year", *HOUSEHOLD_FIELDS]) if statement else None
        obj = statement or HouseholdStatement(customer=customer, created_by=actor)
        obj.year = year
        for name in HOUSEHOLD_FIELDS:
            if name in values:
                setattr(obj, name, values[name])
        obj.save()
        audit(
            "customers.household_statement_saved",
            actor=actor,
            obj=obj,
            customer=customer.pk,
            action="update" if before else "create",
            before=before,
            after=snapshot(obj, ["year", *HOUSEHOLD_FIELDS]),
        )
    return obj
