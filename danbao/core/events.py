"""Security-event hook: the kernel and every app report events here; `audit` registers the writer.

The writer runs inside the caller's transaction, so an audit failure rolls the business action back
(SECURITY.md C.38).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Writer = Callable[..., Any]
_writers: list[Writer] = []


def register_writer(writer: Writer) -> None:
    if writer not in _writers:
        _writers.append(writer)


def security_event(event_type: str, **fields: Any) -> None:
    """Record one security/audit event (see audit.services.event_record for the fields)."""
    if not _writers:
        raise RuntimeError("no audit writer registered: is danbao.audit installed?")
    for writer in _writers:
        writer(event_type, **fields)
