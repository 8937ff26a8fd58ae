"""Product states and the allowed moves, as data (STYLE.md "Lifecycles are tables").

draft → active happens when the first version is published; the others are explicit decisions
by product management, each with a reason. Retired is final.
"""

from __future__ import annotations

from dataclasses import dataclass

from danbao.products.models import ProductStatus

MANAGE = "products.product.manage"


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    permission: str
    needs_reason: bool


MOVES: tuple[Move, ...] = (
    Move(ProductStatus.DRAFT, ProductStatus.ACTIVE, MANAGE, False),
    Move(ProductStatus.ACTIVE, ProductStatus.SUSPENDED, MANAGE, True),
    Move(ProductStatus.SUSPENDED, ProductStatus.ACTIVE, MANAGE, True),
    Move(ProductStatus.ACTIVE, ProductStatus.RETIRED, MANAGE, True),
    Move(ProductStatus.SUSPENDED, ProductStatus.RETIRED, MANAGE, True),
    Move(ProductStatus.DRAFT, ProductStatus.RETIRED, MANAGE, True),
)


def move_for(source: str, target: str) -> Move | None:
    """The allowed move from `source` to `target`, or None when the table has none."""
    for move in MOVES:
        if move.source == source and move.target == target:
            return move
    return None


def targets_from(source: str) -> list[str]:
    return [m.target for m in MOVES if m.source == source]
