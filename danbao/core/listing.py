"""Reusable list pages: search, filters, whitelisted sorting, pagination, column chooser, Excel export.

A view builds its scoped queryset with a selector and calls `render_list`; htmx requests get only
the table partial. The number of SQL queries does not depend on the number of rows: the spec
declares its `select_related`, and each page runs one COUNT and one SELECT.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from danbao.core import stepup
from danbao.core.events import security_event
from danbao.core.money import format_amount

PAGE_SIZES = (10, 20, 50, 100)
EXPORT_ROW_LIMIT = 10_000


@dataclass(frozen=True)
class Column:
    """One table column: `key` names the attribute path (a__b) read from each row."""

    key: str
    label: str | Promise
    sort_field: str | None = None  # ORM path used for ordering; None = not sortable
    default: bool = True  # shown until the user changes the column chooser
    kind: str = "text"  # text | amount | date | datetime | bool | badge
    link: Callable[[Any], str] | None = None
    display: Callable[[Any], Any] | None = None

    def raw(self, row: Any) -> Any:
        if self.display is not None:
            return self.display(row)
        value: Any = row
        for part in self.key.split("__"):
            value = getattr(value, part, None) if value is not None else None
            if callable(value) and not hasattr(value, "all"):
                value = value()
        return value

    def text(self, row: Any) -> str:
        value = self.raw(row)
        if value is None or value == "":
            return ""
        if self.kind == "amount":
            return format_amount(value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "Y-m-d H:i")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


@dataclass(frozen=True)
class Filter:
    """A select filter: `choices` is a list or a callable(user) returning (value, label) pairs."""

    key: str
    label: str | Promise
    lookup: str
    choices: Sequence[tuple[str, Any]] | Callable[[Any], Sequence[tuple[str, Any]]] = ()

    def options(self, user: Any) -> list[tuple[str, str]]:
        raw = self.choices(user) if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in raw]


@dataclass(frozen=True)
class DateRange:
    """A from/to filter on a date or datetime field: GET keys `<key>_from` and `<key>_to` (YYYY-MM-DD).

    Both ends are inclusive local dates (Asia/Shanghai): "to 2026-03-31" keeps everything before
    2026-04-01 00:00 local time. Values that are not dates are ignored like unknown filter values.
    """

    key: str
    label: str | Promise
    field: str
    is_datetime: bool = True

    @staticmethod
    def parse(value: str) -> date | None:
        try:
            return date.fromisoformat(value.strip()[:10]) if value else None
        except ValueError:
            return None

    def apply(self, queryset: QuerySet[Any], start: date | None, end: date | None) -> QuerySet[Any]:
        if self.is_datetime:
            zone = timezone.get_current_timezone()
            if start:
                queryset = queryset.filter(**{f"{self.field}__gte": datetime.combine(start, time.min, tzinfo=zone)})
            if end:
                queryset = queryset.filter(**{f"{self.field}__lt": datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)})
            return queryset
        if start:
            queryset = queryset.filter(**{f"{self.field}__gte": start})
        if end:
            queryset = queryset.filter(**{f"{self.field}__lte": end})
        return queryset


@dataclass(frozen=True)
class ListSpec:
    name: str
    columns: Sequence[Column]
    filters: Sequence[Filter] = ()
    search_fields: Sequence[str] = ()
    search_placeholder: str | Promise = ""
    default_sort: str = "-id"
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    export_name: str | Promise | None = None
    export_permission: str | None = None
    row_actions: Callable[[Any, Any], list[tuple[str, str]]] | None = None
    date_ranges: Sequence[DateRange] = ()
    # Extra exact-match condition for the search text, e.g. a blind index of an encrypted column.
    search_exact: Callable[[str], Q | None] | None = None


@dataclass
class ListState:
    spec: ListSpec
    page: Page
    query: str
    sort: str
    filters: list[dict[str, Any]]
    columns: list[Column]
    all_columns: list[dict[str, Any]]
    page_size: int
    querystring: str  # search, filters, page size and sort of the current view
    can_export: bool
    rows: list[dict[str, Any]] = field(default_factory=list)
    date_ranges: list[dict[str, Any]] = field(default_factory=list)
    unsorted_querystring: str = ""


def _visible_columns(request: HttpRequest, spec: ListSpec) -> list[Column]:
    session_key = f"list-columns:{spec.name}"
    keys = {c.key for c in spec.columns}
    if "cols" in request.GET:
        chosen = [k for k in request.GET.getlist("cols") if k in keys]
        request.session[session_key] = chosen
    else:
        chosen = request.session.get(session_key) or []
    if not chosen:
        return [c for c in spec.columns if c.default]
    return [c for c in spec.columns if c.key in chosen]


def filtered_queryset(request: HttpRequest, spec: ListSpec, queryset: QuerySet[Any]) -> tuple[QuerySet[Any], dict[str, Any]]:
    """Apply search, filters and sorting from the query string; unknown values are ignored."""
    user = request.user
    query = request.GET.get("q", "").strip()[:100]
    if query and (spec.search_fields or spec.search_exact):
        condition = Q()
        for path in spec.search_fields:
            condition |= Q(**{f"{path}__icontains": query})
        exact = spec.search_exact(query) if spec.search_exact else None
        if exact is not None:
            condition |= exact
        queryset = queryset.filter(condition)
    active: dict[str, str] = {}
    for flt in spec.filters:
        value = request.GET.get(flt.key, "")
        if value and value in {v for v, _label in flt.options(user)}:
            queryset = queryset.filter(**{flt.lookup: value})
            active[flt.key] = value
    for rng in spec.date_ranges:
        start = DateRange.parse(request.GET.get(f"{rng.key}_from", ""))
        end = DateRange.parse(request.GET.get(f"{rng.key}_to", ""))
        queryset = rng.apply(queryset, start, end)
        if start:
            active[f"{rng.key}_from"] = start.isoformat()
        if end:
            active[f"{rng.key}_to"] = end.isoformat()
    sortable = {c.key: c.sort_field for c in spec.columns if c.sort_field}
    sort = request.GET.get("sort", "")
    key = sort.lstrip("-")
    if key in sortable:
        field_path = sortable[key]
        ordering = [f"-{field_path}" if sort.startswith("-") else field_path, "-pk"]
    else:
        sort = ""
        ordering = [spec.default_sort, "-pk"] if spec.default_sort.lstrip("-") != "pk" else [spec.default_sort]
    if spec.select_related:
        queryset = queryset.select_related(*spec.select_related)
    if spec.prefetch_related:
        queryset = queryset.prefetch_related(*spec.prefetch_related)
    return queryset.order_by(*ordering), {"q": query, "sort": sort, "filters": active}


def build_state(request: HttpRequest, spec: ListSpec, queryset: QuerySet[Any]) -> ListState:
    queryset, params = filtered_queryset(request, spec, queryset)
    try:
        page_size = int(request.GET.get("size", 20))
    except ValueError:
        page_size = 20
    if page_size not in PAGE_SIZES:
        page_size = 20
    paginator = Paginator(queryset, page_size)
    page = paginator.get_page(request.GET.get("page"))
    columns = _visible_columns(request, spec)
    user = request.user
    base = {"q": params["q"], "size": page_size, **params["filters"]}
    # Sort links replace the sort; paging and export links keep it.
    unsorted = urlencode({k: v for k, v in base.items() if v})
    querystring = f"{unsorted}&sort={params['sort']}" if params["sort"] else unsorted
    rows = []
    for obj in page.object_list:
        cells = []
        for column in columns:
            cells.append({"column": column, "text": column.text(obj), "url": column.link(obj) if column.link else ""})
        actions = spec.row_actions(obj, user) if spec.row_actions else []
        rows.append({"object": obj, "cells": cells, "actions": actions})
    filters = [
        {"key": f.key, "label": f.label, "options": f.options(user), "value": params["filters"].get(f.key, "")} for f in spec.filters
    ]
    date_ranges = [
        {
            "key": r.key,
            "label": r.label,
            "start": params["filters"].get(f"{r.key}_from", ""),
            "end": params["filters"].get(f"{r.key}_to", ""),
        }
        for r in spec.date_ranges
    ]
    visible_keys = {c.key for c in columns}
    all_columns = [{"key": c.key, "label": c.label, "visible": c.key in visible_keys} for c in spec.columns]
    return ListState(
        spec,
        page,
        params["q"],
        params["sort"],
        filters,
        columns,
        all_columns,
        page_size,
        querystring,
        can_export(request, spec),
        rows,
        date_ranges,
        unsorted,
    )


def can_export(request: HttpRequest, spec: ListSpec) -> bool:
    permission = spec.export_permission
    return bool(spec.export_name) and (not permission or request.user.can(permission))  # type: ignore[union-attr]


def _cell_value(column: Column, obj: Any) -> Any:
    value = column.raw(obj)
    if isinstance(value, Decimal) or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, date):
        return value
    text = column.text(obj)
    # Neutralise spreadsheet formulas in user-entered text (SECURITY E.49).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def export_xlsx(request: HttpRequest, spec: ListSpec, queryset: QuerySet[Any]) -> HttpResponse:
    """All filtered rows (up to EXPORT_ROW_LIMIT) of the visible columns as .xlsx; the export is logged."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    queryset, params = filtered_queryset(request, spec, queryset)
    columns = _visible_columns(request, spec)
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = str(spec.export_name)[:31]
    sheet.append([str(c.label) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    count = 0
    for obj in queryset[:EXPORT_ROW_LIMIT]:
        sheet.append([_cell_value(c, obj) for c in columns])
        count += 1
    user = request.user
    stamp = timezone.localtime()
    sheet.append([])
    sheet.append(
        [
            _("Exported by %(user)s at %(time)s, request %(rid)s")
            % {"user": getattr(user, "username", ""), "time": stamp.strftime("%Y-%m-%d %H:%M"), "rid": getattr(request, "request_id", "")}
        ]
    )
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 18 if column.kind != "text" else 22
    security_event(
        "data.export",
        request=request,
        object_type=spec.name,
        data={"rows": count, "filters": params["filters"], "q": params["q"], "columns": [c.key for c in columns]},
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    filename = f"{spec.name}-{stamp.strftime('%Y%m%d-%H%M%S')}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def render_list(
    request: HttpRequest,
    spec: ListSpec,
    queryset: QuerySet[Any],
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The one entry point for list views: export, htmx partial or the full page."""
    if request.GET.get("export") == "xlsx":
        if not can_export(request, spec):
            raise PermissionDenied
        if not stepup.is_recent(request):
            return stepup.challenge(request)  # exports leave the system: password within 5 minutes
        return export_xlsx(request, spec, queryset)
    state = build_state(request, spec, queryset)
    ctx = {"list": state, **(context or {})}
    if getattr(request, "htmx", False) and request.htmx.target == "list-region":  # type: ignore[attr-defined]
        return render(request, f"{template}#list-region", ctx)
    return render(request, template, ctx)
