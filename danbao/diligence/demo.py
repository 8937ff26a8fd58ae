"""Demo due diligence (step 95, after the projects step): reports for the demo projects.

Projects in due diligence get a draft report (as their A-role would have started it).
Projects already past due diligence (risk review and later) get the history they must have had: a
report signed by the A-role and confirmed by the B-role before the project went to risk review, the
required materials waived by the B-role ("演示数据"), one site visit. Rows are written directly, with
their historical timestamps: the services act on the present in their own durable transactions,
which `seed_demo`'s single enclosing transaction refuses. Idempotent: a project with a
report is left alone; no demo projects → nothing to do."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from danbao.diligence import services
from danbao.diligence.models import DiligenceMaterial, DiligenceReport, ReportState, ReportTransition, SiteVisit
from danbao.projects.models import Project, ProjectState

PAST_DILIGENCE = (ProjectState.RISK_REVIEW, ProjectState.APPROVING, ProjectState.RETURNED, ProjectState.APPROVED, ProjectState.REJECTED)

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


def _review_moment(project: Project) -> dt.datetime:
    move = project.transitions.filter(action="submit_review").order_by("at").first()
    return move.at if move else (project.state_changed_at or timezone.now())


@transaction.atomic
def _seed_confirmed(project: Project) -> None:
    at = _review_moment(project)
    a, b = project.manager_a, project.manager_b
    signed_at, confirmed_at = at - dt.timedelta(days=2), at - dt.timedelta(days=1)
    services.materials_sync(project)
    DiligenceMaterial.objects.filter(project=project, required=True, waived=False).update(
        waived=True, waive_reason="演示数据：材料已线下核验", waived_by=b, waived_at=confirmed_at
    )
    visit = SiteVisit.objects.create(
        project=project,
        visit_date=timezone.localtime(signed_at).date() - dt.timedelta(days=1),
        place=f"{project.customer.name} 经营场所",
        notes="实地查看生产经营场所，设备运转正常，库存与账面基本一致。",
        other_participants="企业负责人",
        created_by=a,
    )
    visit.participants.set([a, b])
    report = DiligenceReport.objects.create(
        project=project,
        number=1,
        created_by=a,
        proposed_amount=project.amount,
        proposed_term_months=project.term_months,
        proposed_fee_rate=project.fee_rate,
        a_signed_by=a,
        a_signed_at=signed_at,
        b_confirmed_by=b,
        b_confirmed_at=confirmed_at,
        b_opinion="经独立核实，同意A角调查结论。",
        **TEXT,
    )
    from danbao.diligence.selectors import customer_facts

    report.snapshot = customer_facts(project.customer)
    report.state = ReportState.CONFIRMED
    report.save(update_fields=["snapshot", "state"])
    ReportTransition.objects.create(
        report=report, source=ReportState.DRAFT, target=ReportState.A_SIGNED, action="sign", actor=a, at=signed_at
    )
    ReportTransition.objects.create(
        report=report, source=ReportState.A_SIGNED, target=ReportState.CONFIRMED, action="confirm", actor=b, at=confirmed_at
    )


@transaction.atomic
def _seed_draft(project: Project) -> None:
    """What `report_start` and a first save would leave (written directly: seed_demo runs inside one
    transaction, where the entry services' durable blocks are refused)."""
    services.materials_sync(project)
    report = DiligenceReport.objects.create(
        project=project,
        number=1,
        created_by=project.manager_a,
        proposed_amount=project.amount,
        proposed_term_months=project.term_months,
        proposed_fee_rate=project.fee_rate,
        company_basics=TEXT["company_basics"],
        operations=TEXT["operations"],
    )
    report.full_clean(exclude=["project", "previous", "created_by", "a_signed_by", "b_confirmed_by"])


def seed() -> str:
    projects = Project.objects.select_related("customer", "manager_a", "manager_b", "product_version").order_by("id")
    if not projects.exists():
        return "no projects yet (projects demo not loaded): skipped"
    started = confirmed = 0
    for project in projects.filter(diligence_reports__isnull=True):
        if project.state == ProjectState.DUE_DILIGENCE:
            _seed_draft(project)
            started += 1
        elif project.state in PAST_DILIGENCE:
            _seed_confirmed(project)
            confirmed += 1
    return f"{confirmed} confirmed reports, {started} drafts"
