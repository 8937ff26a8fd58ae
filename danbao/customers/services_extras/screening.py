"""Watch-list screening: normalisation, matching, list imports, internal blacklist, hit handling."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.crypto import blind_index
from danbao.customers.identity import check_ric, check_uscc
from danbao.customers.models import Customer, RelatedParty, ScreeningHit, WatchList, WatchListEntry
from danbao.customers.services_extras import errors
from danbao.customers.services_extras.common import audit, require

WATCHLIST_PERMISSION = "customers.watchlist.manage"
HANDLE_PERMISSION = "customers.screening.handle"
INTERNAL_LIST_NAME = "内部黑名单"
_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_name(name: str) -> str:
    """Full-width to half-width, lower case, no spaces or punctuation: “ＡＢＣ（北京） 有限公司” = “abc北京有限公司”."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    return _STRIP.sub("", text)


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


# --- matching -------------------------------------------------------------------------------


def _matches(name: str, code: str) -> list[tuple[WatchListEntry, str]]:
    found: dict[int, tuple[WatchListEntry, str]] = {}
    active = WatchListEntry.objects.filter(active=True).select_related("watch_list")
    code = normalise_code(code)
    if code:
        for entry in active.filter(id_index=blind_index(code)):
            found[entry.pk] = (entry, ScreeningHit.MatchType.EXACT_CODE)
    norm = normalise_name(name)
    if norm:
        for entry in active.filter(name_normalised=norm):
            found.setdefault(entry.pk, (entry, ScreeningHit.MatchType.NAME))
    return list(found.values())


def _record(customer: Customer, party: RelatedParty | None, name: str, code: str) -> int:
    key = f"r:{party.pk}" if party else f"c:{customer.pk}"
    created = 0
    for entry, match in _matches(name, code):
        hit, new = ScreeningHit.objects.get_or_create(
            subject_key=key,
            entry=entry,
            defaults={"customer": customer, "related_party": party, "subject_name": name, "match_type": match},
        )
        if new:
            created += 1
            audit(
                "customers.screening_hit",
                actor=None,
                obj=hit,
                customer=customer.pk,
                subject=key,
                entry=entry.pk,
                list=entry.watch_list.name,
                match=match,
            )
    return created


def screen_customer(customer: Customer, actor: Any = None) -> int:
    """New hits of one customer (existing hits, also handled ones, are kept as they are)."""
    with transaction.atomic():
        return _record(customer, None, customer.name, customer.identity_code)


def screen_related_party(party: RelatedParty) -> int:
    if party.party_customer_id:
        return 0  # the party is a customer itself and is screened as one
    with transaction.atomic():
        return _record(party.customer, party, party.party_name, party.party_id_code)


def rescreen_everything() -> dict[str, int]:
    """Screen every customer and every active named related party; idempotent."""
    customers = parties = hits = 0
    for customer in Customer.objects.all().iterator():
        hits += screen_customer(customer)
        customers += 1
    for party in RelatedParty.objects.filter(ended_on__isnull=True, party_customer__isnull=True).select_related("customer").iterator():
        hits += screen_related_party(party)
        parties += 1
    return {"customers": customers, "parties": parties, "hits": hits}


def after_customer_saved(customer: Customer, actor: Any) -> None:
    """Hook for the profile services (danbao.customers.hooks.after_customer_saved)."""
    screen_customer(customer, actor)


def _schedule_rescreen() -> None:
    from danbao.customers import tasks

    transaction.on_commit(lambda: tasks.rescreen_all.delay())


def valid_code(code: str) -> str | None:
    """The normalised code when it is a valid resident ID number or credit code, else None."""
    for check in (check_ric, check_uscc):
        result = check(code)
        if result.valid:
            return result.normalized
    return None


# --- imports ----------------------------------------------------------------------------------

HEADERS = {
    "name": {"name", "名称", "姓名", "被执行人姓名/名称", "被执行人", "姓名/名称"},
    "id_code": {"id_code", "code", "证件号码", "身份证号码/组织机构代码", "统一社会信用代码", "身份证号", "证件号"},
    "reason": {"reason", "原因", "失信情形", "失信被执行人行为具体情形", "事由"},
    "source_record": {"source_record", "案号", "record", "来源记录"},
}


@dataclass
class ImportPreview:
    rows: list[dict[str, str]] = field(default_factory=list)  # good rows
    errors: list[str] = field(default_factory=list)  # "第 n 行：…"
    total: int = 0


def _read_table(filename: str, data: bytes) -> list[list[str]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return [["" if v is None else str(v).strip() for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("encoding")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def preview_import(filename: str, data: bytes) -> ImportPreview:
    """Parse a CSV/Excel list: a header row with at least a name column; every bad row reported."""
    preview = ImportPreview()
    try:
        table = _read_table(filename, data)
    except Exception:  # noqa: BLE001 - an unreadable file is one user error
        preview.errors.append(_("The file could not be read: upload a CSV (UTF-8 or GBK) or an Excel (.xlsx) file."))
        return preview
    numbered = [(number, row) for number, row in enumerate(table, start=1) if any(row)]  # file row numbers
    if not numbered:
        preview.errors.append(_("The file is empty."))
        return preview
    header = [h.strip().lower() for h in numbered[0][1]]
    index: dict[str, int] = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in {n.lower() for n in names}:
                index[key] = i
                break
    if "name" not in index:
        preview.errors.append(_("The first row must name the columns; a name column (名称 or 姓名) is required."))
        return preview
    seen: set[tuple[str, str]] = set()
    for number, row in numbered[1:]:
        preview.total += 1

        def cell(key: str, _row: list[str] = row) -> str:
            i = index.get(key)
            return _row[i].strip() if i is not None and i < len(_row) else ""

        name, code = cell("name"), normalise_code(cell("id_code"))
        problems = []
        if not name:
            problems.append(_("the name is empty"))
        if len(name) > 200:
            problems.append(_("the name is longer than 200 characters"))
        if code and "*" not in code:
            checked = valid_code(code)
            if checked is None:
                problems.append(_("identity code %(code)s is not valid") % {"code": code})
            else:
                code = checked
        elif "*" in code:
            code = ""  # published lists mask ID numbers: match by name only
        key = (normalise_name(name), code)
        if not problems and key in seen:
            problems.append(_("duplicate of an earlier row"))
        if problems:
            preview.errors.append(_("Row %(n)s: %(problems)s") % {"n": number, "problems": "；".join(problems)})
            continue
        seen.add(key)
        preview.rows.append({"name": name, "id_code": code, "reason": cell("reason")[:500], "source_record": cell("source_record")[:200]})
    return preview


def watchlist_import(
    *, actor: Any, source: str, list_name: str, filename: str, data: bytes, accept_good_rows: bool = False
) -> tuple[WatchList, int]:
    """Replace the entries of the list named ``list_name`` with the file's rows (entries no longer in
    the file are deactivated). Any bad row and nothing is written, unless ``accept_good_rows``."""
    require(actor, WATCHLIST_PERMISSION)
    preview = preview_import(filename, data)
    if preview.errors and (not accept_good_rows or not preview.rows):
        raise errors.IMPORT_INVALID.error(count=len(preview.errors), problems=preview.errors)
    with transaction.atomic():
        wl, _created = WatchList.objects.get_or_create(name=list_name, defaults={"source": source, "created_by": actor})
        existing = {(e.name_normalised, e.id_code): e for e in wl.entries.all()}
        keep: set[int] = set()
        added = 0
        for row in preview.rows:
            key = (normalise_name(row["name"]), row["id_code"])
            entry = existing.get(key)
            if entry is None:
                entry = WatchListEntry(watch_list=wl, name_normalised=key[0], created_by=actor, **row)
                entry.save()
                added += 1
            elif not entry.active or entry.reason != row["reason"]:
                entry.active, entry.reason, entry.source_record = True, row["reason"], row["source_record"]
                entry.save()
            keep.add(entry.pk)
        removed = 0
        for entry in wl.entries.filter(active=True).exclude(pk__in=keep):
            entry.active = False
            entry.save()
            removed += 1
        wl.imported_at = timezone.now()
        wl.save()
        audit(
            "customers.watchlist_imported",
            actor=actor,
            obj=wl,
            file=filename,
            rows=len(preview.rows),
            added=added,
            deactivated=removed,
            rejected_rows=len(preview.errors),
        )
        _schedule_rescreen()
    return wl, len(preview.rows)


def internal_entry_add(*, actor: Any, name: str, id_code: str = "", reason: str) -> WatchListEntry:
    require(actor, WATCHLIST_PERMISSION)
    name = (name or "").strip()
    if not name:
        raise errors.ENTRY_NAME.error()
    if not (reason or "").strip():
        raise errors.HIT_REASON.error()
    with transaction.atomic():
        wl, _created = WatchList.objects.get_or_create(
            name=INTERNAL_LIST_NAME, defaults={"source": WatchList.Source.INTERNAL, "created_by": actor}
        )
        entry = WatchListEntry.objects.create(
            watch_list=wl,
            name=name,
            name_normalised=normalise_name(name),
            id_code=normalise_code(id_code),
            reason=reason.strip(),
            created_by=actor,
        )
        wl.imported_at = timezone.now()
        wl.save()
        audit("customers.blacklist_entry_added", actor=actor, obj=entry, name=name, reason=entry.reason)
        _schedule_rescreen()
    return entry


def internal_entry_deactivate(*, actor: Any, entry: WatchListEntry, reason: str) -> WatchListEntry:
    require(actor, WATCHLIST_PERMISSION)
    if not (reason or "").strip():
        raise errors.HIT_REASON.error()
    with transaction.atomic():
        entry.active = False
        entry.save()
        audit("customers.blacklist_entry_removed", actor=actor, obj=entry, reason=reason)
    return entry


def hit_handle(*, actor: Any, hit: ScreeningHit, decision: str, reason: str) -> ScreeningHit:
    """Confirm (the subject is the listed party) or dismiss (a namesake) an open hit, with a reason."""
    require(actor, HANDLE_PERMISSION)
    if hit.status != ScreeningHit.Status.OPEN:
        raise errors.HIT_HANDLED.error()
    reason = (reason or "").strip()
    if not reason:
        raise errors.HIT_REASON.error()
    if decision not in (ScreeningHit.Status.CONFIRMED, ScreeningHit.Status.DISMISSED):
        raise ValueError(decision)
    with transaction.atomic():
        locked = ScreeningHit.objects.select_for_update().get(pk=hit.pk)
        if locked.status != ScreeningHit.Status.OPEN:
            raise errors.HIT_HANDLED.error()
        locked.status, locked.handled_by, locked.handled_at, locked.handling_reason = decision, actor, timezone.now(), reason[:500]
        locked.save()
        audit("customers.screening_hit_handled", actor=actor, obj=locked, customer=locked.customer_id, decision=decision, reason=reason)
    return locked
