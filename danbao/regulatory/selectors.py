"""Reads of the regulatory app: finance inputs by period, and a customer seen as a guaranteed party."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from danbao.customers.models.customer import Customer, CustomerKind, SizeClass
from danbao.customers.selectors import customer_get_for, customer_list_for
from danbao.customers.selectors_extras import customer_group
from danbao.regulatory.categories import LoanKind
from danbao.regulatory.models import FinanceInput


def month_start(d: date) -> date:
    return d.replace(day=1)


def finance_input_for(on: date) -> FinanceInput | None:
    """The latest month-end figures for a date: the record of its month, else the latest before."""
    return FinanceInput.objects.filter(period__lte=month_start(on)).order_by("-period").first()


def finance_input_list() -> QuerySet[FinanceInput]:
    """All monthly records (finance inputs are institution-wide: no data scope applies)."""
    return FinanceInput.objects.select_related("updated_by")


def finance_input_exists(period: date) -> bool:
    return FinanceInput.objects.filter(period=month_start(period)).exists()


def finance_input_get(period: date) -> FinanceInput:
    try:
        return FinanceInput.objects.select_related("created_by", "updated_by").get(period=month_start(period))
    except FinanceInput.DoesNotExist as exc:
        raise Http404 from exc


def finance_input_history(record: FinanceInput) -> list[dict[str, Any]]:
    """Every saved version, newest first, with the fields that changed against the one before."""
    records = list(record.history.select_related("history_user").order_by("-history_date", "-history_id"))
    rows = []
    for index, item in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        fields = []
        if previous is not None:
            delta = item.diff_against(previous)
            fields = [str(FinanceInput._meta.get_field(c.field).verbose_name) for c in delta.changes if c.field not in ("version",)]
        rows.append({"when": item.history_date, "who": item.history_user, "version": item.version, "note": item.note, "fields": fields})
    return rows


@dataclass(frozen=True)
class Party:
    """A customer as the regulatory calculations see a guaranteed party."""

    customer_id: int
    party_key: str  # identity code (统一社会信用代码 or ID number)
    party_name: str
    loan_kind: str
    group_key: str  # "" when the customer is in no related-party group
    related_party_keys: frozenset[str]
    related_names: tuple[str, ...]

    @property
    def loan_kind_label(self) -> str:
        return str(LoanKind(self.loan_kind).label)


def loan_kind_for(customer: Customer) -> str:
    """Farmers and family farms → 农户; individual businesses, and small or micro enterprises and
    cooperatives → 小微企业 (report note: micro includes 个体工商户); everyone else → other borrowing."""
    if customer.kind in (CustomerKind.FARMER, CustomerKind.FAMILY_FARM):
        return LoanKind.FARMER
    if customer.kind == CustomerKind.INDIVIDUAL_BUSINESS:
        return LoanKind.SMALL_MICRO
    if customer.kind in (CustomerKind.ENTERPRISE, CustomerKind.COOPERATIVE) and customer.effective_size_class in (
        SizeClass.SMALL,
        SizeClass.MICRO,
    ):
        return LoanKind.SMALL_MICRO
    return LoanKind.OTHER


def group_key_for(member_codes: list[str]) -> str:
    """The group key exposure sources use: "group:" + the smallest identity code of the group's customers."""
    return f"group:{min(member_codes)}" if member_codes else ""


def party_for_customer(customer: Customer) -> Party:
    """Party key, loan kind and related-party group of a customer (customers' group rules)."""
    group = customer_group(customer)
    ids = sorted(int(key[2:]) for key in group["members"] if key.startswith("c:"))
    members = list(Customer.objects.filter(pk__in=ids).only("pk", "name", "identity_code"))
    persons = {key[2:] for key in group["members"] if key.startswith("p:")}
    others = [m for m in members if m.pk != customer.pk]
    codes = [m.identity_code for m in members]
    return Party(
        customer_id=customer.pk,
        party_key=customer.identity_code,
        party_name=customer.name,
        loan_kind=loan_kind_for(customer),
        group_key=group_key_for(codes) if len(group["members"]) > 1 else "",
        related_party_keys=frozenset({m.identity_code for m in others} | persons),
        related_names=tuple(sorted(m.name for m in others)),
    )


def what_if_customers_for(user: Any) -> QuerySet[Customer]:
    """Active customers the user may see (the what-if form offers only these)."""
    return customer_list_for(user).filter(status="active").order_by("name")


def what_if_customer_get_for(user: Any, pk: Any) -> Customer:
    return customer_get_for(user, pk)
