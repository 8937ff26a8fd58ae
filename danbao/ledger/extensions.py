"""Extensions (展期) as change requests through the `ledger.extension` flow.

`extension_request` records the request for one tranche (new maturity after the current one, a
reason, no other request pending) and starts the published flow (LE-10: department head → general
manager, created by `flows_ensure`). On approval the executor, inside the flow's transaction:
moves the tranche's maturity, re-generates the remaining schedule (the lines due from the approval
date on that have no payment applied are replaced by a schedule of the principal they carried, from
the last kept due date to the new maturity, same method and rate; a bank's custom plan continues as
equal instalments) and keeps the replaced maturity and lines in `Extension.before` (the history of
terms). Rejection, withdrawal or termination records the decision and its comment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode
from danbao.core.events import security_event
from danbao.ledger import schedules
from danbao.ledger.models import Extension, Guarantee, GuaranteeState, Loan, ScheduleLine
from danbao.ledger.repayments import may_repay

FLOW_TYPE = "ledger.extension"
ZERO = Decimal("0.00")

NO_FLOW = ErrorCode("ledger.extension_no_flow", _("No extension approval flow is published; ask the workflow administrator."))
PENDING = ErrorCode("ledger.extension_pending", _("An extension of this tranche is already waiting for approval."))
DATE = ErrorCode("ledger.extension_date", _("The extended maturity must be after the current maturity %(maturity)s."))
REASON = ErrorCode("ledger.extension_reason", _("Please give the reason for the extension."))
DENIED = ErrorCode("ledger.extension_denied", _("You may not request an extension of this guarantee."))
NOT_IN_FORCE = ErrorCode("ledger.extension_not_in_force", _("Only a guarantee in force can be extended."))


def _audit(event: str, actor: Any, extension: Extension, **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type="ledger.Extension",
        object_id=extension.pk,
        data={"project": extension.guarantee.project.number, **{k: str(v) for k, v in data.items()}},
    )


def flows_ensure(actor: Any) -> int:
    """Create and publish LE-10 (department head → general manager) when missing (idempotent)."""
    from danbao.projects.flows import DEPT_HEAD, GM, _node, linear
    from danbao.workflow.models import FlowDefinition
    from danbao.workflow.services import definition_create, version_draft_for, version_publish, version_save_graph

    if FlowDefinition.objects.filter(code="LE-10").exists():
        return 0
    definition = definition_create(actor=actor, code="LE-10", name="贷款展期审批", flow_type=FLOW_TYPE)
    draft = version_draft_for(actor=actor, definition=definition)
    version_save_graph(actor=actor, version=draft, graph=linear(_node("dept", "部门负责人审核", DEPT_HEAD), _node("gm", "总经理审批", GM)))
    version_publish(actor=actor, version=draft)
    return 1


def extension_request(*, actor: Any, loan: Loan, new_maturity: date, reason: str) -> Extension:
    """Ask for an extension of one tranche and start the approval flow (nothing changes until approved)."""
    from danbao.workflow.models import FlowVersion
    from danbao.workflow.services import instance_start

    reason = (reason or "").strip()
    if not may_repay(actor, loan.guarantee):
        raise DENIED.error()
    if not reason:
        raise REASON.error(field="reason")
    if not FlowVersion.objects.filter(
        status=FlowVersion.Status.PUBLISHED, definition__flow_type=FLOW_TYPE, definition__is_active=True
    ).exists():
        raise NO_FLOW.error()
    with transaction.atomic():
        guarantee = Guarantee.objects.select_for_update(of=("self",)).select_related("project").get(pk=loan.guarantee_id)
        loan = Loan.objects.get(pk=loan.pk)
        if guarantee.state != GuaranteeState.IN_FORCE:
            raise NOT_IN_FORCE.error()
        if new_maturity <= loan.maturity_date:
            raise DATE.error(maturity=loan.maturity_date.isoformat(), field="new_maturity")
        if Extension.objects.filter(loan=loan, status=Extension.Status.PENDING).exists():
            raise PENDING.error()
        number = (Extension.objects.filter(guarantee=guarantee).aggregate(m=Max("number"))["m"] or 0) + 1
        extension = Extension.objects.create(
            guarantee=guarantee,
            loan=loan,
            number=number,
            old_maturity=loan.maturity_date,
            new_maturity=new_maturity,
            reason=reason[:500],
            requested_by=actor,
            requested_at=timezone.now(),
        )
        instance_start(actor=actor, flow_type=FLOW_TYPE, obj=extension, comment=reason[:500])
        _audit("ledger.extension_requested", actor, extension, loan=loan.contract_number, new_maturity=new_maturity)
    return extension


def extend(extension: Extension, on: date) -> None:
    """Apply an approved extension to its tranche (the caller holds the guarantee lock)."""
    loan = Loan.objects.select_for_update(of=("self",)).get(pk=extension.loan_id)
    lines = list(ScheduleLine.objects.filter(loan=loan).order_by("seq"))
    replace = [x for x in lines if x.due_date >= on and x.paid_principal == 0 and x.paid_interest == 0 and not x.allocations.exists()]
    kept = [x for x in lines if x not in replace]
    extension.before = {
        "maturity": loan.maturity_date.isoformat(),
        "lines": [
            {"seq": x.seq, "due": x.due_date.isoformat(), "principal": str(x.principal), "interest": str(x.interest)} for x in replace
        ],
    }
    principal = sum((x.principal for x in replace), ZERO)
    start = max([x.due_date for x in kept] + [loan.loan_date])
    loan.maturity_date = extension.new_maturity
    loan.save(update_fields=["maturity_date"])
    if replace and principal > 0:
        ScheduleLine.objects.filter(pk__in=[x.pk for x in replace]).delete()
        method = loan.repayment_method if loan.repayment_method in schedules.GENERATED else schedules.ANNUITY
        new = schedules.generate(
            method, amount=principal, annual_rate=loan.interest_rate, loan_date=start, maturity_date=loan.maturity_date
        )
        offset = max([x.seq for x in kept] + [0])
        ScheduleLine.objects.bulk_create(
            [
                ScheduleLine(
                    loan=loan,
                    seq=offset + x.seq,
                    due_date=x.due_date,
                    principal=x.principal,
                    interest=x.interest,
                    balance_after=x.balance_after,
                )
                for x in new
            ]
        )
    guarantee = extension.guarantee
    guarantee.maturity_date = max(Loan.objects.filter(guarantee=guarantee).values_list("maturity_date", flat=True))
    guarantee.version += 1
    guarantee.save(update_fields=["maturity_date", "version", "updated_at"])


def _finish(extension: Extension, status: str, comment: str) -> bool:
    if extension.status != Extension.Status.PENDING:
        return False  # a second executor call is a no-op
    extension.status = status
    extension.decided_at = timezone.now()
    extension.decision_comment = comment[:500]
    return True


def on_approved(extension: Extension, *, instance: Any, actor: Any) -> None:
    Guarantee.objects.select_for_update(of=("self",)).get(pk=extension.guarantee_id)
    extension = Extension.objects.select_related("guarantee__project").get(pk=extension.pk)
    if not _finish(extension, Extension.Status.APPROVED, ""):
        return
    extend(extension, timezone.localdate())
    extension.save(update_fields=["status", "decided_at", "decision_comment", "before"])
    _audit("ledger.extension_approved", actor, extension, new_maturity=extension.new_maturity)


def _comment(instance: Any) -> str:
    from danbao.workflow.models import Action

    action = Action.objects.filter(instance=instance, action__in=("reject",)).order_by("-id").first()
    return (action.comment if action else "")[:500]


def on_rejected(extension: Extension, *, instance: Any, actor: Any) -> None:
    extension = Extension.objects.select_related("guarantee__project").get(pk=extension.pk)
    if _finish(extension, Extension.Status.REJECTED, _comment(instance)):
        extension.save(update_fields=["status", "decided_at", "decision_comment"])
        _audit("ledger.extension_rejected", actor, extension, reason=extension.decision_comment)


def on_ended(extension: Extension, *, instance: Any, actor: Any) -> None:
    extension = Extension.objects.select_related("guarantee__project").get(pk=extension.pk)
    if _finish(extension, Extension.Status.WITHDRAWN, "审批流程已撤回或终止"):
        extension.save(update_fields=["status", "decided_at", "decision_comment"])
