"""Small helpers shared by the partner pages."""

from __future__ import annotations

from typing import Any

from danbao.core.errors import DomainError

VIEW = "partners.partner.view"
MANAGE = "partners.partner.manage"
CHANNEL_MANAGE = "partners.channel.manage"


def apply_error(form: Any, exc: DomainError) -> None:
    """Show a service refusal on its field when the form has it, else on top of the form."""
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


def percent_text(value: Any) -> str:
    if value is None:
        return ""
    return f"{format((value * 100).normalize(), 'f')}%"
