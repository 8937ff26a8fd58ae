"""Related-party groups (关联集团): which customers and persons belong together through control,
ownership and family ties. Pure union-find over edges, no database.

Node keys are opaque strings chosen by the caller (e.g. ``"c:12"`` for customer 12, ``"p:<id>"`` for a
person). What links two nodes:

* ``actual_controller`` (实际控制人) and ``affiliate`` (关联企业): always;
* ``shareholder``: when the share is at least ``ownership_threshold`` (a fraction, e.g. ``Decimal("0.5")``
  for 50 %; a shareholding without a known share does not link);
* ``spouse`` and ``family``: always (family ties, 配偶及近亲属);
* ``legal_representative``, ``director`` and ``guarantor``: never on their own — a legal representative
  or a director does not make two companies one group, nor does guaranteeing a loan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["EDGE_KINDS", "LINKING_KINDS", "Edge", "compute_groups", "group_of", "links"]

EDGE_KINDS = ("shareholder", "actual_controller", "legal_representative", "director", "spouse", "family", "affiliate", "guarantor")
LINKING_KINDS = frozenset({"actual_controller", "spouse", "family", "affiliate"})


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str
    share: Decimal | None = None

    def __post_init__(self) -> None:
        if self.kind not in EDGE_KINDS:
            raise ValueError(f"unknown edge kind {self.kind!r}")


def links(edge: Edge, ownership_threshold: Decimal) -> bool:
    """Whether this edge puts its two ends into the same group."""
    if edge.kind in LINKING_KINDS:
        return True
    if edge.kind == "shareholder":
        return edge.share is not None and edge.share >= ownership_threshold
    return False


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def compute_groups(edges: Iterable[Edge], *, ownership_threshold: Decimal) -> list[frozenset[str]]:
    """The groups of two or more nodes linked by the edges (connected components over linking edges),
    largest first, then by their smallest key. Nodes that no linking edge touches are in no group."""
    uf = _UnionFind()
    for edge in edges:
        if links(edge, ownership_threshold) and edge.a != edge.b:
            uf.union(edge.a, edge.b)
    members: dict[str, set[str]] = {}
    for node in list(uf.parent):
        members.setdefault(uf.find(node), set()).add(node)
    groups = [frozenset(m) for m in members.values() if len(m) > 1]
    return sorted(groups, key=lambda g: (-len(g), min(g)))


def group_of(node: str, edges: Iterable[Edge], threshold: Decimal) -> frozenset[str]:
    """The group containing ``node``; just ``{node}`` when it is linked to nothing."""
    for group in compute_groups(edges, ownership_threshold=threshold):
        if node in group:
            return group
    return frozenset({node})
