"""The bank's repayment Excel (还款明细): read with a column mapping per bank, checked row by row
(errors in Chinese with the file row number), then imported in one transaction through
`repayments.repayment_record`. Re-importing a file records nothing twice: each row has a natural key
per bank (loan contract number + date + amount + reference)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from danbao.core.errors import DomainError, ErrorCode
from danbao.core.events import security_event
from danbao.ledger import repayments
from danbao.ledger.models import GuaranteeState, Loan, Repayment, RepaymentMapping

FIELDS = ("contract", "paid_on", "principal", "interest", "penalty", "reference")
DEFAULT_COLUMNS = {
    "contract": "借款合同号",
    "paid_on": "还款日期",
    "principal": "还款本金",
    "interest": "还款利息",
    "penalty": "罚息",
    "reference": "交易流水号",
}
REQUIRED = ("contract", "paid_on", "principal")
MAX_ROWS = 20000

FILE_INVALID = ErrorCode("ledger.repay_file_invalid", gettext_lazy("The file cannot be read as an Excel workbook (.xlsx)."))
HEADER_MISSING = ErrorCode("ledger.repay_header_missing", gettext_lazy("Column “%(column)s” is missing from the first row of the file."))
FILE_HAS_ERRORS = ErrorCode("ledger.repay_file_errors", gettext_lazy("The file has %(count)s row(s) with errors; nothing was imported."))
FILE_EMPTY = ErrorCode("ledger.repay_file_empty", gettext_lazy("The file has no repayment rows."))


@dataclass
class Row:
    row: int
    contract: str = ""
    paid_on: date | None = None
    principal: Decimal = Decimal(0)
    interest: Decimal = Decimal(0)
    penalty: Decimal = Decimal(0)
    reference: str = ""
    loan: Loan | None = None
    errors: list[str] = field(default_factory=list)
    duplicate: bool = False
    natural: str = ""

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.penalty

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "contract": self.contract,
            "paid_on": self.paid_on.isoformat() if self.paid_on else "",
            "principal": str(self.principal),
            "interest": str(self.interest),
            "penalty": str(self.penalty),
            "reference": self.reference,
        }


def mapping_for(bank: Any) -> dict[str, str]:
    saved = RepaymentMapping.objects.filter(bank=bank).values_list("columns", flat=True).first() or {}
    return {key: str(saved.get(key) or default) for key, default in DEFAULT_COLUMNS.items()}


def read_rows(upload: Any, columns: dict[str, str]) -> list[dict[str, Any]]:
    """Raw cell values by field name, with the file row number (header = row 1)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise FILE_INVALID.error(field="file") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(x).strip() if x is not None else "" for x in next(rows, ())]
    index = {}
    for key in FIELDS:
        name = columns.get(key, "")
        if name in header:
            index[key] = header.index(name)
        elif key in REQUIRED:
            raise HEADER_MISSING.error(column=name, field="file")
    out = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            break
        if not values or all(v in (None, "") for v in values):
            continue
        out.append({"row": number, **{k: (values[i] if i < len(values) else None) for k, i in index.items()}})
    return out


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return Decimal(0)
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or number.quantize(Decimal("0.01")) != number:
        return None
    return number


def check(actor: Any, bank: Any, raw_rows: list[dict[str, Any]], today: date | None = None) -> list[Row]:
    """Check every row (no writes): contract known for the bank (or its branches), date, amounts,
    permission, guarantee in force; rows already imported are marked duplicate (skipped)."""
    today = today or timezone.localdate()
    contracts = {str(r.get("contract") or "").strip() for r in raw_rows}
    loans = {
        loan.contract_number: loan
        for loan in Loan.objects.filter(Q(bank=bank) | Q(bank__parent=bank), contract_number__in=contracts).select_related(
            "guarantee__project"
        )
    }
    rows = []
    seen: set[str] = set()
    for raw in raw_rows:
        row = Row(raw["row"], contract=str(raw.get("contract") or "").strip(), reference=str(raw.get("reference") or "").strip()[:80])
        row.loan = loans.get(row.contract)
        if not row.contract:
            row.errors.append(_("loan contract number is empty"))
        elif row.loan is None:
            row.errors.append(_("loan contract %(contract)s of this bank is not in the ledger") % {"contract": row.contract})
        row.paid_on = _date(raw.get("paid_on"))
        if row.paid_on is None:
            row.errors.append(_("repayment date “%(value)s” is not a date") % {"value": raw.get("paid_on") or ""})
        elif row.paid_on > today:
            row.errors.append(_("repayment date %(date)s is in the future") % {"date": row.paid_on.isoformat()})
        elif row.loan is not None and row.paid_on < row.loan.loan_date:
            row.errors.append(_("repayment date %(date)s is before the loan date") % {"date": row.paid_on.isoformat()})
        for key, label in (
            ("principal", pgettext("repayment import", "principal")),
            ("interest", pgettext("repayment import", "interest")),
            ("penalty", pgettext("repayment import", "penalty interest")),
        ):
            value = _amount(raw.get(key))
            if value is None:
                row.errors.append(_("%(what)s “%(value)s” is not an amount in yuan and fen") % {"what": label, "value": raw.get(key)})
            else:
                setattr(row, key, value)
        if not row.errors and row.total <= 0:
            row.errors.append(_("the repayment is zero"))
        if row.loan is not None:
            if row.loan.guarantee.state != GuaranteeState.IN_FORCE:
                row.errors.append(_("the guarantee is no longer in force"))
            elif not repayments.may_repay(actor, row.loan.guarantee):
                row.errors.append(_("you may not record repayments of this guarantee"))
        if row.paid_on is not None and row.loan is not None:
            row.natural = repayments.natural_key(bank.pk, row.contract, row.paid_on, row.total, row.reference)
            if row.natural in seen:
                row.errors.append(_("the same repayment appears twice in the file"))
            seen.add(row.natural)
        rows.append(row)
    done = set(Repayment.objects.filter(natural_key__in=[r.natural for r in rows if r.natural]).values_list("natural_key", flat=True))
    for row in rows:
        row.duplicate = row.natural in done
    # Principal above the outstanding (summed over the rows of the same tranche).
    pending: dict[int, Decimal] = {}
    for row in rows:
        if row.loan is not None and not row.errors and not row.duplicate:
            pending[row.loan.pk] = pending.get(row.loan.pk, Decimal(0)) + row.principal
            if pending[row.loan.pk] > row.loan.balance:
                row.errors.append(_("principal exceeds the outstanding %(balance)s yuan") % {"balance": f"{row.loan.balance:,.2f}"})
    return rows


def repayments_import(
    *, actor: Any, bank: Any, upload: Any, columns: dict[str, str] | None = None, today: date | None = None
) -> dict[str, int]:
    """Import the file atomically: any row with an error refuses the whole file (nothing written).
    Rows already imported are skipped. Saves the bank's column mapping. Returns counts."""
    from danbao.ledger.services import refresh_regulatory

    today = today or timezone.localdate()
    columns = columns or mapping_for(bank)
    rows = check(actor, bank, read_rows(upload, columns), today)
    if not rows:
        raise FILE_EMPTY.error(field="file")
    bad = [r for r in rows if r.errors]
    if bad:
        raise FILE_HAS_ERRORS.error(count=len(bad), field="file")
    created = 0
    customers: set[int] = set()
    with transaction.atomic():
        for row in rows:
            if row.duplicate:
                continue
            repayments.repayment_record(
                actor=actor,
                loan=row.loan,
                paid_on=row.paid_on,
                principal=row.principal,
                interest=row.interest,
                penalty=row.penalty,
                reference=row.reference,
                natural=row.natural,
                source=Repayment.Source.IMPORT,
                today=today,
                refresh=False,
            )
            created += 1
            customers.add(row.loan.guarantee.customer_id)
        RepaymentMapping.objects.update_or_create(bank=bank, defaults={"columns": columns})
        if customers:
            refresh_regulatory(sorted(customers), today)
        security_event(
            "ledger.repayments_imported",
            actor=actor,
            object_type="partners.Bank",
            object_id=bank.pk,
            data={"bank": bank.name, "rows": len(rows), "recorded": created, "skipped": len(rows) - created},
        )
    return {"rows": len(rows), "recorded": created, "skipped": len(rows) - created}


__all__ = ["DomainError", "check", "mapping_for", "read_rows", "repayments_import"]
