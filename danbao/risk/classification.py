"""Five-level classification: the nightly suggestion (objective floor by days past due, raised by open
warnings), the risk manager's confirmation or override (maker) and a second person's check (checker).
The final class is never milder than the objective floor; on taking effect the monitoring plan follows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.core.events import security_event
from danbao.ledger.models import Guarantee, GuaranteeState
from danbao.risk import errors, parameters
from danbao.risk.engine import CHUNK, chunks
from danbao.risk.models import Classification, ClassState, Warning, WarningState

CLASSES = ("01", "02", "03", "04", "05")
CLASSIFY, CHECK = "risk.classify", "risk.classification.check"

# Hooks for later apps (compensation, recovery prospects): f(ids, on) -> {guarantee id: (class, reason)}.
RAISERS: list[Callable[[list[int], date], dict[int, tuple[str, str]]]] = []


def register_raiser(func: Callable[[list[int], date], dict[int, tuple[str, str]]]) -> None:
    if func not in RAISERS:
        RAISERS.append(func)


def worse(a: str, b: str) -> str:
    return max(a, b)


def dpd_floor(days: int, floors: dict[str, str]) -> str:
    """The objective minimum class for `days` past due (floors: first day → class)."""
    found = "01"
    for start, code in sorted(((int(k), v) for k, v in floors.items())):
        if days >= start:
            found = worse(found, code)
    return found


def suggestions_run(on: date | None = None, chunk: int = CHUNK) -> int:
    """Create or refresh the pending suggestion of every in-force guarantee; returns how many rows changed."""
    from danbao.ledger.overdue import days_past_due_map
    from danbao.monitoring.models import MonitoringPlan

    on = on or timezone.localdate()
    floors = parameters.value(parameters.CLASS_DPD_FLOORS, on)
    warning_floors = parameters.value(parameters.WARNING_FLOORS, on)
    ids = list(Guarantee.objects.filter(state=GuaranteeState.IN_FORCE).order_by("pk").values_list("pk", flat=True))
    touched = 0
    for batch in chunks(ids, chunk):
        dpd = days_past_due_map(on, batch)
        current = dict(MonitoringPlan.objects.filter(guarantee_id__in=batch).values_list("guarantee_id", "risk_class"))
        levels: dict[int, list[str]] = defaultdict(list)
        for gid, level, code in (
            Warning.objects.filter(guarantee_id__in=batch)
            .exclude(state=WarningState.CLOSED)
            .values_list("guarantee_id", "level", "rule_code")
        ):
            levels[gid].append(f"{level}:{code}")
        raised = [r(batch, on) for r in RAISERS]
        with transaction.atomic():
            pending = {
                c.guarantee_id: c
                for c in Classification.objects.select_for_update(of=("self",)).filter(guarantee_id__in=batch, state=ClassState.SUGGESTED)
            }
            busy = set(
                Classification.objects.filter(guarantee_id__in=batch, state=ClassState.PROPOSED).values_list("guarantee_id", flat=True)
            )
            new, changed = [], []
            for gid in batch:
                if gid in busy:
                    continue
                days = dpd.get(gid, 0)
                floor = dpd_floor(days, floors)
                reasons = [f"逾期 {days} 天，客观底线 {floor}"] if days else []
                suggested = floor
                for item in levels.get(gid, []):
                    level, code = item.split(":", 1)
                    if level in warning_floors:
                        suggested = worse(suggested, warning_floors[level])
                        reasons.append(f"未关闭{level}预警（{code}）→ 至少 {warning_floors[level]}")
                for found in raised:
                    if gid in found:
                        suggested = worse(suggested, found[gid][0])
                        reasons.append(found[gid][1])
                now_class = current.get(gid, "01")
                row = pending.get(gid)
                if row is None:
                    if suggested == now_class and floor <= now_class:
                        continue
                    new.append(
                        Classification(
                            guarantee_id=gid,
                            on_date=on,
                            current_class=now_class,
                            floor_class=floor,
                            suggested_class=suggested,
                            reasons=reasons,
                            days_past_due=days,
                        )
                    )
                elif (row.suggested_class, row.floor_class, row.reasons) != (suggested, floor, reasons):
                    row.on_date, row.current_class, row.floor_class, row.suggested_class, row.reasons, row.days_past_due = (
                        on,
                        now_class,
                        floor,
                        suggested,
                        reasons,
                        days,
                    )
                    changed.append(row)
            Classification.objects.bulk_create(new, batch_size=500)
            Classification.objects.bulk_update(
                changed, ["on_date", "current_class", "floor_class", "suggested_class", "reasons", "days_past_due"], batch_size=500
            )
            touched += len(new) + len(changed)
    return touched


def classification_propose(*, actor: Any, classification: Classification, risk_class: str, reason: str) -> Classification:
    """The maker confirms (same class) or overrides the suggestion; never below the objective floor."""
    if actor is None or not actor.can(CLASSIFY):
        raise errors.PERMISSION_DENIED.error()
    reason = (reason or "").strip()
    if risk_class not in CLASSES:
        raise errors.CLASS_INVALID.error(value=risk_class, field="risk_class")
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    with transaction.atomic():
        c = Classification.objects.select_for_update(of=("self",)).get(pk=classification.pk)
        if c.state != ClassState.SUGGESTED:
            raise errors.CLASS_STATE.error(state=c.get_state_display())
        if risk_class < c.floor_class:
            raise errors.BELOW_FLOOR.error(floor=c.floor_class, field="risk_class")
        c.proposed_class, c.proposed_reason, c.proposed_by, c.proposed_at = risk_class, reason, actor, timezone.now()
        c.state = ClassState.PROPOSED
        c.save()
        security_event(
            "risk.classification_proposed",
            actor=actor,
            object_type="risk.Classification",
            object_id=c.pk,
            reason=reason[:255],
            data={"class": risk_class},
        )
    return c


def classification_check(*, actor: Any, classification: Classification, approve: bool, note: str = "") -> Classification:
    """The checker (a different person) approves — the class takes effect and the monitoring plan follows — or rejects."""
    from danbao.monitoring.selectors import current_class
    from danbao.monitoring.services import plan_replan

    if actor is None or not actor.can(CHECK):
        raise errors.PERMISSION_DENIED.error()
    with transaction.atomic():
        c = Classification.objects.select_for_update(of=("self",)).get(pk=classification.pk)
        if c.state != ClassState.PROPOSED:
            raise errors.CLASS_STATE.error(state=c.get_state_display())
        if c.proposed_by_id == actor.pk:
            raise errors.SAME_PERSON.error()
        if not approve and not (note or "").strip():
            raise errors.NOTE_REQUIRED.error(field="note")
        c.checked_by, c.checked_at, c.check_note = actor, timezone.now(), (note or "").strip()
        if approve:
            c.final_class = worse(c.proposed_class, c.floor_class)
            c.state = ClassState.EFFECTIVE
        else:
            c.state = ClassState.REJECTED
        c.save()
        security_event(
            "risk.classification_checked", actor=actor, object_type="risk.Classification", object_id=c.pk, data={"approve": str(approve)}
        )
        # The monitoring frequency follows the class in the same transaction: both happen or neither.
        if approve and current_class(c.guarantee) != c.final_class:
            plan_replan(
                actor=None, guarantee=c.guarantee, risk_class=c.final_class, reason=f"五级分类生效：{c.proposed_reason}"[:500], on=c.on_date
            )
    return c
