"""Demo due diligence, called by the projects demo through its hooks (`projects.demo_hooks`) at the
moment the project reaches that step of its back-dated history:

- `diligence_started`: the A-role's draft report and the product's materials checklist;
- `before_review`: the report completed, signed by the A-role and confirmed by the B-role, the
  required materials waived by the B-role ("演示数据"), one site visit — all between the start of due
  diligence (or the risk manager's return) and now, so `review_submit_check` lets the project go to
  risk review as it would for a person. A project returned after confirmation gets a new version
  (the old one superseded), as `report_reopen` does.

Rows are written directly with the demo clock's times: the services open their own durable
transactions and audit each keystroke, too slow for ~300 projects inside `seed_demo`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from danbao.diligence import services
from danbao.diligence.models import DiligenceMaterial, DiligenceReport, ReportState, ReportTransition, SiteVisit
from danbao.projects.models import Project

TEXT = {
    "company_basics": "企业成立以来经营稳定，股权结构清晰，实际控制人从业经验丰富。",
    "operations": "主营业务与所在县域特色产业相关，上下游客户稳定，订单可查。",
    "financial_comment": "近三年资产负债率保持在合理区间，收入与利润基本稳定，经营性现金流为正。",
    "credit_comment": "企业及实际控制人征信无不良记录，无逾期。",
    "related_comment": "关联方已逐一核实，无对外担保，无关联交易异常。",
    "counter_guarantee_plan": "实际控制人夫妇提供连带责任保证；必要时追加房产抵押。",
    "risk_points": "主要风险为行业季节性波动；通过按季回访和回款账户监控缓释。",
    "conclusion": "经实地调查，企业经营正常，第一还款来源充足，建议同意担保。",
    "recommendation": "recommend",
    "proposed_conditions": "放款前完成反担保手续。",
}


_FACTS: dict[tuple[int, object], dict[str, object]] = {}


def _facts(customer: object, signed_at: dt.datetime) -> dict[str, object]:
    """The customer's facts for the signing snapshot, read once per customer version (the demo signs
    several reports of the same customers; the figures do not change while it runs)."""
    from danbao.diligence.selectors import customer_facts

    key = (customer.pk, customer.updated_at)  # type: ignore[attr-defined]
    if key not in _FACTS:
        if len(_FACTS) > 2000:
            _FACTS.clear()
        _FACTS[key] = customer_facts(customer)
    return {**_FACTS[key], "taken_at": timezone.localtime(signed_at).strftime("%Y-%m-%d %H:%M")}


def _since(project: Project, report: DiligenceReport | None) -> dt.datetime:
    """When the work to be recorded began: the last return from risk review, else the report's start,
    else the start of due diligence."""
    moves = project.transitions.filter(target="due_diligence").order_by("-at").first()
    begun = moves.at if moves else project.state_changed_at
    if report is not None and report.created_at > begun:
        begun = report.created_at
    return begun


@transaction.atomic
def diligence_started(project: Project) -> None:
    """What `report_start` and a first save would leave: a draft with two sections, the checklist."""
    if DiligenceReport.objects.filter(project=project).exists():
        return
    services.materials_sync(project)
    DiligenceReport.objects.create(
        project=project,
        number=1,
        created_by=project.manager_a,
        proposed_amount=project.amount,
        proposed_term_months=project.term_months,
        proposed_fee_rate=project.fee_rate,
        company_basics=TEXT["company_basics"],
        operations=TEXT["operations"],
    )


@transaction.atomic
def before_review(project: Project) -> None:
    """Complete, sign and confirm the current report (a new version if the project came back after a
    confirmation), waive what is missing, record a visit — timed between `_since` and now."""
    from danbao.diligence.selectors import current_report, returned_after_confirmation

    report = current_report(project)
    if report is not None and report.state == ReportState.CONFIRMED and not returned_after_confirmation(project, report):
        return
    a, b = project.manager_a, project.manager_b
    begun, now = _since(project, report), timezone.now()
    step = (now - begun) / 5
    reopened_at, visited_at, signed_at, confirmed_at = begun + step, begun + 2 * step, begun + 3 * step, begun + 4 * step
    previous = None
    if report is not None and report.state == ReportState.CONFIRMED:
        ReportTransition.objects.create(
            report=report,
            source=ReportState.CONFIRMED,
            target=ReportState.SUPERSEDED,
            action="reopen",
            reason="风险审查退回补充，补充银行流水和主要合同",
            actor=a,
            at=reopened_at,
        )
        report.state, report.is_current = ReportState.SUPERSEDED, False
        report.save(update_fields=["state", "is_current", "updated_at"])
        previous, report = report, None
    if report is None:
        report = DiligenceReport.objects.create(
            project=project,
            number=previous.number + 1 if previous else 1,
            previous=previous,
            created_by=a,
            reopen_reason="风险审查退回补充，补充银行流水和主要合同" if previous else "",
        )
        report.created_at = reopened_at  # saved with the rest below
    services.materials_sync(project)
    DiligenceMaterial.objects.filter(project=project, required=True, waived=False).update(
        waived=True, waive_reason="演示数据：材料已线下核验", waived_by=b, waived_at=confirmed_at
    )
    visit = SiteVisit.objects.create(
        project=project,
        visit_date=timezone.localtime(visited_at).date(),
        place=f"{project.customer.name} 经营场所",
        notes="实地查看生产经营场所，设备运转正常，库存与账面基本一致。",
        other_participants="企业负责人",
        created_by=a,
    )
    visit.participants.set([a, b])
    SiteVisit.objects.filter(pk=visit.pk).update(created_at=visited_at)
    for field, text in TEXT.items():
        setattr(report, field, text)
    report.proposed_amount, report.proposed_term_months = project.amount, project.term_months
    report.proposed_fee_rate = project.fee_rate
    report.snapshot = _facts(project.customer, signed_at)
    report.a_signed_by, report.a_signed_at = a, signed_at
    report.b_confirmed_by, report.b_confirmed_at = b, confirmed_at
    report.b_opinion = "经独立核实，同意A角调查结论。"
    report.state = ReportState.CONFIRMED
    report.save()
    ReportTransition.objects.create(
        report=report, source=ReportState.DRAFT, target=ReportState.A_SIGNED, action="sign", actor=a, at=signed_at
    )
    ReportTransition.objects.create(
        report=report, source=ReportState.A_SIGNED, target=ReportState.CONFIRMED, action="confirm", actor=b, at=confirmed_at
    )
