"""Reads of related parties, statements, screening and credit records (always via a customer the
user may see: the pages fetch the customer with customer_get_for first)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from danbao.customers.calculations import RATIO_LABELS, StatementFigures, compute_ratios
from danbao.customers.groups import Edge, compute_groups
from danbao.customers.models import (
    CreditReport,
    Customer,
    FinancialStatement,
    HouseholdStatement,
    RelatedParty,
    ScreeningHit,
    WatchList,
    WatchListEntry,
)
from danbao.customers.selectors import customer_list_for

GROUP_THRESHOLD_CODE = "customer_group_ownership_threshold"
DEFAULT_THRESHOLD = Decimal("0.5")


def _child(queryset: QuerySet, customer: Customer, pk: Any) -> Any:
    try:
        return queryset.get(customer=customer, pk=int(pk))
    except (TypeError, ValueError, queryset.model.DoesNotExist) as exc:
        raise Http404 from exc


# --- statements -------------------------------------------------------------------------------


def statements_of(customer: Customer, *, include_drafts: bool = True) -> list[FinancialStatement]:
    qs = FinancialStatement.objects.filter(customer=customer).order_by("period_end", "period_type")
    if not include_drafts:
        qs = qs.filter(is_draft=False)
    return list(qs)


def statement_of(customer: Customer, pk: Any) -> FinancialStatement:
    return _child(FinancialStatement.objects.all(), customer, pk)


def household_of(customer: Customer, pk: Any) -> HouseholdStatement:
    return _child(HouseholdStatement.objects.all(), customer, pk)


def ratio_trend(customer: Customer) -> dict[str, Any]:
    """Ratios per non-draft statement of the most common period type (annual first), oldest first;
    each statement's previous one of the same type gives the opening balances."""
    statements = statements_of(customer, include_drafts=False)
    by_type: dict[str, list[FinancialStatement]] = {}
    for st in statements:
        by_type.setdefault(st.period_type, []).append(st)
    series = by_type.get("annual") or next(iter(by_type.values()), [])
    periods = []
    previous = None
    for st in series:
        figures = StatementFigures.from_object(st)
        periods.append({"statement": st, "ratios": compute_ratios(figures, previous)})
        previous = figures
    rows = [
        {"key": key, "label": str(label), "definition": str(label.definition), "values": [p["ratios"][key] for p in periods]}
        for key, label in RATIO_LABELS.items()
    ]
    return {"periods": periods, "rows": rows}


# --- related parties and groups ---------------------------------------------------------------


def relations_of(customer: Customer, *, include_ended: bool = False) -> list[RelatedParty]:
    qs = RelatedParty.objects.filter(customer=customer).select_related("party_customer").order_by("kind", "id")
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    return list(qs)


def relation_of(customer: Customer, pk: Any) -> RelatedParty:
    return _child(RelatedParty.objects.select_related("party_customer"), customer, pk)


def ownership_threshold() -> Decimal:
    """Fraction (0.5 = 50 %) from the dated system parameter; the default when it is missing."""
    from danbao.core.errors import DomainError
    from danbao.system.selectors import param_value

    try:
        return Decimal(param_value(GROUP_THRESHOLD_CODE))
    except DomainError:
        return DEFAULT_THRESHOLD


def node_key(party: RelatedParty) -> str:
    if party.party_customer_id:
        return f"c:{party.party_customer_id}"
    if party.party_id_code:
        return f"p:{party.party_id_code}"
    return f"n:{party.party_type}:{party.party_name}"


def _edges(relations: list[RelatedParty]) -> list[Edge]:
    return [
        Edge(f"c:{r.customer_id}", node_key(r), r.kind, (r.share_percent / 100) if r.share_percent is not None else None) for r in relations
    ]


def _all_active_relations() -> list[RelatedParty]:
    return list(RelatedParty.objects.filter(ended_on__isnull=True).select_related("party_customer", "customer"))


def customer_group(customer: Customer) -> dict[str, Any]:
    """The related-party group of the customer: node keys, the relations among them, the threshold."""
    relations = _all_active_relations()
    threshold = ownership_threshold()
    me = f"c:{customer.pk}"
    members = frozenset({me})
    for group in compute_groups(_edges(relations), ownership_threshold=threshold):
        if me in group:
            members = group
            break
    inside = [r for r in relations if f"c:{r.customer_id}" in members or (r.customer_id == customer.pk)]
    return {"members": members, "relations": inside, "threshold": threshold}


def customer_group_members(customer: Customer) -> list[Customer]:
    """The customers in this customer's related-party group (itself included), for concentration limits."""
    ids = sorted(int(key[2:]) for key in customer_group(customer)["members"] if key.startswith("c:"))
    return list(Customer.objects.filter(pk__in=ids).order_by("pk"))


def group_graph(customer: Customer, user: Any) -> dict[str, Any]:
    """ECharts nodes and links of the group (plus the customer's own direct relations). Customers
    outside the user's scope are shown by name only (no link)."""
    from django.urls import reverse

    data = customer_group(customer)
    members = data["members"]
    relations = data["relations"]
    visible = set(customer_list_for(user).filter(pk__in=[int(k[2:]) for k in members if k.startswith("c:")]).values_list("pk", flat=True))
    nodes: dict[str, dict[str, Any]] = {}

    def add_customer(c: Customer) -> None:
        key = f"c:{c.pk}"
        nodes.setdefault(
            key,
            {
                "id": key,
                "name": c.name,
                "category": 0 if c.pk == customer.pk else (1 if c.is_organisation else 2),
                "inGroup": key in members,
                "url": reverse("customers:customer-detail", args=[c.pk]) if c.pk in visible else "",
            },
        )

    add_customer(customer)
    links = []
    for r in relations:
        add_customer(r.customer)
        key = node_key(r)
        if r.party_customer_id:
            add_customer(r.party_customer)
        else:
            nodes.setdefault(
                key,
                {"id": key, "name": r.party_name, "category": 1 if r.party_type == "company" else 2, "inGroup": key in members, "url": ""},
            )
        label = r.get_kind_display()
        if r.share_percent is not None:
            label = f"{label} {r.share_percent.normalize():f}%"
        links.append({"source": f"c:{r.customer_id}", "target": key, "label": str(label)})
    return {"nodes": list(nodes.values()), "links": links, "group_size": len(members), "threshold": str(data["threshold"] * 100)}


# --- screening --------------------------------------------------------------------------------


def hits_of(customer: Customer) -> list[ScreeningHit]:
    return list(
        ScreeningHit.objects.filter(customer=customer)
        .select_related("entry__watch_list", "related_party", "handled_by")
        .order_by("status", "-id")
    )


def hit_of(customer: Customer, pk: Any) -> ScreeningHit:
    return _child(ScreeningHit.objects.select_related("entry__watch_list"), customer, pk)


def open_hits_for(user: Any) -> QuerySet[ScreeningHit]:
    return ScreeningHit.objects.filter(status=ScreeningHit.Status.OPEN, customer__in=customer_list_for(user)).select_related(
        "customer", "entry"
    )


def watchlists() -> QuerySet[WatchList]:
    from django.db.models import Count, Q

    return WatchList.objects.annotate(active_count=Count("entries", filter=Q(entries__active=True)))


def watchlist_entries() -> QuerySet[WatchListEntry]:
    return WatchListEntry.objects.select_related("watch_list")


# --- credit -----------------------------------------------------------------------------------


def credit_reports_of(customer: Customer) -> list[CreditReport]:
    return list(CreditReport.objects.filter(customer=customer).select_related("consent", "created_by").order_by("-query_date", "-id"))


def credit_report_of(customer: Customer, pk: Any) -> CreditReport:
    return _child(CreditReport.objects.select_related("consent").prefetch_related("entries"), customer, pk)


def today() -> Any:
    return timezone.localdate()
