"""The pure engine: conditions, graph validation, next-node resolution, tallies, deadlines (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danbao.core import calendar
from danbao.workflow.engine import conditions, deadlines, graph
from danbao.workflow.engine.tally import tally

FIELDS = {"amount": "decimal", "term": "int", "signed_on": "date", "industry": "str", "secured": "bool", "owner": "str"}


@pytest.fixture(autouse=True)
def in_english():
    """Validation problems are translated; these tests read the English source text."""
    from django.utils import translation

    with translation.override("en"):
        yield


def cmp(field, op, value):
    return {"field": field, "op": op, "value": value}


class TestConditions:
    @pytest.mark.parametrize(
        ("cond", "expected"),
        [
            (cmp("amount", ">", "5000000"), True),
            (cmp("amount", ">=", "5000000.01"), True),
            (cmp("amount", ">", "5000000.01"), False),
            (cmp("amount", "==", "5000000.0100"), True),
            (cmp("amount", "!=", "1"), True),
            (cmp("amount", "<", "1"), False),
            (cmp("amount", "<=", "5000000.01"), True),
            (cmp("term", ">=", 12), True),
            (cmp("signed_on", "<", "2026-01-01"), True),
            (cmp("signed_on", ">=", "2026-01-01"), False),
            (cmp("industry", "in", ["C", "F"]), True),
            (cmp("industry", "not in", ["C", "F"]), False),
            (cmp("secured", "==", True), True),
            ({"and": [cmp("amount", ">", "1"), cmp("secured", "==", "false")]}, False),
            ({"or": [cmp("amount", ">", "1"), cmp("secured", "==", "false")]}, True),
            ({"not": cmp("industry", "==", "C")}, False),
        ],
    )
    def test_evaluate(self, cond, expected):
        values = {"amount": Decimal("5000000.01"), "term": 12, "signed_on": date(2025, 6, 30), "industry": "C", "secured": True}
        assert conditions.validate(cond, FIELDS) == []
        assert conditions.evaluate(cond, FIELDS, values) is expected

    def test_missing_value_never_matches_a_comparison(self):
        assert conditions.evaluate(cmp("amount", ">", "0"), FIELDS, {}) is False
        assert conditions.evaluate(cmp("amount", "<=", "0"), FIELDS, {"amount": None}) is False

    @pytest.mark.parametrize(
        ("cond", "problem"),
        [
            (cmp("salary", ">", "1"), "not declared"),
            (cmp("amount", "=~", "1"), "not allowed"),
            (cmp("industry", ">", "C"), "does not apply"),
            (cmp("amount", ">", "lots"), "not a valid decimal"),
            (cmp("amount", ">", 1.5), "not a valid decimal"),
            (cmp("industry", "in", "C"), "non-empty list"),
            ({"and": []}, "non-empty list"),
            ({"not": cmp("amount", ">", "1"), "x": 1}, "nothing else"),
            ({"field": "amount", "op": ">"}, "exactly the keys"),
            ("__import__('os')", "non-empty object"),
        ],
    )
    def test_validate_refuses(self, cond, problem):
        problems = conditions.validate(cond, FIELDS)
        assert problems and problem in problems[0]

    def test_no_eval_of_user_text(self):
        cond = cmp("industry", "==", "__import__('os').system('true')")
        assert conditions.evaluate(cond, FIELDS, {"industry": "C"}) is False

    @given(st.decimals(allow_nan=False, allow_infinity=False, places=2), st.decimals(allow_nan=False, allow_infinity=False, places=2))
    def test_decimal_comparison_matches_python(self, a, b):
        assert conditions.evaluate(cmp("amount", ">", str(b)), FIELDS, {"amount": a}) is (a > b)
        assert conditions.evaluate({"not": cmp("amount", ">", str(b))}, FIELDS, {"amount": a}) is (a <= b)


def flow(**approval):
    node = {"id": "mgr", "kind": "approval", "name": "经理", "assignees": [{"kind": "role", "value": "dept_head"}], **approval}
    return {
        "nodes": [
            {"id": "start", "kind": "start"},
            node,
            {"id": "gate", "kind": "condition"},
            {"id": "copy", "kind": "cc", "assignees": [{"kind": "role", "value": "finance"}]},
            {"id": "board", "kind": "approval", "assignees": [{"kind": "role", "value": "chairman"}]},
            {"id": "end", "kind": "end"},
        ],
        "edges": [
            {"source": "start", "target": "mgr"},
            {"source": "mgr", "target": "gate"},
            {"source": "gate", "target": "end"},
            {"source": "gate", "target": "copy", "condition": cmp("amount", ">", "5000000")},
            {"source": "copy", "target": "board"},
            {"source": "board", "target": "end"},
        ],
    }


class TestGraph:
    def test_sound_graph_validates_and_round_trips(self):
        g = graph.Graph.from_json(flow())
        assert graph.validate(g, FIELDS) == []
        assert graph.Graph.from_json(g.as_json()) == g

    def test_branch_on_amount(self):
        g = graph.Graph.from_json(flow())
        big = graph.next_step(g, "mgr", FIELDS, {"amount": Decimal("6000000")})
        assert big.node.id == "board" and [n.id for n in big.cc] == ["copy"] and big.path == ("gate", "copy", "board")
        small = graph.next_step(g, "mgr", FIELDS, {"amount": Decimal("5000000")})
        assert small.node.id == "end" and small.cc == () and small.path == ("gate", "end")

    def test_first_step_from_start(self):
        g = graph.Graph.from_json(flow())
        assert graph.next_step(g, "start", FIELDS, {}).node.id == "mgr"

    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            (lambda d: d["nodes"].append({"id": "start2", "kind": "start"}), "exactly one start step"),
            (lambda d: d["nodes"].append({"id": "orphan", "kind": "end"}), "not reachable"),
            (lambda d: d["edges"].remove({"source": "board", "target": "end"}), "needs a way out"),
            (lambda d: d["edges"].remove({"source": "gate", "target": "end"}), "needs a way out"),
            (lambda d: d["edges"].append({"source": "board", "target": "mgr"}), "only condition steps branch"),
            (lambda d: d["edges"][2].update(condition=cmp("salary", ">", "1")), "not declared"),
            (lambda d: d["nodes"][1].update(mode="majority"), "unknown mode"),
            (lambda d: d["nodes"][1].update(mode="vote", pass_ratio="3/2"), "pass ratio"),
            (lambda d: d["nodes"][1].update(assignees=[]), "needs assignees"),
            (lambda d: d["nodes"][1].update(assignees=[{"kind": "user_field", "value": "nope"}]), "not declared"),
            (lambda d: d["nodes"][1].update(kind="magic"), "unknown kind"),
            (lambda d: d["edges"].append({"source": "end", "target": "mgr"}), "end step"),
        ],
    )
    def test_validation_refuses(self, change, problem):
        data = flow()
        change(data)
        problems = graph.validate(graph.Graph.from_json(data), FIELDS)
        assert any(problem in p for p in problems), problems

    def test_cycle_refused(self):
        data = flow()
        data["edges"] = [e for e in data["edges"] if e != {"source": "board", "target": "end"}]
        data["edges"].append({"source": "board", "target": "gate"})
        assert any("cycle" in p for p in graph.validate(graph.Graph.from_json(data), FIELDS))

    def test_unreadable_json(self):
        with pytest.raises(graph.GraphError):
            graph.Graph.from_json({"nodes": [{"kind": "start"}]})


class TestTally:
    @pytest.mark.parametrize(
        ("mode", "decisions", "outcome"),
        [
            ("single", [None], "pending"),
            ("single", ["approve"], "approved"),
            ("single", ["reject"], "rejected"),
            ("any", [None, "approve", None], "approved"),
            ("any", [None, "reject", None], "rejected"),
            ("all", ["approve", None], "pending"),
            ("all", ["approve", "approve"], "approved"),
            ("all", ["approve", "reject"], "rejected"),
            ("sequential", ["approve", "approve", None], "pending"),
            ("sequential", ["approve", "approve", "approve"], "approved"),
            ("sequential", ["reject", None, None], "rejected"),
            ("vote", ["approve", "approve", "reject"], "approved"),  # exactly 2/3 passes
            ("vote", ["approve", "reject", None], "pending"),
            ("vote", ["approve", "reject", "reject"], "rejected"),
            ("vote", ["reject", "reject", None], "rejected"),  # can no longer reach 2/3
            ("vote", ["approve", "approve", "approve", "reject", "reject", "reject"], "rejected"),  # a tie is 1/2
            ("vote", [], "pending"),
        ],
    )
    def test_modes(self, mode, decisions, outcome):
        assert tally(mode, decisions, Fraction(2, 3)) == outcome

    def test_ratio_as_decimal_text(self):
        assert tally("vote", ["approve", "approve", "approve", "reject", "reject"], Fraction("0.6")) == "approved"
        assert tally("vote", ["approve", "approve", "reject", "reject", "reject"], Fraction("0.6")) == "rejected"

    def test_unknown_mode(self):
        with pytest.raises(ValueError):
            tally("majority", ["approve"])

    @given(
        st.lists(st.sampled_from(["approve", "reject", None]), min_size=1, max_size=12),
        st.fractions(min_value=Fraction(1, 100), max_value=1),
    )
    def test_vote_is_monotone_and_final(self, decisions, ratio):
        outcome = tally("vote", decisions, ratio)
        approvals = decisions.count("approve")
        if outcome == "approved":
            assert Fraction(approvals, len(decisions)) >= ratio
        # filling the open slots can never turn a decided outcome around
        for fill in ("approve", "reject"):
            filled = [d or fill for d in decisions]
            if outcome != "pending":
                assert tally("vote", filled, ratio) == outcome
            else:
                assert tally("vote", filled, ratio) in ("approved", "rejected")

    @given(st.lists(st.sampled_from(["approve", "reject", None]), min_size=1, max_size=8))
    def test_all_needs_every_approval(self, decisions):
        outcome = tally("all", decisions)
        assert (outcome == "approved") == all(d == "approve" for d in decisions)
        assert (outcome == "rejected") == ("reject" in decisions)


class TestDeadlines:
    def test_due_date_skips_the_national_day_holiday(self):
        with calendar.day_sources():
            # 2025-09-30 (Tue) + 2 working days: 1–8 October are holidays, 11 October is a make-up working day
            assert deadlines.due_date(date(2025, 9, 30), 2) == date(2025, 10, 10)
            assert deadlines.due_date(date(2025, 9, 30), None) is None

    def test_stages(self):
        with calendar.day_sources():
            due = date(2025, 6, 13)  # a Friday
            assert deadlines.stage(date(2025, 6, 11), due, 1) == "none"
            assert deadlines.stage(date(2025, 6, 12), due, 1) == "soon"
            assert deadlines.stage(due, due, 1) == "due"
            assert deadlines.stage(date(2025, 6, 16), due, 1) == "overdue"
            assert deadlines.stage(date(2025, 6, 12), None) == "none"

    @given(st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)), st.integers(min_value=1, max_value=30))
    def test_due_date_is_a_workday_n_workdays_later(self, start, n):
        with calendar.day_sources():
            due = deadlines.due_date(start, n)
            assert calendar.is_workday(due)
            assert calendar.workdays_between(start, due) == n


class TestEditingHelpers:
    def test_node_add_replace_remove_and_edges(self):
        data = flow()
        added = graph.with_node(data, {"id": "extra", "kind": "end"})
        assert [n["id"] for n in added["nodes"]][-1] == "extra" and data["nodes"][-1]["id"] == "end"  # input untouched
        renamed = graph.with_node(data, {**data["nodes"][1], "name": "新名"})
        assert renamed["nodes"][1]["name"] == "新名" and len(renamed["nodes"]) == len(data["nodes"])
        removed = graph.without_node(data, "board")
        assert all("board" not in (e["source"], e["target"]) for e in removed["edges"])
        linked = graph.with_edge(data, {"source": "a", "target": "b"})
        assert linked["edges"][-1] == {"source": "a", "target": "b"}
        assert len(graph.without_edge(data, 0)["edges"]) == len(data["edges"]) - 1
