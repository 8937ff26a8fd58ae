"""Related-party groups (关联集团) by union-find."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danbao.customers.groups import EDGE_KINDS, Edge, compute_groups, group_of

T = Decimal("0.5")


def test_worked_example():
    edges = [
        Edge("p:zhang", "c:1", "actual_controller"),
        Edge("p:zhang", "p:li", "spouse"),
        Edge("p:li", "c:2", "shareholder", Decimal("0.60")),  # wife holds 60 % of company 2
        Edge("c:2", "c:3", "shareholder", Decimal("0.30")),  # 30 % is below the threshold
        Edge("p:wang", "c:3", "legal_representative"),
        Edge("p:wang", "c:4", "director"),  # director + legal rep. do not link 3 and 4
        Edge("c:4", "c:5", "affiliate"),
        Edge("c:1", "c:5", "guarantor"),  # a guarantee does not link
    ]
    groups = compute_groups(edges, ownership_threshold=T)
    assert groups == [frozenset({"p:zhang", "p:li", "c:1", "c:2"}), frozenset({"c:4", "c:5"})]
    assert group_of("c:2", edges, T) == frozenset({"p:zhang", "p:li", "c:1", "c:2"})
    assert group_of("c:3", edges, T) == frozenset({"c:3"})
    assert group_of("c:99", edges, T) == frozenset({"c:99"})


def test_threshold_is_inclusive_and_configurable():
    edges = [Edge("c:1", "c:2", "shareholder", Decimal("0.50"))]
    assert compute_groups(edges, ownership_threshold=Decimal("0.50")) == [frozenset({"c:1", "c:2"})]
    assert compute_groups(edges, ownership_threshold=Decimal("0.5001")) == []
    assert compute_groups([Edge("c:1", "c:2", "shareholder", None)], ownership_threshold=Decimal(0)) == []


@pytest.mark.parametrize("kind", ["actual_controller", "spouse", "family", "affiliate"])
def test_linking_kinds(kind):
    assert compute_groups([Edge("a", "b", kind)], ownership_threshold=T) == [frozenset({"a", "b"})]


@pytest.mark.parametrize("kind", ["legal_representative", "director", "guarantor"])
def test_non_linking_kinds(kind):
    assert compute_groups([Edge("a", "b", kind, Decimal(1))], ownership_threshold=T) == []


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Edge("a", "b", "friend")


def test_self_edge_makes_no_group():
    assert compute_groups([Edge("a", "a", "affiliate")], ownership_threshold=T) == []


nodes = st.sampled_from([f"c:{i}" for i in range(8)] + [f"p:{i}" for i in range(6)])
edges_st = st.lists(
    st.builds(Edge, nodes, nodes, st.sampled_from(EDGE_KINDS), st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=2))),
    max_size=25,
)


def _linked(edge):
    return edge.a != edge.b and (
        edge.kind in {"actual_controller", "spouse", "family", "affiliate"}
        or (edge.kind == "shareholder" and edge.share is not None and edge.share >= T)
    )


@given(edges_st)
def test_property_groups_partition_the_linked_nodes(edges):
    groups = compute_groups(edges, ownership_threshold=T)
    seen = set()
    for g in groups:
        assert len(g) >= 2
        assert not (seen & g)
        seen |= g
    linked_nodes = {n for e in edges if _linked(e) for n in (e.a, e.b)}
    assert seen == linked_nodes
    for e in edges:  # both ends of a linking edge are in the same group
        if _linked(e):
            assert group_of(e.a, edges, T) == group_of(e.b, edges, T)


@given(
    edges_st,
    st.builds(Edge, nodes, nodes, st.sampled_from(EDGE_KINDS), st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=2))),
)
def test_property_adding_an_edge_never_splits_a_group(edges, extra):
    before = compute_groups(edges, ownership_threshold=T)
    after = compute_groups([*edges, extra], ownership_threshold=T)
    for g in before:
        assert any(g <= h for h in after)


@given(edges_st)
def test_property_order_of_edges_does_not_matter(edges):
    assert compute_groups(edges, ownership_threshold=T) == compute_groups(list(reversed(edges)), ownership_threshold=T)
