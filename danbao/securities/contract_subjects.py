"""The contract subjects of a project's counter-guarantees (danbao.contracts.subjects): one per open
measure that needs its own contract —

    personal / corporate guarantee → kind "counter_guarantee"  (保证反担保合同)
    mortgage                       → kind "counter_mortgage"   (抵押反担保合同)
    pledge                         → kind "counter_pledge"     (质押反担保合同)

key "securities.measure:<pk>". Extra placeholders in `context`:

    measure:    {"kind", "kind_label", "provider_name", "provider_type", "requirement", "description",
                 "amount", "amount_words"}
    collateral: [{"name", "owner", "certificate", "location", "value", "note"}, …]  — the row keys the
                contracts app prints (value = appraised value as a plain decimal string; note = 顺位,
                certificate and, for a shared 最高额 collateral, the value allocated to this debt),
                plus "number", "type", "registration", "pledge_rate", "allocated_value"
    party_address: the provider's address when known (the customer's or a related customer's)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from danbao.contracts.subjects import ContractSubject
from danbao.core.money import amount_in_words, format_amount
from danbao.securities import selectors
from danbao.securities.models import Measure, MeasureState


def _title(measure: Measure) -> str:
    kind = measure.contract_kind
    names = {
        "counter_guarantee": _("Counter-guarantee contract (guarantee)"),
        "counter_mortgage": _("Counter-guarantee contract (mortgage)"),
        "counter_pledge": _("Counter-guarantee contract (pledge)"),
    }
    return f"{names.get(kind or '', kind)} — {measure.provider_name}"


def _address(measure: Measure) -> str:
    customer = None
    if measure.provider_source == "customer":
        customer = measure.project.customer
    elif measure.related_party is not None and measure.related_party.party_customer_id:
        customer = measure.related_party.party_customer
    if customer is None:
        return ""
    return customer.registered_address or customer.contact_address or ""


def subject_of(measure: Measure) -> ContractSubject | None:
    if not measure.contract_kind or measure.state not in (MeasureState.PENDING, MeasureState.FULFILLED):
        return None
    rows = selectors.collateral_rows_for_contract(measure) if measure.is_secured else []
    total = sum((a.allocated_value for a in selectors.active_allocations(measure)), Decimal("0")) if measure.is_secured else Decimal("0")
    context: dict[str, Any] = {
        "measure": {
            "kind": measure.kind,
            "kind_label": str(measure.get_kind_display()),
            "provider_name": measure.provider_name,
            "provider_type": measure.provider_type,
            "requirement": measure.requirement,
            "description": measure.description,
            "amount": format_amount(measure.amount) if measure.amount else "",
            "amount_words": amount_in_words(measure.amount) if measure.amount else "",
        },
        "collateral": rows,
        "allocated_total": format_amount(total) if rows else "",
        "party_address": _address(measure),
    }
    return ContractSubject(
        key=measure.subject_key,
        kind=measure.contract_kind,
        title=_title(measure),
        party_name=measure.provider_name,
        party_id_code=measure.provider_id_code or "",
        context=context,
    )


def subjects_of(project: Any) -> list[ContractSubject]:
    found = []
    for measure in (
        Measure.objects.select_related("project__customer", "related_party__party_customer")
        .filter(project=project, state__in=(MeasureState.PENDING, MeasureState.FULFILLED))
        .order_by("id")
    ):
        subject = subject_of(measure)
        if subject is not None:
            found.append(subject)
    return found
