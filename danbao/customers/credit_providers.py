"""Where credit report entries come from. A provider turns its input into ``ProviderEntry`` rows;
``ManualProvider`` takes form rows, ``FileImportProvider`` a CSV/Excel file. A future online
provider (e.g. a bureau interface) implements ``fetch`` the same way and plugs in here."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils.translation import gettext as _

KINDS = {
    "loan": "loan",
    "贷款": "loan",
    "guarantee": "guarantee",
    "担保": "guarantee",
    "对外担保": "guarantee",
    "overdue": "overdue",
    "逾期": "overdue",
}


@dataclass(frozen=True)
class ProviderEntry:
    kind: str
    institution: str
    amount: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)
    status: str = ""
    overdue_amount: Decimal = Decimal(0)
    overdue_days: int = 0
    overdue_months: int = 0
    as_of: date | None = None

    def as_fields(self) -> dict[str, Any]:
        return asdict(self)


class ProviderError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class CreditProvider(Protocol):
    source: str

    def fetch(self, payload: Any) -> list[ProviderEntry]: ...


class ManualProvider:
    source = "manual"

    def fetch(self, payload: list[dict[str, Any]]) -> list[ProviderEntry]:
        return [ProviderEntry(**row) for row in payload if row.get("institution")]


COLUMNS = {
    "kind": {"kind", "类型", "种类"},
    "institution": {"institution", "机构", "金融机构"},
    "amount": {"amount", "金额", "合同金额"},
    "balance": {"balance", "余额"},
    "status": {"status", "状态"},
    "overdue_amount": {"overdue_amount", "逾期金额"},
    "overdue_days": {"overdue_days", "逾期天数"},
    "overdue_months": {"overdue_months", "逾期月数"},
    "as_of": {"as_of", "日期", "记录月份"},
}


class FileImportProvider:
    """CSV (UTF-8/GBK) or .xlsx with a header row; any bad row and ProviderError lists them all."""

    source = "file"

    def fetch(self, payload: tuple[str, bytes]) -> list[ProviderEntry]:
        filename, data = payload
        try:
            if filename.lower().endswith(".xlsx"):
                from openpyxl import load_workbook

                ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
                table = [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
            else:
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = data.decode("gb18030")
                table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
        except Exception as exc:  # noqa: BLE001
            raise ProviderError([_("The file could not be read: upload a CSV or an Excel (.xlsx) file.")]) from exc
        numbered = [(n, r) for n, r in enumerate(table, start=1) if any(r)]  # file row numbers
        if not numbered:
            raise ProviderError([_("The file is empty.")])
        titles = numbered[0][1]
        header = [h.lower() for h in titles]
        index = {}
        for key, names in COLUMNS.items():
            for i, h in enumerate(header):
                if h in names:
                    index[key] = i
        if "kind" not in index or "institution" not in index:
            raise ProviderError([_("The first row must name the columns; kind (类型) and institution (机构) are required.")])
        out: list[ProviderEntry] = []
        problems: list[str] = []
        for n, row in numbered[1:]:

            def cell(key: str, _row: list[str] = row) -> str:
                i = index.get(key)
                return _row[i] if i is not None and i < len(_row) else ""

            bad: list[str] = []
            kind = KINDS.get(cell("kind").lower())
            if kind is None:
                bad.append(_("kind must be 贷款, 担保 or 逾期"))
            if not cell("institution"):
                bad.append(_("the institution is empty"))
            amounts: dict[str, Any] = {}
            for key in ("amount", "balance", "overdue_amount"):
                try:
                    amounts[key] = Decimal(cell(key).replace(",", "") or "0").quantize(Decimal("0.01"))
                    if amounts[key] < 0:
                        raise InvalidOperation
                except InvalidOperation:
                    bad.append(_("%(column)s “%(value)s” is not an amount") % {"column": titles[index[key]], "value": cell(key)})
            for key in ("overdue_days", "overdue_months"):
                try:
                    amounts[key] = int(cell(key) or "0")
                    if amounts[key] < 0:
                        raise ValueError
                except ValueError:
                    bad.append(_("%(column)s “%(value)s” is not a whole number") % {"column": titles[index[key]], "value": cell(key)})
            as_of = None
            if cell("as_of"):
                try:
                    as_of = date.fromisoformat(cell("as_of")[:10])
                except ValueError:
                    bad.append(_("date “%(value)s” is not a date") % {"value": cell("as_of")})
            if bad:
                problems.append(_("Row %(n)s: %(problems)s") % {"n": n, "problems": "；".join(bad)})
                continue
            out.append(ProviderEntry(kind=kind, institution=cell("institution"), status=cell("status"), as_of=as_of, **amounts))  # type: ignore[arg-type]
        if problems:
            raise ProviderError(problems)
        return out


PROVIDERS: dict[str, CreditProvider] = {"manual": ManualProvider(), "file": FileImportProvider()}
