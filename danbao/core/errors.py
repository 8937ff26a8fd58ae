"""Errors are data: a stable code plus a translated message (STYLE.md "Errors are data")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class ErrorCode:
    """One reason code with its translatable message template (%(name)s placeholders)."""

    code: str
    message: str | Promise

    def error(self, **data: Any) -> DomainError:
        return DomainError(self, **data)


class DomainError(Exception):
    """A business refusal: services raise it before any write; views show `message`."""

    def __init__(self, code: ErrorCode, **data: Any) -> None:
        self.code = code.code
        self.data = data
        self.template = code.message
        super().__init__(self.code)

    @property
    def message(self) -> str:
        text = str(self.template)
        try:
            return text % self.data if self.data else text
        except (KeyError, TypeError, ValueError):
            return text

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": {k: str(v) for k, v in self.data.items()}}

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
