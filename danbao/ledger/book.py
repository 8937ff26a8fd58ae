"""The in-force book as the regulatory calculations see it: the `ledger` exposure source.

`exposures_on(on)` yields one `regulatory.exposures.Exposure` per guarantee in force on `on`, built
exactly like `projects.selectors.exposure_of` builds the proposed guarantee of the what-if, so the
what-if and the real book agree:

* ``party_key`` = the customer's identity code (统一社会信用代码 / ID number), as
  `regulatory.selectors.party_for_customer` gives it; ``group_key`` = "group:" + the smallest identity
  code of the customer's related-party group (customers' group rules), "" when it is in no group;
* ``loan_kind`` from the customer (`regulatory.selectors.loan_kind_for`: farmer, small/micro, other);
* ``own_share`` = 1 − bank share − government pool share and ``reguarantee_share`` = re-guarantor +
  national fund share, from the guarantee's risk-share snapshot (re-guarantee does not reduce the
  liability to the bank unless the regulatory parameter says so, regulation.md §2.2.5);
* ``loan_balance`` = the recorded principal outstanding (`Loan.balance`, the amount lent until
  repayments are recorded in the post-guarantee work) of the tranches lent on or before `on`: a
  guarantee whose first loan is after `on` is not in the book on `on`. The schedule is a plan, not a
  record of payments, so it does not reduce the balance.
* ``bank_code`` = the lending bank (the branch when the project names one), so credit-line usage of a
  head-office agreement counts every branch (partners.selectors.covered_bank_codes).

A fixed number of queries whatever the size of the book: tranches (one query, `values()` with the
joined columns), the customers of those tranches (one), active related-party relations (one) and, for
customers in a group, the identity codes of the group's members (one). Measured figures: docs/ledger.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from danbao.customers.groups import Edge, compute_groups
from danbao.customers.models import Customer, RelatedParty
from danbao.customers.selectors_extras import node_key, ownership_threshold
from danbao.ledger.models import GuaranteeState, Loan
from danbao.regulatory.exposures import Exposure
from danbao.regulatory.selectors import group_key_for, loan_kind_for

ZERO = Decimal(0)
ONE = Decimal(1)

_FIELDS = (
    "guarantee_id",
    "balance",
    "guarantee__customer_id",
    "guarantee__bank__code",
    "guarantee__branch__code",
    "guarantee__bank_share",
    "guarantee__gov_pool_share",
    "guarantee__reguarantor_share",
    "guarantee__fund_share",
    "guarantee__product_version__guarantee_class",
    "guarantee__product_version__is_policy",
    "guarantee__product_version__product__code",
    "guarantee__project__channel__code",
)


@dataclass(frozen=True)
class _Party:
    """The customer columns the exposure needs (what `loan_kind_for` reads), without a model instance."""

    name: str
    identity_code: str
    kind: str
    effective_size_class: str


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ZERO), ONE)


def group_keys(customer_ids: Iterable[int]) -> dict[int, str]:
    """customer id → group key ("" when in no related-party group), for many customers at once."""
    wanted = set(customer_ids)
    relations = RelatedParty.objects.filter(ended_on__isnull=True).only(
        "customer_id", "party_customer_id", "party_id_code", "party_type", "party_name", "kind", "share_percent"
    )
    edges = [
        Edge(f"c:{r.customer_id}", node_key(r), r.kind, (r.share_percent / 100) if r.share_percent is not None else None) for r in relations
    ]
    members_of: dict[int, list[int]] = {}
    for group in compute_groups(edges, ownership_threshold=ownership_threshold()):
        ids = sorted(int(key[2:]) for key in group if key.startswith("c:"))
        for customer_id in ids:
            if customer_id in wanted:
                members_of[customer_id] = ids
    if not members_of:
        return {}
    codes = dict(
        Customer.objects.filter(pk__in={i for ids in members_of.values() for i in ids}).values_list("pk", "identity_code").iterator()
    )
    return {customer_id: group_key_for([codes[i] for i in ids if i in codes]) for customer_id, ids in members_of.items()}


def exposures_on(on: date, *, customer_ids: Iterable[int] | None = None) -> list[Exposure]:
    """Every in-force guarantee on `on` as an Exposure (key "guarantee:<pk>"); `customer_ids` limits
    the book to some customers (a household's guarantees, for the 单户 threshold)."""
    loans = Loan.objects.filter(guarantee__state=GuaranteeState.IN_FORCE, loan_date__lte=on)
    if customer_ids is not None:
        loans = loans.filter(guarantee__customer_id__in=list(customer_ids))
    rows: dict[int, dict[str, Any]] = {}
    balances: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in loans.values(*_FIELDS).iterator(chunk_size=5000):
        balances[row["guarantee_id"]] += row["balance"]
        rows.setdefault(row["guarantee_id"], row)
    if not rows:
        return []
    # The customers of the selected tranches through a subquery (no list of ids as parameters).
    customers = {
        pk: _Party(name, code, kind, override or size)
        for pk, name, code, kind, size, override in Customer.objects.filter(pk__in=loans.values("guarantee__customer_id"))
        .values_list("pk", "name", "identity_code", "kind", "size_class", "size_class_override")
        .iterator(chunk_size=5000)
    }
    groups = group_keys(customers)
    out = []
    for guarantee_id, row in rows.items():
        customer_id = row["guarantee__customer_id"]
        customer = customers[customer_id]
        own = ONE - row["guarantee__bank_share"] - row["guarantee__gov_pool_share"]
        reguarantee = row["guarantee__reguarantor_share"] + row["guarantee__fund_share"]
        out.append(
            Exposure(
                key=f"guarantee:{guarantee_id}",
                party_key=customer.identity_code,
                party_name=customer.name,
                guarantee_class=row["guarantee__product_version__guarantee_class"],
                loan_balance=balances[guarantee_id],
                own_share=_clamp(own),
                reguarantee_share=_clamp(reguarantee),
                loan_kind=loan_kind_for(customer),  # type: ignore[arg-type]
                group_key=groups.get(customer_id, ""),
                bank_code=row["guarantee__branch__code"] or row["guarantee__bank__code"],
                product_code=row["guarantee__product_version__product__code"],
                channel_code=row["guarantee__project__channel__code"] or "",
                is_policy=row["guarantee__product_version__is_policy"],
            )
        )
    return out
