"""What callers hand the rules: one RuleInput per evaluation, built by the caller (project intake,
approval, guarantee-letter issue, disbursement, or the trial page). Plain data plus two model
references (customer and product version) that the checks read but never change."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from danbao.customers.models.customer import Customer
from danbao.products.models import ProductVersion
from danbao.regulatory.exposures import Exposure


@dataclass(frozen=True)
class RuleInput:
    stage: str  # models.Stage
    on: date  # the business date the rules and parameters are read for
    amount: Decimal  # guarantee amount applied for (yuan)
    term_months: int | None = None
    fee_rate: Decimal | None = None  # annual (or one-off, per the product's basis) rate as a fraction
    product_version: ProductVersion | None = None
    customer: Customer | None = None
    # Defaults from `customer`; given explicitly when there is no customer row yet (trial page, intake).
    customer_kind: str = ""
    industry_code: str = ""
    region_code: str = ""
    party_key: str = ""  # credit code / ID number of the guaranteed party (单户)
    party_name: str = ""
    bank_code: str = ""
    agreement_code: str = ""
    counter_guarantee: Mapping[str, Any] = field(default_factory=dict)
    exposure: Exposure | None = None  # the proposed guarantee as the regulatory metrics see it

    def __post_init__(self) -> None:
        customer = self.customer
        if customer is not None:
            for name, value in (
                ("customer_kind", customer.kind),
                ("industry_code", customer.industry_code),
                ("region_code", customer.region_code),
                ("party_key", customer.identity_code),
                ("party_name", customer.name),
            ):
                if not getattr(self, name):
                    object.__setattr__(self, name, value or "")
        if not self.party_key and self.exposure is not None:
            object.__setattr__(self, "party_key", self.exposure.party_key)

    @property
    def product(self) -> Any:
        return self.product_version.product if self.product_version is not None else None

    def as_json(self) -> dict[str, Any]:
        """The inputs as stored on the evaluation (personal numbers masked)."""
        from danbao.customers.services import mask_value

        def plain(value: Any) -> Any:
            if isinstance(value, (Decimal, date)):
                return str(value)
            return value

        version = self.product_version
        data: dict[str, Any] = {
            "stage": self.stage,
            "on": self.on.isoformat(),
            "amount": str(self.amount),
            "term_months": self.term_months,
            "fee_rate": plain(self.fee_rate),
            "product": (
                {
                    "id": version.product_id,
                    "code": version.product.code,
                    "name": version.product.name,
                    "version": version.number,
                    "version_id": version.pk,
                }
                if version is not None
                else None
            ),
            "customer": (
                {"id": self.customer.pk, "name": self.customer.name, "status": self.customer.status} if self.customer is not None else None
            ),
            "customer_kind": self.customer_kind,
            "industry_code": self.industry_code,
            "region_code": self.region_code,
            "party_key": _mask_party(self.party_key, mask_value),
            "party_name": self.party_name,
            "bank_code": self.bank_code,
            "agreement_code": self.agreement_code,
            "counter_guarantee": {str(k): plain(v) for k, v in self.counter_guarantee.items()},
            "exposure": None,
        }
        if self.exposure is not None:
            exposure = {k: plain(v) for k, v in dataclasses.asdict(self.exposure).items()}
            exposure["party_key"] = _mask_party(self.exposure.party_key, mask_value)
            data["exposure"] = exposure
        return data


def _mask_party(key: str, mask_value: Any) -> str:
    """Credit codes are public registration data; anything else (ID numbers) is masked."""
    from danbao.customers.identity import check_uscc

    if not key:
        return ""
    if check_uscc(key).valid:
        return key
    return mask_value("identity_code", key, "ric")
