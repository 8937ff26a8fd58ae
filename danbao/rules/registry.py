"""Rule checks are Python functions registered in code under the rule's code — never text typed by
a user and evaluated. A check reads a RuleInput and its resolved parameters and returns an Outcome.

    registry.register(RuleSpec(code="PRD_AMOUNT_MAX", ..., check=check_amount_max,
                               params=(ParamSpec("max", ...),)))

Each RuleSpec also carries the catalogue defaults (name, reason texts, severity, stages) that
`rules_ensure` writes into a new Rule row; after that the row is the authority.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from danbao.core.registry import Registry


@dataclass(frozen=True)
class Outcome:
    """`hit` = the rule fires; `applicable=False` = nothing to check (e.g. no fee rate given)."""

    hit: bool
    applicable: bool = True
    detail: Mapping[str, Any] = field(default_factory=dict)


PASS = Outcome(False)


def not_applicable(why: str) -> Outcome:
    return Outcome(False, applicable=False, detail={"why": why})


@dataclass(frozen=True)
class ParamSpec:
    """A parameter a check uses: a system parameter code (dated, in `system`) or a literal default;
    a rule's own dated RuleParameter rows override both. `kind`: decimal | int | percent | json."""

    key: str
    label: str | Promise
    kind: str = "decimal"
    system: str | None = None
    default: Any = None


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    reason_zh: str
    reason_en: str
    severity: str
    stages: tuple[str, ...]
    check: Callable[..., Outcome]  # check(rule_input, params) -> Outcome
    params: tuple[ParamSpec, ...] = ()
    source: str = ""  # regulation or practice the rule follows

    def param(self, key: str) -> ParamSpec | None:
        return next((p for p in self.params if p.key == key), None)


specs: Registry[RuleSpec] = Registry("business rule checks")


def register(spec: RuleSpec, *, replace: bool = False) -> RuleSpec:
    return specs.register(spec.code, spec, replace=replace)


def get(code: str) -> RuleSpec | None:
    return specs.get(code) if code in specs else None
