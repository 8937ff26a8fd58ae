"""Demo monitoring (step 130, after the ledger step 120 has disbursed the demo guarantees).

Plans for every in-force guarantee through the nightly services (so the demo shows what the job
makes); past inspections mostly done, with reports (accepted, a few waiting for review, one returned
for rework; some with a small generated site photo), about one in eight left overdue; a batch
inspection of one manager's due tasks; a handful of risk events in every state; then tonight's
reminders and escalations. seed_demo runs all steps in one transaction, so rows are written here
directly (the services' durable blocks would refuse) with the same shapes the services write.
Idempotent: the reports, batch and events are made once (skipped when any report exists)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from danbao.core.attachments.services import attachment_add
from danbao.ledger.models import Guarantee, GuaranteeState
from danbao.monitoring import parameters, services
from danbao.monitoring.models import (
    InspectionReport,
    InspectionTask,
    Method,
    ReportState,
    ReportTransition,
    RiskEvent,
    RiskEventEntry,
    RiskEventKind,
    RiskEventState,
    Severity,
    TaskStatus,
)

OVERDUE_EVERY = 8  # one past task in eight is left undone
PHOTO_REPORTS = 8
TEXTS = {
    "operations": "企业正常生产经营，订单饱满，员工稳定；实地查看生产车间与仓库，设备运转正常。",
    "finances": "近三个月银行流水与销售回款基本匹配，应收账款未见异常增长，未发现新增对外担保。",
    "collateral": "抵押房产现状良好，无出租、查封情况；保证人经营及资信状况未见明显变化。",
    "loan_use": "贷款资金用于购买原材料，已核对采购合同及付款凭证，资金用途与约定一致。",
    "risk_signals": "未发现明显风险信号。",
    "conclusion": "企业经营正常，还款来源有保障，建议维持正常类。",
}
FARM_TEXTS = {
    "operations": "集中走访农户，种植/养殖规模与申请时一致，长势良好。",
    "finances": "农户家庭收入主要来自种植/养殖，无民间借贷迹象。",
    "collateral": "保证人（村组联保）情况稳定。",
    "loan_use": "贷款用于购买种苗、饲料及农资，已抽查购买凭证。",
    "risk_signals": "",
}
EVENTS = (
    (RiskEventKind.LITIGATION, Severity.HIGH, "客户被供应商起诉，涉案金额约120万元，法院已受理。", RiskEventState.HANDLING),
    (RiskEventKind.PRODUCTION_HALT, Severity.MEDIUM, "因环保整治停产整改约两周。", RiskEventState.CLOSED),
    (RiskEventKind.KEY_PERSON, Severity.HIGH, "实际控制人因病住院，经营暂由其配偶负责。", RiskEventState.OPEN),
    (RiskEventKind.COLLATERAL_SEIZED, Severity.HIGH, "抵押物被其他债权人申请轮候查封。", RiskEventState.HANDLING),
    (RiskEventKind.ENVIRONMENTAL, Severity.LOW, "养殖场粪污处理设施被环保部门责令限期整改。", RiskEventState.CLOSED),
    (RiskEventKind.OTHER, Severity.LOW, "主要客户回款周期由60天延长至90天。", RiskEventState.OPEN),
)


def _jpeg(seed: int) -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (320, 240), (60 + seed * 17 % 120, 120 + seed * 7 % 100, 70))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return SimpleUploadedFile(f"inspection-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _at(day: dt.date, hour: int = 16) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _reviewer_for(project: Any) -> Any:
    from danbao.workflow.assignees import department_heads

    heads = department_heads(project.department)
    return heads[0] if heads else None


def _reports(today: dt.date) -> tuple[int, int]:
    past = list(
        InspectionTask.objects.filter(status=TaskStatus.OPEN, due_date__lt=today - dt.timedelta(days=2), report__isnull=True)
        .select_related("guarantee__project__department", "assignee")
        .order_by("pk")
    )
    made = photos = 0
    heads: dict[int, Any] = {}
    for index, task in enumerate(past):
        if index % OVERDUE_EVERY == OVERDUE_EVERY - 1:
            continue  # left overdue
        project = task.guarantee.project
        if project.department_id not in heads:
            heads[project.department_id] = _reviewer_for(project)
        reviewer = heads[project.department_id]
        when = max(task.guarantee.start_date, min(task.due_date - dt.timedelta(days=3), today))
        report = InspectionReport.objects.create(
            task=task,
            guarantee=task.guarantee,
            method=(Method.ON_SITE, Method.ON_SITE, Method.PHONE, Method.OFF_SITE)[index % 4],
            inspection_date=when,
            suggested_class="02" if index % 23 == 5 else task.risk_class,
            author=task.assignee,
            **TEXTS,
        )
        if photos < PHOTO_REPORTS and report.method == Method.ON_SITE:
            attachment = attachment_add(actor=task.assignee, owner=report, kind="photo", upload=_jpeg(index), note="现场照片")
            report.photos.create(
                attachment=attachment, caption="生产车间", captured_at=_at(when, 10), capture_source="upload", uploaded_by=task.assignee
            )
            photos += 1
        # Most are accepted; the latest few wait for review; one was returned for rework.
        submitted = _at(when)
        ReportTransition.objects.create(
            report=report, source="draft", target="submitted", action="submit", actor=task.assignee, at=submitted
        )
        state = ReportState.SUBMITTED
        if reviewer is not None and index % 11 != 3:
            state = ReportState.RETURNED if index % 37 == 7 else ReportState.ACCEPTED
            reason = "请补充抵押物现场照片。" if state == ReportState.RETURNED else ""
            action = "return" if state == ReportState.RETURNED else "accept"
            reviewed = submitted + dt.timedelta(days=1)
            ReportTransition.objects.create(
                report=report, source="submitted", target=state, action=action, reason=reason, actor=reviewer, at=reviewed
            )
            report.reviewed_by, report.reviewed_at, report.review_comment = reviewer, reviewed, reason
        report.state, report.submitted_at, report.version = state, submitted, 2
        report.save()
        if state != ReportState.RETURNED:
            InspectionTask.objects.filter(pk=task.pk).update(status=TaskStatus.DONE, done_at=submitted)
        made += 1
    return made, photos


def _batch(today: dt.date) -> int:
    """One manager's open tasks due soon on farmer (policy) guarantees, in one batch."""
    soon = today + dt.timedelta(days=45)
    tasks = list(
        InspectionTask.objects.filter(status=TaskStatus.OPEN, due_date__gte=today, due_date__lte=soon, report__isnull=True)
        .select_related("guarantee__product_version", "assignee")
        .order_by("assignee_id", "due_date")
    )
    by_manager: dict[int, list[InspectionTask]] = {}
    for task in tasks:
        by_manager.setdefault(task.assignee_id, []).append(task)
    if not by_manager:
        return 0
    chosen = max(by_manager.values(), key=len)[:4]
    if len(chosen) < 2:
        return 0
    actor = chosen[0].assignee
    shared = {"method": Method.ON_SITE, "inspection_date": today, **FARM_TEXTS}
    outcomes = {t.pk: ("经营正常，按期付息。", t.risk_class) for t in chosen}
    batch = services.batch_write(actor=actor, tasks=chosen, title=f"{today:%Y年%m月} 集中走访", shared=shared, outcomes=outcomes, on=today)
    return batch.reports.count()


def _events(today: dt.date) -> int:
    guarantees = list(
        Guarantee.objects.filter(state=GuaranteeState.IN_FORCE)
        .select_related("project__manager_a")
        .order_by("-loan_balance", "pk")[: len(EVENTS)]
    )
    made = 0
    for index, (guarantee, (kind, severity, text, state)) in enumerate(zip(guarantees, EVENTS, strict=False)):
        actor = guarantee.project.manager_a
        occurred = max(guarantee.start_date, today - dt.timedelta(days=10 + index * 9))
        event = RiskEvent.objects.create(
            guarantee=guarantee, kind=kind, severity=severity, description=text, occurred_date=occurred, recorded_by=actor
        )
        if state in (RiskEventState.HANDLING, RiskEventState.CLOSED):
            RiskEventEntry.objects.create(
                event=event,
                entry_date=occurred + dt.timedelta(days=2),
                action="走访客户核实情况，约谈实际控制人，要求每周报送经营情况。",
                state_from="open",
                state_to="handling",
                actor=actor,
                at=_at(min(today, occurred + dt.timedelta(days=2))),
            )
        if state == RiskEventState.CLOSED:
            end = min(today, occurred + dt.timedelta(days=8))
            conclusion = "情况已消除，企业恢复正常经营，风险可控。"
            RiskEventEntry.objects.create(
                event=event, entry_date=end, action=conclusion, state_from="handling", state_to="closed", actor=actor, at=_at(end)
            )
            event.conclusion, event.closed_by, event.closed_at = conclusion, actor, _at(end)
        event.state = state
        event.save()
        made += 1
    return made


def seed(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    parameters.ensure_parameters()
    plans = services.plans_create_missing(today)
    tasks = services.tasks_generate(today)
    reports = photos = batch = events = 0
    if not InspectionReport.objects.exists():
        reports, photos = _reports(today)
        batch = _batch(today)
        events = _events(today)
    reminded = services.tasks_remind(today)
    overdue = InspectionTask.objects.filter(status=TaskStatus.OPEN, due_date__lt=today).count()
    return (
        f"{plans} plans, {tasks} tasks; {reports} reports ({photos} with photos), batch of {batch}, {events} risk events; "
        f"{overdue} overdue, {reminded['escalated']} escalated"
    )
