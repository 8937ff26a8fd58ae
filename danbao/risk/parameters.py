"""Dated parameters of early warning and classification, read with `value` (falling back to the
documented default when the parameter was never set up)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

DPD_THRESHOLDS = "risk_warning_dpd_thresholds"  # days past due from which yellow / orange / red
MISSED_THRESHOLDS = "risk_warning_missed_inspections"  # missed inspections from which yellow / orange / red
MATURITY_DAYS = "risk_warning_maturity_days"  # maturity within N days with an overdue history
CLASS_DPD_FLOORS = "risk_classification_dpd_floors"  # regulation.md §10
WARNING_FLOORS = "risk_classification_warning_floors"  # open warning level → minimum class

DEFAULTS: dict[str, Any] = {
    DPD_THRESHOLDS: {"yellow": 1, "orange": 30, "red": 90},
    MISSED_THRESHOLDS: {"yellow": 1, "orange": 2, "red": 3},
    MATURITY_DAYS: 30,
    CLASS_DPD_FLOORS: {"1": "02", "91": "03", "271": "04", "361": "05"},
    WARNING_FLOORS: {"orange": "02", "red": "03"},
}
SEVERITY_LEVEL = {"low": "yellow", "medium": "orange", "high": "red"}


def value(code: str, on: date | None = None) -> Any:
    try:
        found = param_value(code, on)
    except DomainError:
        return DEFAULTS[code]
    if isinstance(found, Decimal):
        return int(found)
    return found
