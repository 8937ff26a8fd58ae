"""What the institution has guaranteed and not yet released, as the regulatory calculations see it.

The in-force ledger (a later app) registers a source; tests register their own. Every metric, the
credit-line usage of partner banks and the what-if check read exposures only through `current`.
Amounts are yuan (Decimal); shares are fractions 0–1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from danbao.core.registry import Registry
from danbao.regulatory.categories import GuaranteeClass, LoanKind

# Checked for every exposure of the book (hundreds of thousands a run): build the sets once.
_CLASSES = frozenset(GuaranteeClass.values)
_LOAN_KINDS = frozenset(LoanKind.values)


@dataclass(frozen=True)
class Exposure:
    key: str  # stable id of the guarantee, e.g. "guarantee:123"
    party_key: str  # one guaranteed party (单户): credit code or ID number
    party_name: str
    guarantee_class: str  # GuaranteeClass
    loan_balance: Decimal  # outstanding guaranteed principal (在保余额 before risk sharing)
    own_share: Decimal = Decimal(1)  # share the institution bears after the bank's (and others') agreed shares
    reguarantee_share: Decimal = Decimal(0)  # share of the loan re-guaranteed by a re-guarantor / the national fund
    loan_kind: str = LoanKind.OTHER  # LoanKind, for borrowing-type guarantees
    bond_aa_or_better: bool = False  # issuer rated AA or better (AA级以上), for bond guarantees
    group_key: str = ""  # related-party group (关联方) the party belongs to, "" if none
    bank_code: str = ""  # lending bank (branch or head office) code, for credit-line usage
    product_code: str = ""
    channel_code: str = ""
    is_policy: bool = False  # 支小支农 policy business

    def __post_init__(self) -> None:
        if self.guarantee_class not in _CLASSES:
            raise ValueError(f"unknown guarantee class {self.guarantee_class}")
        if self.loan_kind not in _LOAN_KINDS:
            raise ValueError(f"unknown loan kind {self.loan_kind}")
        for name in ("own_share", "reguarantee_share"):
            value = getattr(self, name)
            if not Decimal(0) <= value <= Decimal(1):
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.loan_balance < 0:
            raise ValueError("loan_balance must not be negative")


Source = Callable[[date], Iterable[Exposure]]
sources: Registry[Source] = Registry("exposure sources")


def register_source(name: str, source: Source) -> None:
    sources.register(name, source)


def current(on: date) -> list[Exposure]:
    """Every registered source's in-force exposures on a date."""
    return [exposure for source in sources for exposure in source(on)]
