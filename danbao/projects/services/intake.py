"""Intake (受理): staff now, the portals later, call `project_intake`.

Intake screens the customer against the watch lists, evaluates the rules of stage "intake" on the
application and stores the evaluation on the project. A blocking hit refuses the application
(nothing is created; the refused evaluation is kept without a subject and audited). A hit of a
rule whose severity is "needs extra approval" lets the project in as `override_pending`, waiting for
a second person holding `projects.override.decide` (maker-checker, `project_override_decide`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.customers.models.customer import Customer
from danbao.customers.selectors import customer_list_for
from danbao.org.scope import scope_for
from danbao.partners.models import Bank, Channel
from danbao.products.models import Product
from danbao.products.selectors import product_version_current
from danbao.projects import errors, lifecycle
from danbao.projects.models import Project, ProjectState, ProjectTransition, RepaymentMethod
from danbao.projects.services.common import (
    INTAKE,
    OVERRIDE,
    PROJECT_NUMBERING,
    audit,
    lock,
    now,
    numbering_ensure,
    require,
)
from danbao.rules.inputs import RuleInput
from danbao.rules.models import Stage

MAX_AMOUNT = Decimal("100000000000")


def _decimal(value: Any, error: Any) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise error.error() from exc
    if not number.is_finite():
        raise error.error()
    return number


def _manager_ok(user: Any) -> bool:
    return user is not None and user.is_active and user.can(INTAKE)


def build_rule_input(project: Project, stage: str, on: date | None = None) -> RuleInput:
    """The rules' view of a project (its own amount/term/fee, product version, customer, bank)."""
    from danbao.projects.selectors import exposure_of

    return RuleInput(
        stage=stage,
        on=on or timezone.localdate(),
        amount=project.amount,
        term_months=project.term_months,
        fee_rate=project.fee_rate,
        product_version=project.product_version,
        customer=project.customer,
        bank_code=(project.branch or project.bank).code,
        exposure=exposure_of(project),
    )


def _validate(
    *,
    actor: Any,
    customer: Customer,
    amount: Any,
    term_months: Any,
    fee_rate: Any,
    manager_a: Any,
    manager_b: Any,
    department: Any,
    bank: Bank,
    branch: Bank | None,
    channel: Channel | None,
    repayment_method: str,
    purpose: str,
) -> tuple[Decimal, int, Decimal | None]:
    if not customer.is_active:
        raise errors.CUSTOMER_INACTIVE.error(customer=customer.name)
    if not customer_list_for(actor).filter(pk=customer.pk).exists():
        raise errors.PERMISSION_DENIED.error()
    amount_value = _decimal(amount, errors.AMOUNT_INVALID)
    if amount_value <= 0 or amount_value >= MAX_AMOUNT or amount_value != amount_value.quantize(Decimal("0.01")):
        raise errors.AMOUNT_INVALID.error(field="amount")
    try:
        term = int(term_months)
    except (TypeError, ValueError) as exc:
        raise errors.TERM_INVALID.error(field="term_months") from exc
    if term <= 0 or term > 600:
        raise errors.TERM_INVALID.error(field="term_months")
    rate = None
    if fee_rate not in (None, ""):
        rate = _decimal(fee_rate, errors.FEE_RATE_INVALID)
        if not Decimal(0) <= rate < Decimal(1):
            raise errors.FEE_RATE_INVALID.error(field="fee_rate")
    if manager_a is None or manager_b is None or manager_a.pk == manager_b.pk:
        raise errors.SAME_MANAGERS.error(field="manager_b")
    for person in (manager_a, manager_b):
        if not _manager_ok(person):
            raise errors.MANAGER_INACTIVE.error(name=person.real_name or person.username)
    scope = scope_for(actor)
    if not (scope.all or department.pk in scope.department_ids or actor.pk in (manager_a.pk, manager_b.pk)):
        raise errors.OUT_OF_SCOPE.error(field="department")
    if not bank.is_active:
        raise errors.BANK_INACTIVE.error(bank=bank.name)
    if branch is not None and (branch.parent_id != bank.pk or not branch.is_active):
        raise errors.BRANCH_MISMATCH.error(branch=branch.name, bank=bank.name, field="branch")
    if channel is not None and not channel.is_active:
        raise errors.CHANNEL_INACTIVE.error(channel=channel.name)
    if repayment_method not in RepaymentMethod.values:
        raise errors.TERMS_INVALID.error(problem=repayment_method, field="repayment_method")
    if not (purpose or "").strip():
        raise errors.TERMS_INVALID.error(problem="purpose", field="purpose")
    return amount_value, term, rate


def project_intake(
    *,
    actor: Any,
    customer: Customer,
    product: Product,
    amount: Any,
    term_months: Any,
    purpose: str,
    repayment_method: str,
    bank: Bank,
    manager_a: Any,
    manager_b: Any,
    branch: Bank | None = None,
    channel: Channel | None = None,
    department: Any = None,
    fee_rate: Any = None,
    note: str = "",
    override_reason: str = "",
    on: date | None = None,
) -> Project:
    """Take an application (受理): validate, screen, run the intake rules, number and store it."""
    from danbao.customers.services_extras.screening import screen_customer
    from danbao.rules.services import rules_evaluate

    require(actor, INTAKE)
    on = on or timezone.localdate()
    department = department or manager_a.department
    amount_value, term, rate = _validate(
        actor=actor,
        customer=customer,
        amount=amount,
        term_months=term_months,
        fee_rate=fee_rate,
        manager_a=manager_a,
        manager_b=manager_b,
        department=department,
        bank=bank,
        branch=branch,
        channel=channel,
        repayment_method=repayment_method,
        purpose=purpose,
    )
    version = product_version_current(product, on)
    if version is None:
        raise errors.NO_PRODUCT_VERSION.error(product=product.name, on=on.isoformat(), field="product")
    numbering_ensure()
    # Screening first, in its own transaction: the hits belong to the customer whatever happens here.
    screen_customer(customer, actor)
    override_reason = (override_reason or "").strip()
    refused: Any = None
    with transaction.atomic(durable=True):
        project = Project(
            number="",
            customer=customer,
            product_version=version,
            amount=amount_value,
            term_months=term,
            purpose=purpose.strip()[:500],
            repayment_method=repayment_method,
            bank=bank,
            branch=branch,
            channel=channel,
            manager_a=manager_a,
            manager_b=manager_b,
            department=department,
            fee_rate=rate if rate is not None else version.fee_rate_default,
            note=(note or "").strip(),
            intake_date=on,
            created_by=actor,
        )
        from danbao.system.services.numbering import number_next

        project.number = number_next(PROJECT_NUMBERING, on)
        project.full_clean(exclude=["intake_evaluation"])
        project.save()
        result = rules_evaluate(subject=project, rule_input=build_rule_input(project, Stage.INTAKE, on), actor=actor)
        if result.blocked:
            refused = result
            transaction.set_rollback(True)
        else:
            state = ProjectState.ACCEPTED
            if result.needs_approval:
                if not override_reason:
                    refused = "override"
                    transaction.set_rollback(True)
                state = ProjectState.OVERRIDE_PENDING
            if refused is None:
                project.intake_evaluation = result.evaluation
                project.state = state
                project.state_changed_at = now()
                project.override_reason = override_reason[:500] if state == ProjectState.OVERRIDE_PENDING else ""
                project.save(update_fields=["intake_evaluation", "state", "state_changed_at", "override_reason", "updated_at"])
                ProjectTransition.objects.create(
                    project=project, source="", target=state, action="intake", reason=project.override_reason, actor=actor, at=now()
                )
                audit(
                    "project.accepted" if state == ProjectState.ACCEPTED else "project.override_requested",
                    actor,
                    project,
                    reason=project.override_reason,
                    customer=customer.name,
                    product=f"{product.code} v{version.number}",
                    amount=amount_value,
                    hits=",".join(h["code"] for h in result.hits),
                )
    if refused == "override":
        raise errors.OVERRIDE_REASON.error(field="override_reason")
    if refused is not None:
        _record_refusal(actor, customer, product, version, amount_value, term, rate, bank, branch, on)
        raise errors.INTAKE_BLOCKED.error(reasons="；".join(h["reason_zh"] for h in refused.blocking))
    return project


def _record_refusal(
    actor: Any, customer: Customer, product: Product, version: Any, amount: Decimal, term: int, rate: Any, bank: Bank, branch: Any, on: date
) -> None:
    """Keep the refused evaluation (no subject: there is no project) and audit the refusal."""
    from danbao.core.events import security_event
    from danbao.rules.services import rules_evaluate

    with transaction.atomic(durable=True):
        inp = RuleInput(
            stage=Stage.INTAKE,
            on=on,
            amount=amount,
            term_months=term,
            fee_rate=rate if rate is not None else version.fee_rate_default,
            product_version=version,
            customer=customer,
            bank_code=(branch or bank).code,
        )
        result = rules_evaluate(subject=None, rule_input=inp, actor=actor)
        security_event(
            "project.intake_refused",
            actor=actor,
            object_type="customers.Customer",
            object_id=customer.pk,
            result="failure",
            reason=("；".join(h["code"] for h in result.blocking))[:255],
            data={"product": product.code, "amount": str(amount), "evaluation": result.evaluation.pk if result.evaluation else None},
        )


def project_override_decide(*, actor: Any, project: Project, approve: bool, reason: str = "") -> Project:
    """The second person's decision on an intake exception: accept the project or decline it."""
    require(actor, OVERRIDE)
    with transaction.atomic(durable=True):
        project = lock(project)
        if actor.pk in (project.created_by_id, project.manager_a_id, project.manager_b_id):
            raise errors.OVERRIDE_OWN.error()
        from danbao.projects.selectors import project_in_scope

        if not project_in_scope(actor, project):
            raise errors.PERMISSION_DENIED.error()
        target = ProjectState.ACCEPTED if approve else ProjectState.DECLINED
        lifecycle.move(project, target, actor=actor, reason=reason)
        project.override_decided_by, project.override_decided_at = actor, now()
        project.save(update_fields=["override_decided_by", "override_decided_at", "updated_at"])
        audit("project.override_approved" if approve else "project.override_rejected", actor, project, reason=reason)
    return project


def project_withdraw(*, actor: Any, project: Project, reason: str) -> Project:
    """撤销 before the approval flow (the A-role manager, or anyone with intake rights in scope)."""
    require(actor, INTAKE)
    with transaction.atomic(durable=True):
        project = lock(project)
        from danbao.projects.selectors import project_in_scope

        if not project_in_scope(actor, project):
            raise errors.PERMISSION_DENIED.error()
        if project.state in (ProjectState.APPROVING, ProjectState.RETURNED):
            # The approval flow owns the project now: withdraw or terminate the flow instead.
            raise errors.TRANSITION_NOT_ALLOWED.error(source=ProjectState(project.state).label, target=ProjectState.WITHDRAWN.label)
        lifecycle.move(project, ProjectState.WITHDRAWN, actor=actor, reason=reason)
        audit("project.withdrawn", actor, project, reason=reason)
    return project
