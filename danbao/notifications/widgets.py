"""The workbench panel "my unread messages"."""

from __future__ import annotations

from typing import Any

from danbao.notifications.selectors import latest_unread_for, unread_count_for


def unread_context(user: Any) -> dict[str, Any]:
    return {"unread_messages": latest_unread_for(user, 5), "unread_total": unread_count_for(user)}
