"""Scorecard arithmetic: pure functions over a template version's definition and the inputs.

Each factor scores 0–100 points from its bin (or, for a qualitative factor, from the chosen
answer); its weighted score is points × weight / 100, and the total (0–100) is the sum of the
weighted scores rounded half-up to 2 places. The total falls in exactly one grade band, which
gives the grade, the suggested maximum amount and the fee-rate band.

A factor without an input (no statement, no credit report, no answer) scores 0 points and is
flagged ``missing`` with a note — never silently skipped, never an exception. The validation
functions return every problem as a Chinese message (via the app's catalogue).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from danbao.scoring.measures import measure_for

GRADES = ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C")  # best first
KINDS = ("financial", "qualitative", "credit", "coverage")
HUNDRED = Decimal(100)
Q2 = Decimal("0.01")


@dataclass(frozen=True)
class BinDef:
    """A range of raw values; None edges are unbounded (−∞ / +∞), whose inclusivity is ignored."""

    lower: Decimal | None
    upper: Decimal | None
    points: Decimal
    lower_inclusive: bool = True
    upper_inclusive: bool = False

    def __post_init__(self) -> None:
        # An unbounded edge includes nothing: normalise so equal bins compare equal.
        if self.lower is None:
            object.__setattr__(self, "lower_inclusive", False)
        if self.upper is None:
            object.__setattr__(self, "upper_inclusive", False)

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and (value < self.lower or (value == self.lower and not self.lower_inclusive)):
            return False
        if self.upper is not None and (value > self.upper or (value == self.upper and not self.upper_inclusive)):
            return False
        return True

    @property
    def label(self) -> str:
        """Interval notation: [ and ] include the edge, ( and ) exclude it."""
        left = "(-∞" if self.lower is None else ("[" if self.lower_inclusive else "(") + _num(self.lower)
        right = "+∞)" if self.upper is None else _num(self.upper) + ("]" if self.upper_inclusive else ")")
        return f"{left}, {right}"


@dataclass(frozen=True)
class OptionDef:
    code: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class FactorDef:
    code: str
    name: str
    kind: str
    weight: Decimal
    source: str = ""
    question: str = ""
    bins: tuple[BinDef, ...] = ()
    options: tuple[OptionDef, ...] = ()

    def option(self, code: str) -> OptionDef | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class GradeDef:
    """Scores in [min_score, max_score) give `grade`; the band ending at 100 includes 100."""

    grade: str
    min_score: Decimal
    max_score: Decimal
    max_amount: Decimal | None = None
    fee_rate_min: Decimal | None = None
    fee_rate_max: Decimal | None = None

    def contains(self, score: Decimal) -> bool:
        return self.min_score <= score < self.max_score or (score == self.max_score == HUNDRED)


@dataclass(frozen=True)
class Definition:
    factors: tuple[FactorDef, ...]
    grades: tuple[GradeDef, ...]


@dataclass(frozen=True)
class FactorResult:
    code: str
    name: str
    kind: str
    weight: Decimal
    raw: Decimal | str | None
    bin: str  # the interval or the answer's text; "" when missing
    points: Decimal
    weighted: Decimal
    missing: bool = False
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "weight": str(self.weight),
            "raw": None if self.raw is None else str(self.raw),
            "bin": self.bin,
            "points": str(self.points),
            "weighted": str(self.weighted),
            "missing": self.missing,
            "note": self.note,
        }


@dataclass(frozen=True)
class Result:
    factors: tuple[FactorResult, ...]
    total: Decimal
    grade: str
    max_amount: Decimal | None
    fee_rate_min: Decimal | None
    fee_rate_max: Decimal | None
    missing: tuple[str, ...] = field(default=())

    def factor(self, code: str) -> FactorResult:
        return next(f for f in self.factors if f.code == code)


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return result if result.is_finite() else None


def score_factor(factor: FactorDef, value: Any) -> FactorResult:
    """Points of one factor for its input (an answer code for a qualitative factor, else a number)."""

    def result(raw: Any, label: str, points: Decimal, missing: bool = False, note: str = "") -> FactorResult:
        weighted = points * factor.weight / HUNDRED
        return FactorResult(factor.code, factor.name, factor.kind, factor.weight, raw, label, points, weighted, missing, note)

    if factor.kind == "qualitative":
        if value is None or value == "":
            return result(None, "", Decimal(0), True, _("No answer given: scored 0."))
        option = factor.option(str(value))
        if option is None:
            return result(str(value), "", Decimal(0), True, _("The answer is not one of the options: scored 0."))
        return result(option.code, option.label, option.points)
    number = _decimal(value)
    if number is None:
        return result(None, "", Decimal(0), True, _("No value available: scored 0."))
    for bin_ in factor.bins:
        if bin_.contains(number):
            return result(number, bin_.label, bin_.points)
    return result(number, "", Decimal(0), True, _("The value falls in no bin: scored 0."))


def grade_for(grades: Iterable[GradeDef], total: Decimal) -> GradeDef | None:
    return next((g for g in grades if g.contains(total)), None)


def compute_assessment(definition: Definition, inputs: Mapping[str, Any]) -> Result:
    """Score every factor of `definition` with `inputs[factor.code]`, total and grade."""
    results = tuple(score_factor(f, inputs.get(f.code)) for f in definition.factors)
    total = sum((r.weighted for r in results), Decimal(0)).quantize(Q2, rounding=ROUND_HALF_UP)
    total = min(max(total, Decimal(0)), HUNDRED)
    band = grade_for(definition.grades, total)
    return Result(
        factors=tuple(
            FactorResult(
                r.code,
                r.name,
                r.kind,
                r.weight,
                r.raw,
                r.bin,
                r.points.quantize(Q2, rounding=ROUND_HALF_UP),
                r.weighted.quantize(Q2, rounding=ROUND_HALF_UP),
                r.missing,
                r.note,
            )
            for r in results
        ),
        total=total,
        grade=band.grade if band else "",
        max_amount=band.max_amount if band else None,
        fee_rate_min=band.fee_rate_min if band else None,
        fee_rate_max=band.fee_rate_max if band else None,
        missing=tuple(r.code for r in results if r.missing),
    )


# --- validation ----------------------------------------------------------------------------------


def _edge_key(b: BinDef) -> tuple[int, Decimal]:
    return (0, Decimal(0)) if b.lower is None else (1, b.lower)


def bins_problems(bins: Iterable[BinDef]) -> list[str]:
    """The bins must cover every value exactly once: from −∞ to +∞, no gap, no overlap."""
    items = sorted(bins, key=_edge_key)
    if not items:
        return [_("Give at least one bin.")]
    problems: list[str] = []
    for b in items:
        if not (Decimal(0) <= b.points <= HUNDRED):
            problems.append(_("Bin %(bin)s: points must be between 0 and 100.") % {"bin": b.label})
        if b.lower is not None and b.upper is not None:
            if b.lower > b.upper or (b.lower == b.upper and not (b.lower_inclusive and b.upper_inclusive)):
                problems.append(_("Bin %(bin)s is empty: its lower edge must be below its upper edge.") % {"bin": b.label})
    if items[0].lower is not None:
        problems.append(_("The lowest bin must start at −∞ (leave its lower edge empty) so that every value has a bin."))
    if items[-1].upper is not None:
        problems.append(_("The highest bin must end at +∞ (leave its upper edge empty) so that every value has a bin."))
    for prev, nxt in zip(items, items[1:], strict=False):
        if prev.upper is None or nxt.lower is None:
            problems.append(_("Bins %(a)s and %(b)s overlap.") % {"a": prev.label, "b": nxt.label})
        elif prev.upper < nxt.lower:
            problems.append(_("Gap between bins %(a)s and %(b)s.") % {"a": prev.label, "b": nxt.label})
        elif prev.upper > nxt.lower:
            problems.append(_("Bins %(a)s and %(b)s overlap.") % {"a": prev.label, "b": nxt.label})
        elif prev.upper_inclusive and nxt.lower_inclusive:
            problems.append(
                _("Bins %(a)s and %(b)s both include %(edge)s: exclude it from one of them.")
                % {"a": prev.label, "b": nxt.label, "edge": _num(nxt.lower)}
            )
        elif not prev.upper_inclusive and not nxt.lower_inclusive:
            problems.append(
                _("Neither bin %(a)s nor %(b)s includes %(edge)s: include it in one of them.")
                % {"a": prev.label, "b": nxt.label, "edge": _num(nxt.lower)}
            )
    return problems


def options_problems(options: Iterable[OptionDef]) -> list[str]:
    items = list(options)
    if not items:
        return [_("Give at least one answer option.")]
    problems: list[str] = []
    seen: set[str] = set()
    for o in items:
        if not o.code or not o.label:
            problems.append(_("Every answer option needs a code and a text."))
        if o.code in seen:
            problems.append(_("Answer code %(code)s is used twice.") % {"code": o.code})
        seen.add(o.code)
        if not (Decimal(0) <= o.points <= HUNDRED):
            problems.append(_("Answer %(code)s: points must be between 0 and 100.") % {"code": o.code})
    return problems


def factor_problems(factor: FactorDef) -> list[str]:
    """Problems of one factor, each prefixed with the factor's name."""
    problems: list[str] = []
    if factor.kind not in KINDS:
        problems.append(_("Unknown factor kind."))
    elif factor.kind == "qualitative":
        if not factor.question:
            problems.append(_("Write the question the assessor answers."))
        problems += options_problems(factor.options)
    else:
        if factor.kind in ("financial", "credit") and measure_for(factor.kind, factor.source) is None:
            problems.append(_("Choose what the factor measures."))
        problems += bins_problems(factor.bins)
    if not (Decimal(0) < factor.weight <= HUNDRED):
        problems.append(_("The weight must be above 0 % and at most 100 %."))
    return [f"{factor.name}：{p}" for p in problems]


def grades_problems(grades: Iterable[GradeDef]) -> list[str]:
    """Grade bands must cover 0–100 without gaps or overlaps, a better grade for a higher score."""
    items = sorted(grades, key=lambda g: g.min_score)
    if not items:
        return [_("Define the grade bands.")]
    problems: list[str] = []
    names = [g.grade for g in items]
    for g in items:
        if g.grade not in GRADES:
            problems.append(_("Unknown grade %(grade)s.") % {"grade": g.grade})
        if g.min_score >= g.max_score:
            problems.append(_("Grade %(grade)s: the minimum score must be below the maximum score.") % {"grade": g.grade})
        if g.fee_rate_min is not None and g.fee_rate_max is not None and g.fee_rate_min > g.fee_rate_max:
            problems.append(_("Grade %(grade)s: the fee rate band is reversed.") % {"grade": g.grade})
        if g.max_amount is not None and g.max_amount < 0:
            problems.append(_("Grade %(grade)s: the suggested maximum amount cannot be negative.") % {"grade": g.grade})
    if len(set(names)) != len(names):
        problems.append(_("Each grade may appear only once."))
    if items[0].min_score != 0:
        problems.append(_("The lowest grade band must start at 0 points."))
    if items[-1].max_score != HUNDRED:
        problems.append(_("The highest grade band must end at 100 points."))
    for prev, nxt in zip(items, items[1:], strict=False):
        if prev.max_score < nxt.min_score:
            problems.append(_("Gap between grades %(a)s and %(b)s.") % {"a": prev.grade, "b": nxt.grade})
        elif prev.max_score > nxt.min_score:
            problems.append(_("Grades %(a)s and %(b)s overlap.") % {"a": prev.grade, "b": nxt.grade})
        if prev.grade in GRADES and nxt.grade in GRADES and GRADES.index(nxt.grade) >= GRADES.index(prev.grade):
            problems.append(_("A higher score must give a better grade: %(b)s is above %(a)s.") % {"a": prev.grade, "b": nxt.grade})
    return problems


def definition_problems(definition: Definition) -> list[str]:
    """Everything that stops a version from being published."""
    problems: list[str] = []
    if not definition.factors:
        problems.append(_("Add at least one factor."))
    codes = [f.code for f in definition.factors]
    if len(set(codes)) != len(codes):
        problems.append(_("Each factor code may appear only once."))
    for factor in definition.factors:
        problems += factor_problems(factor)
    total = sum((f.weight for f in definition.factors), Decimal(0))
    if definition.factors and total != HUNDRED:
        problems.append(_("The weights add up to %(total)s %%; they must add up to 100 %%.") % {"total": _num(total)})
    problems += grades_problems(definition.grades)
    return problems


# --- the editor's text format for bins and options -------------------------------------------------

_EDGE = r"([-+]?\d+(?:\.\d+)?|[-+]?∞|[-+]?inf)?"
BIN_LINE = re.compile(
    r"^\s*([\[(（【])\s*" + _EDGE + r"\s*[,，]\s*" + _EDGE + r"\s*([\])）】])\s*[=:：]?\s*(\d+(?:\.\d+)?)\s*$", re.IGNORECASE
)


def _edge(text: str | None) -> Decimal | None:
    if text is None or text.lstrip("+-").lower() in ("∞", "inf"):
        return None
    return Decimal(text)


def parse_bins(text: str) -> tuple[list[BinDef], list[str]]:
    """One bin a line, e.g. ``[0.5, 0.7) = 80`` or ``(-∞, 0.5) 100``; returns bins and line errors."""
    bins: list[BinDef] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = BIN_LINE.match(line)
        if not match:
            errors.append(_("Line %(n)s is not a bin: write it like [0.5, 0.7) = 80.") % {"n": number})
            continue
        left, low, high, right, points = match.groups()
        bins.append(
            BinDef(
                lower=_edge(low),
                upper=_edge(high),
                points=Decimal(points),
                lower_inclusive=left in "[【" and _edge(low) is not None,
                upper_inclusive=right in "]】" and _edge(high) is not None,
            )
        )
    return bins, errors


def format_bins(bins: Iterable[BinDef]) -> str:
    return "\n".join(f"{b.label} = {_num(b.points)}" for b in sorted(bins, key=_edge_key))


OPTION_LINE = re.compile(r"^\s*([A-Za-z0-9_-]{1,32})\s*[|｜]\s*(.+?)\s*[|｜]\s*(\d+(?:\.\d+)?)\s*$")


def parse_options(text: str) -> tuple[list[OptionDef], list[str]]:
    """One answer a line: ``code | text | points``."""
    options: list[OptionDef] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = OPTION_LINE.match(line)
        if not match:
            errors.append(_("Line %(n)s is not an answer: write it like good | 良好 | 80.") % {"n": number})
            continue
        options.append(OptionDef(match.group(1), match.group(2), Decimal(match.group(3))))
    return options, errors


def format_options(options: Iterable[OptionDef]) -> str:
    return "\n".join(f"{o.code} | {o.label} | {_num(o.points)}" for o in options)
