"""One line of a readiness checklist (the pre-issue checklist of a guarantee letter, the disbursement
checks): apps that own a condition report it in this shape and the page that gathers them shows each
line green or red with what exactly is missing and where to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # stable id, e.g. "contracts.signed:guarantee"
    label: str  # what is checked, in the user's language
    ok: bool
    detail: str = ""  # when not ok: exactly what is missing; when ok: the evidence in brief
    url: str = ""  # where the user fixes it


def all_ok(items: list[ChecklistItem]) -> bool:
    return all(item.ok for item in items)
