"""What the review app needs configured: the dated committee parameters and the meeting numbering
rule. Created through the system services (idempotent) by the demo step, `manage.py
ensure_review_setup`, and lazily by the first meeting; read with `param_value` on the meeting's date."""

from __future__ import annotations

from datetime import date
from typing import Any

from danbao.core.errors import DomainError
from danbao.review.rules import Rules
from danbao.system.selectors import param_value

QUORUM_MIN = "committee_quorum_min"
QUORUM_SHARE = "committee_quorum_share"
VOTE_RULE = "committee_pass_rule"  # seeded by the system catalogue; defined here too when missing
CHAIR_VETO = "committee_chair_veto"
NUMBERING = "review_meeting"

SOURCE = "《融资担保公司监督管理条例》第十八条（建立健全评审制度）；行业实践 [PR]"
PARAMETERS: list[dict[str, Any]] = [
    dict(
        code=QUORUM_MIN,
        name="评审会最低出席人数",
        kind="int",
        value="5",
        unit="人",
        description="出席委员少于该人数时评审会不能表决；回避后可表决委员少于该人数时该议题不能表决。",
    ),
    dict(
        code=QUORUM_SHARE,
        name="评审会最低出席比例",
        kind="json",
        value='{"numerator": 2, "denominator": 3}',
        description="出席委员占应到委员的比例下限（分数，整数比较：出席 × 分母 ≥ 分子 × 应到）；回避后按未回避的应到委员计算。",
    ),
    dict(
        code=VOTE_RULE,
        name="评审会通过规则",
        kind="json",
        value='{"base": "present", "numerator": 2, "denominator": 3}',
        description="同意票（含有条件同意）/ 表决人数 ≥ 2/3（整数比较）。"
        "base=present：出席且未回避的委员；base=invited：未回避的应到委员。",
    ),
    dict(
        code=CHAIR_VETO,
        name="评审会主任委员一票否决",
        kind="bool",
        value="false",
        description="开启后，主任委员（出席且未回避）投不同意票时议题否决。",
    ),
]


def ensure_setup() -> int:
    """Create the missing parameters and the numbering rule (PSH2026-001); returns how many were created."""
    from danbao.system.models import NumberingRule, Parameter
    from danbao.system.services.numbering import numbering_rule_create
    from danbao.system.services.parameters import parameter_define

    created = 0
    for p in PARAMETERS:
        if Parameter.objects.filter(code=p["code"]).exists():
            continue
        parameter_define(
            actor=None,
            code=p["code"],
            name=p["name"],
            kind=p["kind"],
            value=p["value"],
            legal_force=False,
            unit=p.get("unit", ""),
            category="业务规则",
            description=p["description"],
            source=SOURCE,
        )
        created += 1
    if not NumberingRule.objects.filter(code=NUMBERING).exists():
        numbering_rule_create(
            actor=None,
            code=NUMBERING,
            name="评审会编号",
            prefix="PSH",
            date_pattern="{YYYY}",
            separator="-",
            sequence_width=3,
            reset="yearly",
        )
        created += 1
    return created


def _share(value: Any, default: tuple[int, int]) -> tuple[int, int]:
    try:
        numerator, denominator = int(value["numerator"]), int(value["denominator"])
    except (KeyError, TypeError, ValueError):
        return default
    return (numerator, denominator) if denominator > 0 and numerator >= 0 else default


def rules_on(on: date) -> Rules:
    """The decision rules in force on `on` (a meeting's date)."""
    try:
        return _read(on)
    except DomainError:
        ensure_setup()  # a database that was never set up: create the defaults, then read them
        return _read(on)


def _read(on: date) -> Rules:
    pass_rule = param_value(VOTE_RULE, on)
    return Rules(
        quorum_min=int(param_value(QUORUM_MIN, on)),
        quorum_share=_share(param_value(QUORUM_SHARE, on), (2, 3)),
        pass_share=_share(pass_rule, (2, 3)),
        share_base="invited" if isinstance(pass_rule, dict) and pass_rule.get("base") == "invited" else "present",
        chair_veto=bool(param_value(CHAIR_VETO, on)),
    )
