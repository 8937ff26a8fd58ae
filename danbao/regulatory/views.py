"""Regulatory pages: metrics on a date (with the 计量表 export), monthly finance figures, what-if."""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danbao.core import stepup
from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.events import security_event
from danbao.core.listing import Column, ListSpec, render_list
from danbao.regulatory import selectors, services
from danbao.regulatory.exposures import Exposure
from danbao.regulatory.forms import DateForm, FinanceInputForm, WhatIfForm
from danbao.regulatory.metrics import metrics_on
from danbao.regulatory.models import AMOUNT_FIELDS, FinanceInput
from danbao.regulatory.registrations import INPUTS_MANAGE, METRICS_VIEW, WHATIF_RUN

HUNDRED = Decimal(100)


def _on(request: HttpRequest) -> tuple[DateForm, date]:
    form = DateForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("on"):
        on = form.cleaned_data["on"]
    return form, on


@require_permission(METRICS_VIEW)
def metrics(request: HttpRequest) -> HttpResponse:
    form, on = _on(request)
    try:
        report = metrics_on(on)
    except DomainError as exc:
        return render(request, "regulatory/metrics.html", {"form": form, "on": on, "error": exc.message}, status=200)
    return render(request, "regulatory/metrics.html", {"form": form, "on": on, "report": report})


def _q(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@require_permission(METRICS_VIEW)
def metrics_export(request: HttpRequest) -> HttpResponse:
    """The 融资担保责任余额计量表 as .xlsx (万元, as the report form); needs a recent password (export)."""
    if not stepup.is_recent(request):
        return stepup.challenge(request)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _form, on = _on(request)
    report = metrics_on(on)
    wan = Decimal(10000)
    book = Workbook()
    sheet = book.active
    sheet.title = "融资担保责任余额计量表"
    sheet.append(["融资担保责任余额计量表"])
    sheet.append([f"日期：{on.isoformat()}", "单位：万元"])
    sheet.append(["项目", "在保余额（合同口径）", "实际在保余额", "权重", "融资担保责任余额", "笔数"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in report.table.rows:
        sheet.append(
            [
                f"{row.bucket} {row.name}",
                _q(row.gross_balance / wan),
                _q(row.actual_balance / wan),
                f"{(row.weight * HUNDRED).normalize():f}%" if row.weight is not None else "",
                _q(row.liability / wan),
                row.count,
            ]
        )
    table = report.table
    sheet.append(["1 借款类担保责任余额", "", "", "", _q(table.loan_liability / wan), ""])
    sheet.append(["2 发行债券担保责任余额", "", "", "", _q(table.bond_liability / wan), ""])
    sheet.append(
        ["4 合计", _q(table.total_gross / wan), _q(table.total_actual / wan), "", _q(table.total_liability / wan), len(table.items)]
    )
    sheet.append([])
    for choice in report.choices:
        if choice.code in ("threshold_basis", "deduct_reguarantee_share"):
            sheet.append([f"口径：{choice.name}", choice.value, choice.meaning, choice.grade_label])
    if not report.has_exposures:
        sheet.append(["说明：系统中尚无登记的在保业务。"])
    sheet.append([f"导出人 {request.user.get_username()}，{timezone.localtime():%Y-%m-%d %H:%M}"])
    sheet.column_dimensions["A"].width = 52
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 18
    security_event(
        "regulatory.liability_table_exported",
        request=request,
        object_type="regulatory.liability_table",
        data={"on": on.isoformat(), "rows": len(table.items), "total_liability": str(table.total_liability)},
    )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="liability-table-{on.isoformat()}.xlsx"'
    return response


# --- Finance inputs -----------------------------------------------------------------------------

INPUT_LIST = ListSpec(
    name="regulatory-finance-inputs",
    columns=[
        Column(
            "period",
            gettext_lazy("Month"),
            sort_field="period",
            display=lambda r: r.period.strftime("%Y-%m"),
            link=lambda r: reverse("regulatory:input-edit", args=[r.period.strftime("%Y-%m")]),
        ),
        Column("net_assets_amount", gettext_lazy("Net assets"), sort_field="net_assets_amount", kind="amount"),
        Column("total_assets_amount", gettext_lazy("Total assets"), sort_field="total_assets_amount", kind="amount"),
        Column("equity_in_guarantors_amount", gettext_lazy("Equity in other guarantors"), kind="amount"),
        Column("comp_receivable_amount", gettext_lazy("Compensation receivable"), kind="amount"),
        Column("version", gettext_lazy("Version")),
        Column("updated_by__real_name", gettext_lazy("Entered by")),
        Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime"),
    ],
    filters=[],
    search_fields=["note"],
    search_placeholder=gettext_lazy("Note"),
    default_sort="-period",
    select_related=["updated_by"],
    export_name=gettext_lazy("Monthly finance figures"),
    export_permission=INPUTS_MANAGE,
)


@require_permission(INPUTS_MANAGE)
def input_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, INPUT_LIST, selectors.finance_input_list(), "regulatory/input_list.html")


def _save(request: HttpRequest, form: FinanceInputForm, record: FinanceInput | None) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        saved = services.finance_input_save(
            actor=request.user,
            period=record.period if record else data["period"],
            amounts={name: data.get(name) or Decimal(0) for name in AMOUNT_FIELDS},
            note=data.get("note") or "",
            expected_version=data.get("version") if record else None,
        )
    except DomainError as exc:
        target = exc.data.get("field")
        form.add_error(target if target in form.fields and not form.fields[target].disabled else None, exc.message)
        return None
    messages.success(request, _("Finance figures for %(period)s saved.") % {"period": saved.period.strftime("%Y-%m")})
    return redirect("regulatory:input-edit", period=saved.period.strftime("%Y-%m"))


@require_permission(INPUTS_MANAGE)
def input_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"period": timezone.localdate().strftime("%Y-%m")}
    form = FinanceInputForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if selectors.finance_input_exists(form.cleaned_data["period"]):
            form.add_error("period", _("Figures for this month exist already: open the month to correct them."))
    if not form.errors:
        response = _save(request, form, None)
        if response is not None:
            return response
    return render(request, "regulatory/input_form.html", {"form": form, "record": None})


def _period(text: str) -> date:
    from django.http import Http404

    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError as exc:
        raise Http404 from exc


@require_permission(INPUTS_MANAGE)
def input_edit(request: HttpRequest, period: str) -> HttpResponse:
    record = selectors.finance_input_get(_period(period))
    initial = {name: getattr(record, name) for name in AMOUNT_FIELDS}
    initial.update(period=record.period.strftime("%Y-%m"), version=record.version, note="")
    form = FinanceInputForm(request.POST or None, initial=initial, editing=True)
    response = _save(request, form, record)
    if response is not None:
        return response
    return render(
        request, "regulatory/input_form.html", {"form": form, "record": record, "history": selectors.finance_input_history(record)}
    )


# --- What-if ------------------------------------------------------------------------------------


@require_permission(WHATIF_RUN)
def what_if(request: HttpRequest) -> HttpResponse:
    customers = selectors.what_if_customers_for(request.user)
    form = WhatIfForm(request.GET or None, customers=customers)
    result = party = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        party = selectors.party_for_customer(data["customer"])
        proposed = Exposure(
            key="what-if",
            party_key=party.party_key,
            party_name=party.party_name,
            guarantee_class=data["guarantee_class"],
            loan_balance=data["amount"],
            own_share=data["own_share"] / HUNDRED,
            reguarantee_share=(data.get("reguarantee_share") or Decimal(0)) / HUNDRED,
            loan_kind=data.get("loan_kind") or party.loan_kind,
            bond_aa_or_better=bool(data.get("bond_aa_or_better")),
            group_key=party.group_key,
        )
        try:
            result = services.what_if(proposed=proposed, on=data.get("on") or None, related_party_keys=party.related_party_keys)
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(request, "regulatory/what_if.html", {"form": form, "result": result, "party": party})
