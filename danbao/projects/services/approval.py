"""Due-diligence hand-offs, the risk review (风险审查), the approval flow and its executors, and the
final approver's terms (批复条款).

The approval flow is the workflow flow type "project.approval" (registered in apps.ready); the
product version's approval band picks the flow definition by amount. Executors run inside the
engine's deciding transaction and move the project with `by_flow=True`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danbao.projects import errors, lifecycle
from danbao.projects.models import Project, ProjectState, ProjectTerms, RiskOpinion, RiskRecommendation
from danbao.projects.services.common import (
    APPROVAL_FLOW_TYPE,
    INTAKE,
    LETTER_NUMBERING,
    REVIEW,
    audit,
    is_manager,
    lock,
    now,
    numbering_ensure,
    require,
)

# Checks run before a project goes to risk review (the due-diligence part appends its own:
# report signed by A and B, materials uploaded or waived). Each raises DomainError to refuse.
REVIEW_SUBMIT_CHECKS: list[Callable[[Project, Any], None]] = []


def _scoped(actor: Any, project: Project) -> None:
    from danbao.projects.selectors import project_in_scope

    if not project_in_scope(actor, project):
        raise errors.PERMISSION_DENIED.error()


def _a_manager(actor: Any, project: Project) -> None:
    if actor.pk != project.manager_a_id:
        raise errors.NOT_MANAGER.error()


def project_diligence_start(*, actor: Any, project: Project) -> Project:
    """The A-role manager starts due diligence on an accepted project."""
    require(actor, INTAKE)
    with transaction.atomic(durable=True):
        project = lock(project)
        _a_manager(actor, project)
        lifecycle.move(project, ProjectState.DUE_DILIGENCE, actor=actor)
        audit("project.diligence_started", actor, project)
    return project


def project_review_submit(*, actor: Any, project: Project, comment: str = "") -> Project:
    """The A-role manager hands the project to risk review once diligence is complete."""
    require(actor, INTAKE)
    with transaction.atomic(durable=True):
        project = lock(project)
        _a_manager(actor, project)
        if project.state != ProjectState.DUE_DILIGENCE:
            raise errors.TRANSITION_NOT_ALLOWED.error(source=ProjectState(project.state).label, target=ProjectState.RISK_REVIEW.label)
        for check in REVIEW_SUBMIT_CHECKS:
            check(project, actor)
        lifecycle.move(project, ProjectState.RISK_REVIEW, actor=actor, reason=comment)
        audit("project.review_submitted", actor, project)
    return project


def _reviewer(actor: Any, project: Project) -> None:
    require(actor, REVIEW)
    if is_manager(actor, project) or actor.pk == project.created_by_id:
        raise errors.REVIEWER_IS_MANAGER.error()
    _scoped(actor, project)


def project_review_return(*, actor: Any, project: Project, reason: str) -> Project:
    """退回补充: the risk manager sends the project back to due diligence with a reason."""
    with transaction.atomic(durable=True):
        project = lock(project)
        _reviewer(actor, project)
        lifecycle.move(project, ProjectState.DUE_DILIGENCE, actor=actor, reason=reason)
        audit("project.review_returned", actor, project, reason=reason)
    return project


def project_approval_submit(
    *,
    actor: Any,
    project: Project,
    recommendation: str,
    opinion: str,
    risk_points: str = "",
    suggested_conditions: str = "",
    expected_version: int | None = None,
) -> Project:
    """Run the pre-approval rules (kept, with an audit event, even when they refuse), then record the
    risk opinion with that evaluation and the what-if and start the product's approval flow for the
    project's amount in one transaction."""
    from danbao.products.selectors import approval_flow_for
    from danbao.projects.selectors import what_if_for, what_if_snapshot
    from danbao.projects.services.intake import build_rule_input
    from danbao.rules.models import Stage
    from danbao.rules.services import rules_evaluate
    from danbao.workflow.services import instance_start

    if recommendation not in RiskRecommendation.values:
        raise errors.RECOMMENDATION_INVALID.error(field="recommendation")
    opinion = (opinion or "").strip()
    if not opinion:
        raise errors.OPINION_REQUIRED.error(field="opinion")

    def preconditions(project: Project) -> Any:
        _reviewer(actor, project)
        if expected_version is not None and project.version != int(expected_version):
            raise errors.STALE.error()
        if project.state != ProjectState.RISK_REVIEW:
            raise errors.TRANSITION_NOT_ALLOWED.error(source=ProjectState(project.state).label, target=ProjectState.APPROVING.label)
        flow = approval_flow_for(project.product_version, project.amount)
        if flow is None:
            raise errors.NO_APPROVAL_FLOW.error(product=str(project.product_version), amount=project.amount)
        return flow

    # The pre-approval rules run in their own transaction first, so a refusal keeps its evaluation
    # and an audit event (who tried, which rules blocked) instead of rolling them back with it.
    with transaction.atomic(durable=True):
        project = lock(project)
        preconditions(project)
        evaluated_version = project.version
        result = rules_evaluate(subject=project, rule_input=build_rule_input(project, Stage.PRE_APPROVAL), actor=actor)
        if result.blocked:
            codes = ",".join(h["code"] for h in result.blocking)
            audit("project.approval_refused", actor, project, reason=codes, evaluation=result.evaluation.pk if result.evaluation else None)
    if result.blocked:
        raise errors.PRE_APPROVAL_BLOCKED.error(reasons="；".join(h["reason_zh"] for h in result.blocking))
    with transaction.atomic(durable=True):
        project = lock(project)
        flow = preconditions(project)  # re-checked under the lock: another reviewer may have acted
        if project.version != evaluated_version:
            raise errors.STALE.error()  # the project changed after the rules ran
        RiskOpinion.objects.create(
            project=project,
            reviewer=actor,
            recommendation=recommendation,
            opinion=opinion,
            risk_points=(risk_points or "").strip(),
            suggested_conditions=(suggested_conditions or "").strip(),
            evaluation=result.evaluation,
            what_if=what_if_snapshot(what_if_for(project)),
            submitted_at=now(),
        )
        lifecycle.move(project, ProjectState.APPROVING, actor=actor)
        instance_start(actor=actor, flow_type=APPROVAL_FLOW_TYPE, obj=project, definition_code=flow.code, comment=opinion[:500])
        audit("project.approval_submitted", actor, project, flow=flow.code, recommendation=recommendation)
    return project


def project_approval_resubmit(*, actor: Any, project: Project, comment: str = "") -> Project:
    """After 退回补充 the submitter sends the project through the same approval again.

    The engine's resubmit is the one transaction: its `on_resubmitted` executor (below) moves the
    project back to 审批中 inside it, exactly as when the submitter resubmits from the workflow page."""
    from danbao.projects.selectors import running_instance
    from danbao.workflow.services import instance_resubmit

    require(actor, REVIEW)
    project = Project.objects.get(pk=project.pk)
    if project.state != ProjectState.RETURNED:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=ProjectState(project.state).label, target=ProjectState.APPROVING.label)
    instance = running_instance(project, APPROVAL_FLOW_TYPE)
    if instance is None:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=ProjectState(project.state).label, target=ProjectState.APPROVING.label)
    instance_resubmit(actor=actor, instance=instance, comment=comment)
    return Project.objects.get(pk=project.pk)


# --- the final approver's terms -----------------------------------------------------------------


def _terms_values(project: Project, amount: Any, term_months: Any, fee_rate: Any) -> tuple[Decimal, int, Decimal]:
    from danbao.projects.services.intake import _decimal

    version = project.product_version
    value = _decimal(amount, errors.AMOUNT_INVALID)
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        raise errors.AMOUNT_INVALID.error(field="amount")
    if value > project.amount:
        raise errors.TERMS_INVALID.error(problem=_("the approved amount cannot exceed the amount applied for"), field="amount")
    if value > version.amount_max:
        raise errors.TERMS_INVALID.error(
            problem=_("the approved amount cannot exceed the product maximum of %(max)s yuan") % {"max": f"{version.amount_max:,.2f}"},
            field="amount",
        )
    try:
        term = int(term_months)
    except (TypeError, ValueError) as exc:
        raise errors.TERM_INVALID.error(field="term_months") from exc
    if not version.term_min_months <= term <= version.term_max_months:
        raise errors.TERMS_INVALID.error(
            problem=_("the term must be between %(min)s and %(max)s months")
            % {"min": version.term_min_months, "max": version.term_max_months},
            field="term_months",
        )
    rate = _decimal(fee_rate, errors.FEE_RATE_INVALID)
    if not version.fee_rate_min <= rate <= version.fee_rate_max:
        raise errors.TERMS_INVALID.error(
            problem=_("the fee rate must be between %(min)s%% and %(max)s%%")
            % {"min": f"{version.fee_rate_min * 100:.2f}", "max": f"{version.fee_rate_max * 100:.2f}"},
            field="fee_rate",
        )
    return value, term, rate


def project_terms_save(
    *,
    actor: Any,
    project: Project,
    amount: Any,
    term_months: Any,
    fee_rate: Any,
    counter_guarantees: str = "",
    conditions: str = "",
) -> ProjectTerms:
    """An approver with a pending task on the project's approval writes the terms to be approved
    (the draft the approval executor makes effective). Saved again = overwritten, audited each time."""
    from danbao.projects.selectors import pending_task_for

    with transaction.atomic(durable=True):
        project = lock(project)
        if project.state != ProjectState.APPROVING or pending_task_for(actor, project) is None:
            raise errors.NOT_APPROVER.error()
        value, term, rate = _terms_values(project, amount, term_months, fee_rate)
        draft = project.terms.select_for_update().filter(effective_at__isnull=True).first()
        if draft is None:
            draft = ProjectTerms(project=project, bank=project.bank, branch=project.branch)
        draft.amount, draft.term_months, draft.fee_rate = value, term, rate
        draft.counter_guarantees = (counter_guarantees or "").strip()
        draft.conditions = (conditions or "").strip()
        draft.written_by = actor
        draft.save()
        audit("project.terms_written", actor, project, amount=value, term=term, fee_rate=rate)
    return draft


# --- executors (called by the workflow engine inside its transaction) --------------------------


def _last_comment(instance: Any, actions: tuple[str, ...]) -> str:
    from danbao.workflow.models import Action

    action = Action.objects.filter(instance=instance, action__in=actions).order_by("-id").first()
    return (action.comment if action else "")[:500]


def _default_conditions(project: Project) -> str:
    opinion = project.risk_opinions.order_by("-submitted_at", "-id").first()
    return opinion.suggested_conditions if opinion else ""


def _catch_up(project: Project, instance: Any) -> None:
    """A flow resubmitted before the engine called `on_resubmitted` (older data) left the project
    at 退回补充: record its move back to approval before the decision lands."""
    if project.state == ProjectState.RETURNED:
        lifecycle.move(project, ProjectState.APPROVING, actor=instance.submitter, reason="重新提交审批", by_flow=True)


def on_approved(project: Project, *, instance: Any, actor: Any) -> None:
    """The flow approved: the draft terms (or the application's own) become terms #1 with a letter number."""
    from danbao.system.services.numbering import number_next

    numbering_ensure()
    _catch_up(project, instance)
    draft = project.terms.select_for_update().filter(effective_at__isnull=True).first()
    if draft is None:
        draft = ProjectTerms(
            project=project,
            amount=project.amount,
            term_months=project.term_months,
            fee_rate=project.fee_rate,
            bank=project.bank,
            branch=project.branch,
            conditions=_default_conditions(project),
            written_by=actor,
        )
    at = now()
    draft.sequence = 1
    draft.source = ProjectTerms.Source.APPROVAL
    draft.letter_number = number_next(LETTER_NUMBERING)
    draft.effective_at = at
    draft.save()
    lifecycle.move(project, ProjectState.APPROVED, actor=actor, by_flow=True)
    project.approval_number = draft.letter_number
    project.approved_amount, project.approved_term_months, project.approved_fee_rate = draft.amount, draft.term_months, draft.fee_rate
    project.approved_at = at
    project.save(
        update_fields=["approval_number", "approved_amount", "approved_term_months", "approved_fee_rate", "approved_at", "updated_at"]
    )
    audit("project.approved", actor, project, letter=draft.letter_number, amount=draft.amount, term=draft.term_months)


def on_rejected(project: Project, *, instance: Any, actor: Any) -> None:
    reason = _last_comment(instance, ("reject", "committee_rejected")) or "审批否决"
    _catch_up(project, instance)
    lifecycle.move(project, ProjectState.REJECTED, actor=actor, reason=reason, by_flow=True)
    audit("project.rejected", actor, project, reason=reason)


def on_returned(project: Project, *, instance: Any, actor: Any) -> None:
    reason = _last_comment(instance, ("return", "committee_returned")) or "退回补充"
    _catch_up(project, instance)
    lifecycle.move(project, ProjectState.RETURNED, actor=actor, reason=reason, by_flow=True)
    audit("project.returned", actor, project, reason=reason)


def on_resubmitted(project: Project, *, instance: Any, actor: Any) -> None:
    """The submitter resubmitted the returned flow (from the project page or the workflow task
    page): the project moves 退回补充 → 审批中 in the engine's transaction. The lifecycle checks the
    submitter still holds the review permission."""
    if project.state != ProjectState.RETURNED:
        return
    comment = _last_comment(instance, ("resubmit",))
    lifecycle.move(project, ProjectState.APPROVING, actor=actor, reason=comment)
    audit("project.approval_resubmitted", actor, project)


def _ended(reason: str) -> Callable[..., None]:
    def run(project: Project, *, instance: Any, actor: Any) -> None:
        lifecycle.move(project, ProjectState.WITHDRAWN, actor=actor, reason=reason, by_flow=True)
        audit("project.withdrawn", actor, project, reason=reason)

    return run


on_withdrawn = _ended("审批流程已撤回")
on_terminated = _ended("审批流程已终止")
