"""Customer reads: every list and page goes through the user's data scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from danbao.customers.models.customer import Customer
from danbao.org.scope import apply_scope, get_in_scope


def customer_list_for(user: Any) -> QuerySet[Customer]:
    """Customers the user may see: their departments' customers plus those they manage (A or B role)."""
    return apply_scope(Customer.objects.all(), user, department_field="department", owner_fields=("manager", "b_manager"))


def customer_get_for(user: Any, pk: Any, request: Any = None) -> Customer:
    """One customer in the user's scope; 404 (logged) when missing or out of scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    queryset = customer_list_for(user).select_related("department", "manager", "b_manager", "created_by", "updated_by", "size_override_by")
    return get_in_scope(queryset, user, request, pk=pk)


def customer_history(customer: Customer, limit: int = 50) -> list[dict[str, Any]]:
    """Timeline of changes: who, when, which fields (values are not shown: they may be personal)."""
    records = list(customer.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    timeline = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            fields = [str(Customer._meta.get_field(c.field).verbose_name) for c in delta.changes]
        else:
            fields = []
        timeline.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "type": record.history_type,
                "fields": fields,
            }
        )
    return timeline
