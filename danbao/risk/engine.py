"""The nightly early-warning job. Each rule answers, for a chunk of guarantee ids, the guarantees whose
signal is present with its level and reason — a fixed number of queries per chunk whatever its size.
The job then opens new warnings (never a duplicate: one not closed per guarantee and rule, also a DB
constraint), updates levels (logged) and auto-closes warnings whose signal disappeared."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from danbao.ledger.models import Guarantee, GuaranteeState
from danbao.risk import parameters
from danbao.risk.models import LEVEL_RANK, Level, Warning, WarningLog, WarningRun, WarningState

CHUNK = 2000


@dataclass(frozen=True)
class Signal:
    level: str
    reason: str


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    evaluate: Callable[[list[int], date], dict[int, Signal]]


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    RULES[rule.code] = rule


def level_for(figure: int, thresholds: dict[str, Any]) -> str | None:
    """The most severe level whose threshold `figure` reaches (None below yellow)."""
    found = None
    for level in ("yellow", "orange", "red"):
        if figure >= int(thresholds[level]):
            found = level
    return found


# --- rules ----------------------------------------------------------------------------------------


def _dpd(ids: list[int], on: date) -> dict[int, Signal]:
    from danbao.ledger.overdue import days_past_due_map

    thresholds = parameters.value(parameters.DPD_THRESHOLDS, on)
    out = {}
    for pk, days in days_past_due_map(on, ids).items():
        level = level_for(days, thresholds)
        if level:
            out[pk] = Signal(level, f"逾期 {days} 天（黄色≥{thresholds['yellow']}，橙色≥{thresholds['orange']}，红色≥{thresholds['red']}）")
    return out


def _missed(ids: list[int], on: date) -> dict[int, Signal]:
    from danbao.monitoring.models import InspectionTask, TaskStatus

    thresholds = parameters.value(parameters.MISSED_THRESHOLDS, on)
    rows = (
        InspectionTask.objects.filter(guarantee_id__in=ids, status=TaskStatus.OPEN, due_date__lt=on)
        .values("guarantee_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = {}
    for row in rows:
        level = level_for(row["n"], thresholds)
        if level:
            out[row["guarantee_id"]] = Signal(level, f"保后检查逾期未完成 {row['n']} 次")
    return out


def _events(ids: list[int], on: date) -> dict[int, Signal]:
    from danbao.monitoring.models import RiskEvent, RiskEventState

    found: dict[int, list[str]] = defaultdict(list)
    for gid, severity in (
        RiskEvent.objects.filter(guarantee_id__in=ids).exclude(state=RiskEventState.CLOSED).values_list("guarantee_id", "severity")
    ):
        found[gid].append(severity)
    out = {}
    for gid, severities in found.items():
        level = max((parameters.SEVERITY_LEVEL.get(s, "yellow") for s in severities), key=lambda lv: LEVEL_RANK[lv])
        out[gid] = Signal(level, f"未关闭的风险事件 {len(severities)} 件")
    return out


def _maturity(ids: list[int], on: date) -> dict[int, Signal]:
    """Maturity within N days while an instalment was ever paid late or is unpaid now."""
    from django.db.models import F, Q

    from danbao.ledger.models import ScheduleLine

    days = int(parameters.value(parameters.MATURITY_DAYS, on))
    near = dict(
        Guarantee.objects.filter(pk__in=ids, maturity_date__gte=on, maturity_date__lte=on + timedelta(days=days)).values_list(
            "pk", "maturity_date"
        )
    )
    if not near:
        return {}
    late = (
        ScheduleLine.objects.filter(loan__guarantee_id__in=list(near), due_date__lt=on)
        .filter(Q(settled_on__isnull=True) | Q(settled_on__gt=F("due_date")))
        .values_list("loan__guarantee_id", flat=True)
        .distinct()
    )
    return {gid: Signal(Level.ORANGE, f"{near[gid]:%Y-%m-%d} 到期（{days} 天内），有逾期记录") for gid in set(late)}


register(Rule("dpd", "逾期天数", _dpd))
register(Rule("missed_inspection", "保后检查逾期", _missed))
register(Rule("risk_event", "未关闭风险事件", _events))
register(Rule("maturity_overdue", "临近到期且有逾期记录", _maturity))


# --- the job --------------------------------------------------------------------------------------


def _owners(ids: list[int]) -> dict[int, int | None]:
    return dict(Guarantee.objects.filter(pk__in=ids).values_list("pk", "project__manager_a_id"))


def _apply(ids: list[int], on: date, stats: Counter) -> None:
    signals = {code: rule.evaluate(ids, on) for code, rule in RULES.items()}
    owners = _owners(ids)
    with transaction.atomic():
        existing = {
            (w.guarantee_id, w.rule_code): w
            for w in Warning.objects.select_for_update(of=("self",)).filter(guarantee_id__in=ids).exclude(state=WarningState.CLOSED)
        }
        new, logs, changed = [], [], []
        for code, found in signals.items():
            for gid, signal in found.items():
                warning = existing.pop((gid, code), None)
                if warning is None:
                    new.append(
                        Warning(
                            guarantee_id=gid,
                            rule_code=code,
                            level=signal.level,
                            reason=signal.reason[:500],
                            owner_id=owners.get(gid),
                            opened_on=on,
                        )
                    )
                elif warning.level != signal.level or warning.reason != signal.reason:
                    if warning.level != signal.level:
                        logs.append(
                            WarningLog(warning=warning, action="level", from_level=warning.level, to_level=signal.level, note=signal.reason)
                        )
                        stats["changed"] += 1
                    warning.level, warning.reason = signal.level, signal.reason[:500]
                    changed.append(warning)
        for warning in existing.values():  # signal gone: auto-close
            warning.state, warning.auto_closed, warning.closed_at = WarningState.CLOSED, True, timezone.now()
            warning.close_note = "信号消失，系统自动关闭"
            changed.append(warning)
            logs.append(WarningLog(warning=warning, action="auto_close", note=warning.close_note))
            stats["closed"] += 1
        Warning.objects.bulk_update(
            changed, ["level", "reason", "state", "auto_closed", "closed_at", "close_note", "updated_at"], batch_size=500
        )
        created = Warning.objects.bulk_create(new, batch_size=500)
        if created and created[0].pk is None:  # backends without RETURNING
            keys = {(w.guarantee_id, w.rule_code) for w in new}
            created = [
                w
                for w in Warning.objects.filter(guarantee_id__in=ids, state=WarningState.OPEN, opened_on=on)
                if (w.guarantee_id, w.rule_code) in keys
            ]
        logs += [WarningLog(warning=w, action="open", to_level=w.level, note=w.reason) for w in created]
        WarningLog.objects.bulk_create(logs, batch_size=500)
        stats["created"] += len(created)
        stats["evaluated"] += len(ids)
        _notify([w for w in created if w.level in (Level.RED, Level.ORANGE)])


def _notify(warnings: list[Warning]) -> None:
    """Tell the owners of new red/orange warnings, after the chunk commits."""
    from functools import partial

    for w in warnings:
        if w.owner_id:
            context = {"level": str(w.get_level_display()), "reason": w.reason}
            transaction.on_commit(partial(_send, w.owner_id, context, f"/risk/warnings/{w.pk}/"))
    if warnings:
        Warning.objects.filter(pk__in=[w.pk for w in warnings if w.owner_id]).update(notified_at=timezone.now())


def _send(user_id: int, context: dict[str, Any], link: str) -> None:
    from danbao.notifications.services import notify
    from danbao.org.models import User

    users = list(User.objects.filter(pk=user_id, is_active=True))
    if users:
        with transaction.atomic():
            notify(users=users, kind="risk.warning_new", context=context, link=link)


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterable[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def warnings_run(on: date | None = None, chunk: int = CHUNK) -> WarningRun:
    """Evaluate every rule over the in-force guarantees; warnings of guarantees no longer in force close."""
    on = on or timezone.localdate()
    run = WarningRun.objects.create(on_date=on)
    stats: Counter = Counter()
    ids = list(Guarantee.objects.filter(state=GuaranteeState.IN_FORCE).order_by("pk").values_list("pk", flat=True))
    for batch in chunks(ids, chunk):
        _apply(batch, on, stats)
    stale = list(
        Warning.objects.exclude(state=WarningState.CLOSED)
        .exclude(guarantee__state=GuaranteeState.IN_FORCE)
        .values_list("guarantee_id", flat=True)
        .distinct()
    )
    for batch in chunks(stale, chunk):
        with transaction.atomic():
            gone = list(Warning.objects.select_for_update(of=("self",)).filter(guarantee_id__in=batch).exclude(state=WarningState.CLOSED))
            for w in gone:
                w.state, w.auto_closed, w.closed_at, w.close_note = WarningState.CLOSED, True, timezone.now(), "担保已解除，系统自动关闭"
            Warning.objects.bulk_update(gone, ["state", "auto_closed", "closed_at", "close_note"])
            WarningLog.objects.bulk_create([WarningLog(warning=w, action="auto_close", note=w.close_note) for w in gone])
            stats["closed"] += len(gone)
    WarningRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), **{k: stats[k] for k in ("evaluated", "created", "changed", "closed")}
    )
    run.refresh_from_db()
    return run
