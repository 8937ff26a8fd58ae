"""Node deadlines in Chinese working days (danbao.core.calendar) and the reminder stage of a task."""

from __future__ import annotations

from datetime import date
from typing import Literal

from danbao.core.calendar import add_workdays

Stage = Literal["none", "soon", "due", "overdue"]


def due_date(started: date, workdays: int | None) -> date | None:
    """The last working day to act: `workdays` working days after the node started (None: no deadline)."""
    if workdays is None:
        return None
    return add_workdays(started, workdays)


def stage(today: date, due: date | None, remind_before_days: int = 1) -> Stage:
    """ "soon" from `remind_before_days` working days before the due date, "due" on it, then "overdue"."""
    if due is None:
        return "none"
    if today > due:
        return "overdue"
    if today == due:
        return "due"
    if remind_before_days > 0 and today >= add_workdays(due, -remind_before_days):
        return "soon"
    return "none"
