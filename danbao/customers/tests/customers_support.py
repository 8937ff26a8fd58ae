"""Helpers for the customer profile tests: valid codes and a customer made through the service."""

from __future__ import annotations

import random
from typing import Any

from danbao.customers.demo import make_ric, make_uscc
from danbao.customers.services import customer_create

_rng = random.Random(7)  # noqa: S311 - test data


def new_uscc(prefix: str = "91", region: str = "430102") -> str:
    return make_uscc(_rng, prefix, region)


def new_ric(region: str = "110105", **kwargs: Any) -> str:
    return make_ric(_rng, region, **kwargs)


def make_customer(manager: Any, *, kind: str = "enterprise", actor: Any = None, **fields: Any) -> Any:
    """A customer managed by `manager` in the manager's department (created as a system task)."""
    organisation = kind in ("enterprise", "individual_business", "family_farm", "cooperative")
    defaults: dict[str, Any] = {
        "name": "长沙市金禾农业科技有限公司" if organisation else "张三",
        "identity_code": new_uscc() if organisation else new_ric(),
        "department": manager.department,
        "manager": manager,
        "mobile": "13800000011",
    }
    defaults.update(fields)
    return customer_create(actor=actor, kind=kind, **defaults)
