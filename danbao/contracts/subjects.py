"""Contracts that higher apps need for a project, besides the two every project has (the entrusted
guarantee contract with the customer and the guarantee contract with the bank).

The counter-guarantee app registers a provider that yields one subject per counter-guarantee measure
that needs a contract (保证 / 抵押 / 质押反担保合同); the contracts page lists them, generates them from
the template of their kind with the subject's extra placeholders (collateral lists…), and records
`subject_key` on the contract so the provider's app can read back its signing state
(`contracts.selectors.contract_for_subject`).

`kind` is one of `counter_guarantee` (保证反担保), `counter_mortgage` (抵押反担保), `counter_pledge`
(质押反担保). `party_name` / `party_id_code` fill {{反担保人名称}} / {{反担保人证件号码}}.

Keys of `context` the contracts app reads (all optional; anything else is ignored):
- `party_address` (str): {{反担保人住所}}.
- `collateral` (list of dicts): the rows of the {{抵押物清单}} / {{质押物清单}} table and the total
  {{担保物价值合计}} / {{担保物价值合计大写}}. Row keys: `name` (名称), `owner` (权属人, co-owners
  joined), `certificate` (权证/凭证号), `location` (坐落/存放地), `value` (评估价值 in yuan: Decimal,
  int or a numeric string, thousands separators allowed), `note` (备注, e.g. 顺位). Missing keys print empty.

A provider must be cheap and side-effect free: it is called for every contracts page, readiness
check and generation of the project.
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
