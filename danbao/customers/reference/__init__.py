"""Reference tables shipped as data: the national industry classification GB/T 4754-2017 and the
administrative division codes (GB/T 2260 via the statistical division codes). Built by
scripts/build_reference_data.py (which names the sources and the coverage); loaded lazily on first use
and cached for the life of the process. Pure Python, no database.

Industry codes are the standard's own: section ``"A"``, division ``"01"``, group ``"011"``, class
``"0111"``; a code written with its section letter (``"A0111"``) is accepted too. Region codes are
6 digits: province ``"110000"``, prefecture ``"110100"``, county ``"110101"``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "INDUSTRY_LEVELS",
    "REGION_LEVELS",
    "Industry",
    "Region",
    "industry_all",
    "industry_choices",
    "industry_get",
    "industry_meta",
    "industry_normalize",
    "industry_search",
    "region_all",
    "region_choices",
    "region_get",
    "region_meta",
    "region_path",
    "region_search",
]

_DIR = Path(__file__).resolve().parent

INDUSTRY_LEVELS = ("section", "division", "group", "class")
REGION_LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Industry:
    code: str
    name: str
    level: str  # section | division | group | class
    parent: str | None
    path_names: tuple[str, ...]  # names from the section down to this entry

    @property
    def section(self) -> str:
        return _industry_section(self.code)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # province | city | county
    parent: str | None

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in region_path(self.code) if r.name != "市辖区")


def _load(name: str) -> dict:
    return json.loads((_DIR / name).read_text(encoding="utf-8"))


# --- industries ----------------------------------------------------------------------------------


def _industry_level(code: str) -> str:
    return {1: "section", 2: "division", 3: "group", 4: "class"}[len(code)]


@cache
def _industries() -> dict[str, Industry]:
    rows = _load("industries.json")["rows"]
    raw = {code: (name, parent or None) for code, name, parent in rows}
    out: dict[str, Industry] = {}
    for code, (name, parent) in raw.items():
        names: list[str] = [name]
        p = parent
        while p:
            names.insert(0, raw[p][0])
            p = raw[p][1]
        out[code] = Industry(code, name, _industry_level(code), parent, tuple(names))
    return out


@cache
def _industry_sections() -> dict[str, str]:
    """Division code → section letter."""
    return {i.code: i.parent for i in _industries().values() if i.level == "division"}  # type: ignore[misc]


def _industry_section(code: str) -> str:
    if len(code) == 1:
        return code
    return _industry_sections().get(code[:2], "")


def industry_normalize(code: str | None) -> str:
    """Clean a code: strip spaces, upper-case, drop a leading section letter before digits (A0111 → 0111)."""
    c = "".join((code or "").split()).upper()
    if len(c) > 1 and c[0].isalpha() and c[1:].isdigit():
        c = c[1:]
    return c


def industry_meta() -> dict:
    return _load("industries.json")["meta"]


def industry_get(code: str | None) -> Industry | None:
    return _industries().get(industry_normalize(code))


def industry_search(q: str, limit: int = 20) -> list[Industry]:
    """Entries whose code starts with ``q`` (section letter or digits) or whose name contains it,
    code matches first, in code order."""
    q = (q or "").strip()
    if not q:
        return []
    code = industry_normalize(q)
    items = sorted(_industries().values(), key=_industry_sort_key)
    by_code = [i for i in items if i.code.startswith(code) or (len(code) == 1 and i.section == code)]
    by_name = [i for i in items if q in i.name and i not in by_code]
    return (by_code + by_name)[:limit]


def _industry_sort_key(i: Industry) -> tuple[str, str]:
    return (i.section, i.code if i.level != "section" else "")


def industry_all() -> list[Industry]:
    """Every entry, in the standard's order (section, then its divisions, groups and classes)."""
    return sorted(_industries().values(), key=_industry_sort_key)


def industry_choices(level: str = "division") -> list[tuple[str, str]]:
    """(code, "code name") pairs of one level, in the standard's order, for a select field."""
    if level not in INDUSTRY_LEVELS:
        raise ValueError(f"unknown industry level {level!r}")
    return [(i.code, i.label) for i in sorted(_industries().values(), key=_industry_sort_key) if i.level == level]


# --- regions -------------------------------------------------------------------------------------


@cache
def _regions() -> dict[str, Region]:
    rows = _load("regions.json")["rows"]
    parents = {code: parent for code, _name, parent in rows}
    out: dict[str, Region] = {}
    for code, name, parent in rows:
        level = "province" if not parent else ("city" if not parents.get(parent) else "county")
        out[code] = Region(code, name, level, parent or None)
    return out


def region_meta() -> dict:
    return _load("regions.json")["meta"]


def region_get(code: str | None) -> Region | None:
    return _regions().get((code or "").strip())


def region_path(code: str | None) -> list[Region]:
    """[province, city, county] down to ``code`` (shorter for a province or city); [] if unknown."""
    path: list[Region] = []
    r = region_get(code)
    while r is not None:
        path.insert(0, r)
        r = _regions().get(r.parent) if r.parent else None
    return path


def region_search(q: str, limit: int = 20) -> list[Region]:
    """Regions whose code starts with ``q`` or whose name contains it; provinces first, then cities."""
    q = (q or "").strip()
    if not q:
        return []
    order = {lvl: i for i, lvl in enumerate(REGION_LEVELS)}
    items = sorted(_regions().values(), key=lambda r: (order[r.level], r.code))
    if q.isdigit():
        hits = [r for r in items if r.code.startswith(q)]
    else:
        hits = [r for r in items if q in r.name]
    return hits[:limit]


def region_all() -> list[Region]:
    """Every province, city and county, in code order."""
    return sorted(_regions().values(), key=lambda r: r.code)


def region_choices(parent: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of the provinces, or of the children of ``parent``, in code order."""
    return [(r.code, r.name) for r in sorted(_regions().values(), key=lambda r: r.code) if r.parent == (parent or None)]
