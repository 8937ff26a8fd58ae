"""A small typed registry: lower apps offer one, higher apps register into it in AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries, kept in registration order; registering a key twice is a programming error."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, key: str, entry: T, *, replace: bool = False) -> T:
        if key in self._entries and not replace:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._entries[key] = entry
        return entry

    def get(self, key: str) -> T:
        return self._entries[key]

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __len__(self) -> int:
        return len(self._entries)
