"""Change requests after approval (变更: amount, term, lending bank), decided through the workflow
flow type "project.change". An approved change appends the next ProjectTerms row, so the history
of terms is kept; the project's current approved figures follow the newest row."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from danbao.partners.models import Bank
from danbao.projects import errors
from danbao.projects.models import ChangeStatus, Project, ProjectChange, ProjectState, ProjectTerms
from danbao.projects.services.common import CHANGE, CHANGE_FLOW_TYPE, audit, lock, now, require


def _current_terms(project: Project) -> ProjectTerms:
    return project.terms.filter(effective_at__isnull=False).order_by("-sequence").first()  # type: ignore[return-value]


def _snapshot(terms: ProjectTerms) -> dict[str, Any]:
    return {
        "sequence": terms.sequence,
        "amount": str(terms.amount),
        "term_months": terms.term_months,
        "fee_rate": str(terms.fee_rate),
        "bank": terms.bank.name,
        "bank_id": terms.bank_id,
        "branch": terms.branch.name if terms.branch_id else "",
        "branch_id": terms.branch_id,
    }


def project_change_request(
    *, actor: Any, project: Project, amount: Any, term_months: Any, bank: Bank, branch: Bank | None, reason: str
) -> ProjectChange:
    """Ask for a change of an approved project's amount, term or bank; starts the change flow."""
    from danbao.projects.selectors import project_in_scope
    from danbao.projects.services.approval import _terms_values
    from danbao.workflow.models import FlowVersion
    from danbao.workflow.services import instance_start

    require(actor, CHANGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    if not FlowVersion.objects.filter(
        status=FlowVersion.Status.PUBLISHED, definition__flow_type=CHANGE_FLOW_TYPE, definition__is_active=True
    ).exists():
        raise errors.CHANGE_NO_FLOW.error()
    with transaction.atomic(durable=True):
        project = lock(project)
        if not project_in_scope(actor, project):
            raise errors.PERMISSION_DENIED.error()
        if project.state != ProjectState.APPROVED:
            raise errors.NOT_APPROVED.error()
        if project.changes.filter(status=ChangeStatus.PENDING).exists():
            raise errors.CHANGE_PENDING.error()
        current = _current_terms(project)
        if not bank.is_active:
            raise errors.BANK_INACTIVE.error(bank=bank.name, field="bank")
        if branch is not None and (branch.parent_id != bank.pk or not branch.is_active):
            raise errors.BRANCH_MISMATCH.error(branch=branch.name, bank=bank.name, field="branch")
        # Same limits as the approval, except the ceiling is the product's, not the first application.
        probe = Project(product_version=project.product_version, amount=project.product_version.amount_max)
        value, term, _rate = _terms_values(probe, amount, term_months, current.fee_rate)
        if (value, term, bank.pk, branch.pk if branch else None) == (
            current.amount,
            current.term_months,
            current.bank_id,
            current.branch_id,
        ):
            raise errors.CHANGE_NOTHING.error()
        number = (project.changes.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        change = ProjectChange.objects.create(
            project=project,
            number=number,
            amount=value,
            term_months=term,
            bank=bank,
            branch=branch,
            reason=reason[:500],
            before=_snapshot(current),
            requested_by=actor,
            requested_at=now(),
        )
        instance_start(actor=actor, flow_type=CHANGE_FLOW_TYPE, obj=change, comment=reason[:500])
        audit("project.change_requested", actor, project, reason=reason, change=number, amount=value, term=term, bank=bank.name)
    return change


def _finish(change: ProjectChange, status: str, actor: Any, comment: str = "") -> None:
    if change.status != ChangeStatus.PENDING:
        return  # a second executor call for the same change is a no-op (idempotent)
    change.status = status
    change.decided_at = now()
    change.decision_comment = comment[:500]
    change.save(update_fields=["status", "decided_at", "decision_comment"])


def change_on_approved(change: ProjectChange, *, instance: Any, actor: Any) -> None:
    """Append the next terms row (counter-guarantees and conditions carried over) and update the project."""
    project = lock(change.project)
    if change.status != ChangeStatus.PENDING:
        return
    current = _current_terms(project)
    terms = ProjectTerms.objects.create(
        project=project,
        sequence=current.sequence + 1,
        source=ProjectTerms.Source.CHANGE,
        amount=change.amount,
        term_months=change.term_months,
        fee_rate=current.fee_rate,
        bank=change.bank,
        branch=change.branch,
        counter_guarantees=current.counter_guarantees,
        conditions=current.conditions,
        letter_number=current.letter_number,
        change=change,
        effective_at=now(),
        written_by=actor,
    )
    project.approved_amount, project.approved_term_months = terms.amount, terms.term_months
    project.version += 1
    project.save(update_fields=["approved_amount", "approved_term_months", "version", "updated_at"])
    _finish(change, ChangeStatus.APPROVED, actor)
    audit("project.change_approved", actor, project, change=change.number, terms=terms.sequence)


def _last(instance: Any, names: tuple[str, ...]) -> str:
    from danbao.projects.services.approval import _last_comment

    return _last_comment(instance, names)


def change_on_rejected(change: ProjectChange, *, instance: Any, actor: Any) -> None:
    comment = _last(instance, ("reject", "committee_rejected"))
    _finish(change, ChangeStatus.REJECTED, actor, comment)
    audit("project.change_rejected", actor, change.project, reason=comment, change=change.number)


def change_on_ended(change: ProjectChange, *, instance: Any, actor: Any) -> None:
    _finish(change, ChangeStatus.WITHDRAWN, actor, "审批流程已撤回或终止")
    audit("project.change_withdrawn", actor, change.project, change=change.number)
