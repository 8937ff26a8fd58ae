"""Flow definition graph: nodes, edges with optional conditions, validation and next-node resolution.

Graph JSON (stored on a FlowVersion):

    {"nodes": [{"id": "start", "kind": "start", "name": "提交"},
               {"id": "mgr", "kind": "approval", "name": "部门负责人", "mode": "single",
                "assignees": [{"kind": "dept_head"}], "deadline_days": 2, "escalation": "superior"}, ...],
     "edges": [{"source": "start", "target": "mgr"},
               {"source": "gate", "target": "board", "condition": {"field": "amount", "op": ">", "value": "5000000"}},
               {"source": "gate", "target": "end"}]}

Outgoing edges are tried in their listed order; the first whose condition holds wins and an edge
without condition is the default (tried last, whatever its position).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from danbao.workflow.engine import conditions

NODE_KINDS = ("start", "approval", "committee", "condition", "cc", "end")
MODES = ("single", "any", "all", "sequential", "vote")
ASSIGNEE_KINDS = ("users", "role", "position", "dept_role", "dept_head", "superior_of_field", "user_field")
ESCALATIONS = ("", "superior", "approve", "reject")
TASK_KINDS = ("approval",)  # node kinds whose run creates tasks for assignees


class GraphError(ValueError):
    pass


@dataclass(frozen=True)
class AssigneeRule:
    """Who gets a task: kind (see ASSIGNEE_KINDS) and its value (user ids, a role/position code, a field name)."""

    kind: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    name: str = ""
    mode: str = "single"
    assignees: tuple[AssigneeRule, ...] = ()
    pass_ratio: str = "2/3"  # noqa: S105 (not a secret) vote mode only, a fraction "2/3" or a decimal "0.6"
    deadline_days: int | None = None  # working days
    remind_before_days: int = 1
    escalation: str = ""
    visible_fields: tuple[str, ...] = ()
    editable_fields: tuple[str, ...] = ()

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.pass_ratio)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "name": self.name}
        if self.kind in ("approval", "cc"):
            data["assignees"] = [a.as_dict() for a in self.assignees]
        if self.kind == "approval":
            data.update(mode=self.mode, pass_ratio=self.pass_ratio, escalation=self.escalation, remind_before_days=self.remind_before_days)
            data["deadline_days"] = self.deadline_days
            data["visible_fields"] = list(self.visible_fields)
            data["editable_fields"] = list(self.editable_fields)
        if self.kind == "committee":
            data["deadline_days"] = self.deadline_days
        return data


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    condition: Mapping[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "target": self.target}
        if self.condition:
            data["condition"] = dict(self.condition)
        return data


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = field(default=())

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Graph:
        """Parse the stored JSON; raises GraphError for a shape that cannot be read at all."""
        try:
            nodes = tuple(
                Node(
                    id=str(n["id"]),
                    kind=str(n["kind"]),
                    name=str(n.get("name", "")),
                    mode=str(n.get("mode") or "single"),
                    assignees=tuple(AssigneeRule(str(a["kind"]), a.get("value")) for a in n.get("assignees") or ()),
                    pass_ratio=str(n.get("pass_ratio") or "2/3"),
                    deadline_days=int(n["deadline_days"]) if n.get("deadline_days") not in (None, "") else None,
                    remind_before_days=int(n.get("remind_before_days") or 1),
                    escalation=str(n.get("escalation") or ""),
                    visible_fields=tuple(n.get("visible_fields") or ()),
                    editable_fields=tuple(n.get("editable_fields") or ()),
                )
                for n in data.get("nodes", [])
            )
            edges = tuple(Edge(str(e["source"]), str(e["target"]), e.get("condition") or None) for e in data.get("edges", []))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise GraphError(_("unreadable graph: %(error)s") % {"error": exc}) from exc
        return cls(nodes, edges)

    def as_json(self) -> dict[str, Any]:
        return {"nodes": [n.as_dict() for n in self.nodes], "edges": [e.as_dict() for e in self.edges]}

    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise GraphError(_("no step “%(node)s”") % {"node": node_id})

    @property
    def start(self) -> Node:
        return next(n for n in self.nodes if n.kind == "start")

    def outgoing(self, node_id: str) -> list[Edge]:
        """Edges leaving `node_id`: conditional ones in listed order, then the default."""
        edges = [e for e in self.edges if e.source == node_id]
        return [e for e in edges if e.condition] + [e for e in edges if not e.condition]


def validate(graph: Graph, fields: Mapping[str, str]) -> list[str]:
    """Everything that stops a version from being published; [] when it is sound.

    One start, known node kinds/modes/assignee kinds, unique ids, edges between known nodes, every
    node reachable from start, every path ends (each non-end node has a default way out and no
    cycle), conditions valid and only over `fields`, vote ratios in (0, 1].
    """
    problems: list[str] = []
    ids = [n.id for n in graph.nodes]
    if len(set(ids)) != len(ids):
        problems.append(_("step ids must be unique"))
    starts = [n for n in graph.nodes if n.kind == "start"]
    if len(starts) != 1:
        problems.append(_("a flow has exactly one start step"))
    if not any(n.kind == "end" for n in graph.nodes):
        problems.append(_("a flow needs an end step"))
    known = set(ids)
    for n in graph.nodes:
        if n.kind not in NODE_KINDS:
            problems.append(_("step %(node)s: unknown kind “%(kind)s”") % {"node": n.id, "kind": n.kind})
        if n.kind == "approval":
            if n.mode not in MODES:
                problems.append(_("step %(node)s: unknown mode “%(mode)s”") % {"node": n.id, "mode": n.mode})
            if not n.assignees:
                problems.append(_("step %(node)s: an approval step needs assignees") % {"node": n.id})
            if n.mode == "vote":
                try:
                    if not 0 < n.ratio <= 1:
                        problems.append(_("step %(node)s: the pass ratio must be above 0 and at most 1") % {"node": n.id})
                except (ValueError, ZeroDivisionError):
                    problems.append(_("step %(node)s: the pass ratio “%(ratio)s” is not a number") % {"node": n.id, "ratio": n.pass_ratio})
            if n.escalation not in ESCALATIONS:
                problems.append(_("step %(node)s: unknown escalation “%(how)s”") % {"node": n.id, "how": n.escalation})
            if n.deadline_days is not None and n.deadline_days < 0:
                problems.append(_("step %(node)s: the deadline cannot be negative") % {"node": n.id})
        if n.kind == "cc" and not n.assignees:
            problems.append(_("step %(node)s: a CC step needs recipients") % {"node": n.id})
        for a in n.assignees:
            if a.kind not in ASSIGNEE_KINDS:
                problems.append(_("step %(node)s: unknown assignee kind “%(kind)s”") % {"node": n.id, "kind": a.kind})
            elif a.kind in ("superior_of_field", "user_field") and a.value not in fields:
                problems.append(_("step %(node)s: field “%(name)s” is not declared") % {"node": n.id, "name": a.value})
        for name in (*n.visible_fields, *n.editable_fields):
            if name not in fields:
                problems.append(_("step %(node)s: field “%(name)s” is not declared") % {"node": n.id, "name": name})
    for e in graph.edges:
        if e.source not in known or e.target not in known:
            problems.append(_("connection %(source)s → %(target)s: unknown step") % {"source": e.source, "target": e.target})
        if e.condition is not None:
            problems.extend(f"{e.source} → {e.target}: {p}" for p in conditions.validate(e.condition, fields))
    if problems:
        return problems
    for n in graph.nodes:
        out = graph.outgoing(n.id)
        if n.kind == "end":
            if out:
                problems.append(_("step %(node)s: an end step has no way out") % {"node": n.id})
        elif not out or out[-1].condition:
            problems.append(_("step %(node)s: needs a way out without condition (the default)") % {"node": n.id})
        elif n.kind != "condition" and len(out) > 1:
            problems.append(_("step %(node)s: only condition steps branch") % {"node": n.id})
    reachable = _reachable(graph, starts[0].id)
    for n in graph.nodes:
        if n.id not in reachable:
            problems.append(_("step %(node)s: not reachable from the start") % {"node": n.id})
    if _has_cycle(graph):
        problems.append(_("the flow has a cycle: every path must end"))
    return problems


def _reachable(graph: Graph, start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        current = todo.pop()
        for e in graph.outgoing(current):
            if e.target not in seen:
                seen.add(e.target)
                todo.append(e.target)
    return seen


def _has_cycle(graph: Graph) -> bool:
    state: dict[str, int] = {}

    def visit(node_id: str) -> bool:
        state[node_id] = 1
        for e in graph.outgoing(node_id):
            mark = state.get(e.target, 0)
            if mark == 1 or (mark == 0 and visit(e.target)):
                return True
        state[node_id] = 2
        return False

    return any(state.get(n.id, 0) == 0 and visit(n.id) for n in graph.nodes)


@dataclass(frozen=True)
class Step:
    """Where the flow goes from a node: the next node that waits (approval, committee or end), the
    CC nodes passed on the way and the whole path of node ids walked (condition nodes included)."""

    node: Node
    cc: tuple[Node, ...]
    path: tuple[str, ...]


def next_step(graph: Graph, from_id: str, fields: Mapping[str, str], values: Mapping[str, Any]) -> Step:
    """Follow edges from `from_id` through condition and CC nodes to the next waiting node."""
    cc: list[Node] = []
    path: list[str] = []
    current = from_id
    for _guard in range(len(graph.nodes) + 1):
        edge = choose_edge(graph, current, fields, values)
        target = graph.node(edge.target)
        path.append(target.id)
        if target.kind == "cc":
            cc.append(target)
        elif target.kind != "condition":
            return Step(target, tuple(cc), tuple(path))
        current = target.id
    raise GraphError("the flow does not end (cycle)")


def choose_edge(graph: Graph, node_id: str, fields: Mapping[str, str], values: Mapping[str, Any]) -> Edge:
    for edge in graph.outgoing(node_id):
        if edge.condition is None or conditions.evaluate(edge.condition, fields, values):
            return edge
    raise GraphError(f"node {node_id!r} has no way out for these values")


# ----------------------------------------------------------------------------------------------
# editing helpers for the designer (pure: JSON in, JSON out)


def with_node(data: Mapping[str, Any], node: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with `node` added, or replacing the node of the same id (its edges are kept)."""
    nodes = [dict(n) for n in data.get("nodes", [])]
    for i, existing in enumerate(nodes):
        if existing.get("id") == node["id"]:
            nodes[i] = dict(node)
            break
    else:
        nodes.append(dict(node))
    return {"nodes": nodes, "edges": [dict(e) for e in data.get("edges", [])]}


def without_node(data: Mapping[str, Any], node_id: str) -> dict[str, Any]:
    """`data` without the node and every edge touching it."""
    return {
        "nodes": [dict(n) for n in data.get("nodes", []) if n.get("id") != node_id],
        "edges": [dict(e) for e in data.get("edges", []) if node_id not in (e.get("source"), e.get("target"))],
    }


def with_edge(data: Mapping[str, Any], edge: Mapping[str, Any]) -> dict[str, Any]:
    return {"nodes": [dict(n) for n in data.get("nodes", [])], "edges": [*(dict(e) for e in data.get("edges", [])), dict(edge)]}


def without_edge(data: Mapping[str, Any], index: int) -> dict[str, Any]:
    edges = [dict(e) for i, e in enumerate(data.get("edges", [])) if i != index]
    return {"nodes": [dict(n) for n in data.get("nodes", [])], "edges": edges}
