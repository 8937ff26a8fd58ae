"""Readiness registry: may a project's file be archived yet? (STYLE "Registries".)

Apps above or beside the archive that know when a project is *finished* register a check:

    from danbao.archive import readiness
    readiness.register("release", lambda project: [ChecklistItem("release.done", "解保完成", ok, detail, url)])

A check returns ChecklistItem lines for the project; archiving is blocked while any line is not ok.
Projects that ended before lending (declined / rejected / withdrawn) need no check: their pre-lending
file is kept as well. An approved project is "finished" only when some registered check says so; as
long as nothing is registered, the built-in fallback asks `danbao.release.selectors.release_complete`
and, when that module or function does not exist (yet), reports the project as **not releasable yet**
(a red line), so an in-force guarantee can never be archived by accident. Tested in
tests/test_readiness.py.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from danbao.core.checklist import ChecklistItem
from danbao.core.registry import Registry

Check = Callable[[Any], list[ChecklistItem]]

checks: Registry[Check] = Registry("archive readiness checks")

# Project states in which the project ended before any guarantee was given.
ENDED_BEFORE_LENDING = ("declined", "rejected", "withdrawn")


def register(key: str, check: Check, *, replace: bool = False) -> None:
    """Add a readiness check (e.g. the release app's "guarantee and securities released")."""
    checks.register(key, check, replace=replace)


def unregister(key: str) -> None:
    """Tests only."""
    checks._entries.pop(key, None)


def _release_fallback(project: Any) -> list[ChecklistItem]:
    label = _("Guarantee and securities released")
    try:
        module = importlib.import_module("danbao.release.selectors")
        release_complete = module.release_complete
    except (ImportError, AttributeError):
        return [ChecklistItem("archive.release", label, False, _("The release (解保) of this project cannot be confirmed yet."))]
    ok = bool(release_complete(project))
    detail = _("Released.") if ok else _("The guarantee or a security is not released yet.")
    return [ChecklistItem("archive.release", label, ok, detail)]


def readiness_for(project: Any) -> list[ChecklistItem]:
    """The lines that decide whether the project's file may be archived."""
    if project.state in ENDED_BEFORE_LENDING:
        return [
            ChecklistItem(
                "archive.ended",
                _("Project ended before lending"),
                True,
                _("Project state: %(state)s") % {"state": project.get_state_display()},
            )
        ]
    if project.state != "approved":
        return [
            ChecklistItem(
                "archive.ended",
                _("Project finished"),
                False,
                _("The project is still in progress (%(state)s).") % {"state": project.get_state_display()},
            )
        ]
    lines: list[ChecklistItem] = []
    for _key, check in sorted(checks.items()):
        lines.extend(check(project))
    if not len(checks):
        lines = _release_fallback(project)
    return lines
