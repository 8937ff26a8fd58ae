"""Contracts that higher apps need for a project, besides the two every project has (the entrusted
guarantee contract with the customer and the guarantee contract with the bank).

The counter-guarantee app registers a provider that yields one subject per counter-guarantee measure
that needs a contract (保证 / 抵押 / 质押反担保合同); the contracts page lists them, generates them from
the template of their kind with the subject's extra placeholders (collateral lists…), and records
`subject_key` on the contract so the provider's app can read back its signing state
(`contracts.selectors.contract_for_subject`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from danbao.core.registry import Registry


@dataclass(frozen=True)
class ContractSubject:
    key: str  # stable id of what the contract is for, e.g. "securities.measure:12"
    kind: str  # a contracts template kind, e.g. "counter_mortgage"
    title: str  # shown on the contracts page, e.g. "抵押反担保合同 — 张三 房产"
    party_name: str  # the counterparty who signs (guarantor, mortgagor, pledgor)
    party_id_code: str = ""  # printed in the contract only, never in lists
    context: dict[str, Any] = field(default_factory=dict)  # extra placeholders (collateral list, amounts…)


Provider = Callable[[Any], Iterable[ContractSubject]]  # project -> subjects
providers: Registry[Provider] = Registry("contract subjects")


def register_provider(name: str, provider: Provider) -> None:
    providers.register(name, provider)


def subjects_for(project: Any) -> list[ContractSubject]:
    return [subject for provider in providers for subject in provider(project)]
