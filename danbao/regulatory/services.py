"""Regulatory writes (finance inputs) and the what-if check other apps call before they commit.

`what_if` is read-only: products, partners and rules call it with a proposed guarantee and get the
before/after leverage and concentration, the limits, headroom, breaches with Chinese reasons and
the parameter values used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from danbao.core.events import security_event
from danbao.regulatory import calculations as calc
from danbao.regulatory import errors, params
from danbao.regulatory import exposures as exposure_registry
from danbao.regulatory.exposures import Exposure
from danbao.regulatory.metrics import adjusted_net_assets, asset_inputs
from danbao.regulatory.models import AMOUNT_FIELDS, SECTIONS, FinanceInput
from danbao.regulatory.selectors import finance_input_for, month_start

MANAGE = "regulatory.inputs.manage"
LABELS = {name: label for _key, _title, fields in SECTIONS for name, label in fields}


# --- Finance inputs -----------------------------------------------------------------------------


def _check(actor: Any, code: str) -> None:
    if actor is None or not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def _validate(period: date, amounts: dict[str, Decimal], today: date) -> None:
    if period > month_start(today):
        raise errors.PERIOD_IN_FUTURE.error(period=period.strftime("%Y-%m"), field="period")
    for name in AMOUNT_FIELDS:
        if amounts.get(name, Decimal(0)) < 0:
            raise errors.NEGATIVE_AMOUNT.error(label=str(LABELS[name]), field=name)
    record = FinanceInput(period=period, **{k: amounts.get(k, Decimal(0)) for k in AMOUNT_FIELDS})
    ratios = calc.compute_asset_ratios(asset_inputs(record), calc.AssetRatioParams())
    if ratios.unclassified < 0:
        levels = ratios.level1 + ratios.level2 + ratios.level3
        raise errors.LEVELS_EXCEED_BASE.error(levels=f"{levels:,.2f}", base=f"{ratios.base:,.2f}", field="total_assets_amount")


def _snapshot(record: FinanceInput) -> dict[str, str]:
    return {name: str(getattr(record, name)) for name in AMOUNT_FIELDS}


@transaction.atomic
def finance_input_save(
    *,
    actor: Any,
    period: date,
    amounts: dict[str, Decimal],
    note: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> FinanceInput:
    """Enter or correct the month-end figures of `period` (any day of the month names it).

    A correction of an existing month needs the version the form was built from (optimistic lock)
    and a reason in `note`; the earlier figures stay in the history. Saving identical figures
    changes nothing (a retried post is harmless).
    """
    _check(actor, MANAGE)
    today = today or timezone.localdate()
    period = month_start(period)
    amounts = {k: Decimal(v if v is not None else 0) for k, v in amounts.items() if k in AMOUNT_FIELDS}
    _validate(period, amounts, today)
    note = (note or "").strip()[:500]
    current = FinanceInput.objects.select_for_update().filter(period=period).first()
    if current is None:
        record = FinanceInput(period=period, note=note, created_by=actor, updated_by=actor, **amounts)
        record._history_user = actor  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise errors.STALE.error() from None  # someone entered the same month at the same moment
        security_event(
            "regulatory.finance_input_saved",
            actor=actor,
            object_type="regulatory.FinanceInput",
            object_id=record.pk,
            data={"period": period.isoformat(), "action": "created", "after": _snapshot(record)},
        )
        return record
    if expected_version is not None and current.version != int(expected_version):
        raise errors.STALE.error()
    before = _snapshot(current)
    for name, value in amounts.items():
        setattr(current, name, value)
    after = _snapshot(current)
    changed = sorted(k for k in after if Decimal(after[k]) != Decimal(before[k]))
    if not changed:
        return current
    if not note:
        raise errors.REASON_REQUIRED.error(field="note")
    current.note = note
    current.version += 1
    current.updated_by = actor
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    security_event(
        "regulatory.finance_input_saved",
        actor=actor,
        object_type="regulatory.FinanceInput",
        object_id=current.pk,
        reason=note[:64],
        data={
            "period": period.isoformat(),
            "action": "corrected",
            "fields": changed,
            "before": {k: before[k] for k in changed},
            "after": {k: after[k] for k in changed},
        },
    )
    return current


# --- What-if ------------------------------------------------------------------------------------


@dataclass
class WhatIfResult:
    """A proposed guarantee against the limits on a date. Amounts in yuan; ratios as fractions."""

    on: date
    proposed: Exposure
    complete: bool  # False when net assets are unknown (no finance input): ratios cannot be computed
    finance_period: date | None
    book_net_assets: Decimal | None
    net_assets: Decimal | None  # adjusted per net_assets_deduct_equity_in_guarantors
    proposed_liability: Decimal  # the proposal's own 融资担保责任余额 (after the household re-test)
    leverage_before: calc.LimitCheck | None
    leverage_after: calc.LimitCheck | None
    leverage_cap_before: Decimal
    leverage_cap_after: Decimal
    eligible_15x_before: bool
    eligible_15x_after: bool
    single_before: calc.LimitCheck | None
    single_after: calc.LimitCheck | None
    group_before: calc.LimitCheck | None
    group_after: calc.LimitCheck | None
    limits: dict[str, Decimal]
    breaches: list[calc.Breach] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    parameters: list[params.ParamChoice] = field(default_factory=list)
    exposures_registered: bool = True

    @property
    def ok(self) -> bool:
        return self.complete and not self.breaches

    @property
    def headroom(self) -> dict[str, Decimal | None]:
        """Remaining room after the proposal (negative = breach by that much)."""
        return {
            "leverage": self.leverage_after.headroom if self.leverage_after else None,
            "single": self.single_after.headroom if self.single_after else None,
            "group": self.group_after.headroom if self.group_after else None,
        }


def what_if(*, proposed: Exposure, on: date | None = None, related_party_keys: frozenset[str] = frozenset()) -> WhatIfResult:
    """Leverage, single-party and related-group concentration before and after adding `proposed`.

    The group is the exposures carrying `proposed.group_key` plus, optionally, the parties named in
    `related_party_keys` (identity codes of the party's related parties). Without month-end finance
    figures the result is incomplete (`complete=False`, with a warning) and lists no breach.
    """
    on = on or timezone.localdate()
    weights = params.load_weights(on)
    limits = params.load_limits(on)
    existing = exposure_registry.current(on)
    record = finance_input_for(on)
    net = adjusted_net_assets(record, limits)
    comparison = calc.compute_what_if(
        existing,
        proposed,
        net_assets=net if net is not None else Decimal(0),
        related_party_keys=related_party_keys,
        weights=weights,
        limits=limits,
    )
    before, after = comparison.before, comparison.after
    own_after = next((i.liability for i in after.table.items if i.exposure is proposed), Decimal(0))
    result = WhatIfResult(
        on=on,
        proposed=proposed,
        complete=net is not None,
        finance_period=record.period if record else None,
        book_net_assets=record.net_assets_amount if record else None,
        net_assets=net,
        proposed_liability=own_after,
        leverage_before=before.leverage if net is not None else None,
        leverage_after=after.leverage if net is not None else None,
        leverage_cap_before=before.leverage_cap,
        leverage_cap_after=after.leverage_cap,
        eligible_15x_before=before.eligibility.eligible,
        eligible_15x_after=after.eligibility.eligible,
        single_before=before.party if net is not None else None,
        single_after=after.party if net is not None else None,
        group_before=before.group if net is not None else None,
        group_after=after.group if net is not None else None,
        limits={
            "leverage_cap": after.leverage_cap,
            "leverage_cap_normal": limits.leverage_cap_normal,
            "leverage_cap_small_agri": limits.leverage_cap_small_agri,
            "concentration_single": limits.concentration_single,
            "concentration_related": limits.concentration_related,
        },
        parameters=params.choices_used(params.LEVERAGE_CHOICE_CODES, on),
        exposures_registered=len(exposure_registry.sources) > 0,
    )
    if net is None:
        result.warnings.append("尚未录入财务月报数据（净资产），无法测算放大倍数和集中度；请财务人员先录入月末数据。")
    else:
        result.breaches = comparison.breaches
        if before.eligibility.eligible and not after.eligibility.eligible:
            result.warnings.append("新增该笔担保后，小微和三农业务占比将不再满足 15 倍放大倍数的认定条件，上限回到 10 倍。")
    if not result.exposures_registered:
        result.warnings.append("系统中尚无在保业务数据来源，测算仅包含本笔拟担保业务。")
    return result
