"""Project reads. Scope: the project's department (org.scope) plus the user's own projects as A- or
B-role manager; a project outside the scope answers 404 exactly like a missing one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from danbao.org.scope import apply_scope, get_in_scope
from danbao.projects.models import Project, ProjectChange, ProjectState, ProjectTerms, ProjectTransition, RiskOpinion
from danbao.regulatory.exposures import Exposure

RELATED = (
    "customer",
    "product_version",
    "product_version__product",
    "bank",
    "branch",
    "channel",
    "manager_a",
    "manager_b",
    "department",
)


def project_list_for(user: Any) -> QuerySet[Project]:
    """Projects the user may see (department scope + own projects)."""
    queryset = Project.objects.select_related(*RELATED)
    return apply_scope(queryset, user, department_field="department", owner_fields=("manager_a", "manager_b"))


def my_projects_for(user: Any) -> QuerySet[Project]:
    """Projects where the user is the A- or B-role manager."""
    from django.db.models import Q

    return Project.objects.select_related(*RELATED).filter(Q(manager_a=user) | Q(manager_b=user))


def project_get_for(user: Any, pk: Any, request: Any = None) -> Project:
    """One project in the user's scope, or 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        from django.http import Http404

        raise Http404 from None
    return get_in_scope(project_list_for(user), user, request, pk=pk)


def project_in_scope(user: Any, project: Project) -> bool:
    return project_list_for(user).filter(pk=project.pk).exists()


def exposure_of(project: Project, amount: Decimal | None = None) -> Exposure:
    """The project as the regulatory metrics see it (the proposed guarantee before it is in force).

    own_share = 1 − bank share − government pool share (what the institution itself would bear);
    reguarantee_share = re-guarantor + national fund shares, as the product version agreed them."""
    from danbao.regulatory.selectors import party_for_customer

    version = project.product_version
    party = party_for_customer(project.customer)
    own = Decimal(1) - Decimal(version.bank_share or 0) - Decimal(version.gov_pool_share or 0)
    rg = Decimal(version.reguarantor_share or 0) + Decimal(version.fund_share or 0)
    return Exposure(
        key=f"project:{project.pk or 'new'}",
        party_key=party.party_key,
        party_name=party.party_name,
        guarantee_class=version.guarantee_class,
        loan_balance=amount if amount is not None else project.amount,
        own_share=min(max(own, Decimal(0)), Decimal(1)),
        reguarantee_share=min(max(rg, Decimal(0)), Decimal(1)),
        loan_kind=party.loan_kind,
        group_key=party.group_key,
        bank_code=(project.branch or project.bank).code,
        product_code=version.product.code,
        channel_code=project.channel.code if project.channel_id else "",
        is_policy=version.is_policy,
    )


def what_if_for(project: Project) -> Any:
    """Leverage and concentration after this project (regulatory what-if); None on a refusal."""
    from danbao.core.errors import DomainError
    from danbao.regulatory.selectors import party_for_customer
    from danbao.regulatory.services import what_if

    try:
        party = party_for_customer(project.customer)
        return what_if(proposed=exposure_of(project), related_party_keys=party.related_party_keys)
    except DomainError:
        return None


def what_if_snapshot(result: Any) -> dict[str, Any]:
    """The what-if as stored with the risk opinion (strings, so it reads the same years later)."""
    if result is None:
        return {}

    def check(value: Any) -> dict[str, str] | None:
        if value is None:
            return None
        out = {k: str(getattr(value, k)) for k in ("amount", "base", "ratio", "limit", "cap", "headroom")}
        out["breached"] = "1" if value.breached else ""
        return out

    return {
        "on": result.on.isoformat(),
        "complete": result.complete,
        "net_assets": str(result.net_assets) if result.net_assets is not None else None,
        "proposed_liability": str(result.proposed_liability),
        "leverage_before": check(result.leverage_before),
        "leverage_after": check(result.leverage_after),
        "single_before": check(result.single_before),
        "single_after": check(result.single_after),
        "group_before": check(result.group_before),
        "group_after": check(result.group_after),
        "breaches": [str(b) for b in result.breaches],
        "warnings": [str(w) for w in result.warnings],
    }


def pre_approval_trial(project: Project) -> Any:
    """The rules of stage pre-approval on the project now, not stored (shown on the review form)."""
    from danbao.projects.services.intake import build_rule_input
    from danbao.rules.models import Stage
    from danbao.rules.services import rules_trial

    # actor=None: the page's permission gate (projects.project.review) already decided.
    return rules_trial(actor=None, rule_input=build_rule_input(project, Stage.PRE_APPROVAL))


def evaluations_of(project: Project) -> list[Any]:
    from danbao.rules.models import Evaluation

    content_type = ContentType.objects.get_for_model(Project)
    return list(Evaluation.objects.filter(content_type=content_type, object_id=project.pk).order_by("-created_at", "-id"))


def transitions_of(project: Project) -> list[ProjectTransition]:
    return list(project.transitions.select_related("actor").order_by("at", "id"))


def opinions_of(project: Project) -> list[RiskOpinion]:
    return list(project.risk_opinions.select_related("reviewer", "evaluation").order_by("-submitted_at", "-id"))


def terms_history(project: Project) -> list[ProjectTerms]:
    return list(project.terms.filter(effective_at__isnull=False).select_related("bank", "branch", "change").order_by("sequence"))


def terms_draft(project: Project) -> ProjectTerms | None:
    return project.terms.filter(effective_at__isnull=True).first()


def terms_get(project: Project, sequence: Any) -> ProjectTerms:
    from django.http import Http404

    try:
        return project.terms.select_related("bank", "branch").get(sequence=int(sequence), effective_at__isnull=False)
    except (ProjectTerms.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def changes_of(project: Project) -> list[ProjectChange]:
    return list(project.changes.select_related("bank", "branch", "requested_by").order_by("-number"))


def flow_instances_of(obj: Any) -> list[Any]:
    """Approval instances of a project or change (newest first)."""
    from danbao.workflow.models import FlowInstance

    content_type = ContentType.objects.get_for_model(type(obj))
    return list(
        FlowInstance.objects.filter(content_type=content_type, object_id=obj.pk).select_related("submitter", "version").order_by("-id")
    )


def running_instance(obj: Any, flow_type: str) -> Any:
    from danbao.workflow import lifecycle as wf_lifecycle
    from danbao.workflow.models import FlowInstance

    content_type = ContentType.objects.get_for_model(type(obj))
    return FlowInstance.objects.filter(
        content_type=content_type, object_id=obj.pk, flow_type=flow_type, status=wf_lifecycle.RUNNING
    ).first()


def pending_task_for(user: Any, project: Project) -> Any:
    """The user's pending approval task on the project's running approval, or None."""
    from danbao.projects.services.common import APPROVAL_FLOW_TYPE
    from danbao.workflow.models import Task

    instance = running_instance(project, APPROVAL_FLOW_TYPE)
    if instance is None or user is None:
        return None
    return (
        Task.objects.filter(instance=instance, assignee=user, status=Task.Status.PENDING)
        .exclude(kind=Task.Kind.RESUBMIT)
        .select_related("node_run")
        .first()
    )


def override_pending_for(user: Any) -> QuerySet[Project]:
    """Intake exceptions the user could decide (in scope, not the user's own)."""
    from django.db.models import Q

    return (
        project_list_for(user)
        .filter(state=ProjectState.OVERRIDE_PENDING)
        .exclude(Q(manager_a=user) | Q(manager_b=user) | Q(created_by=user))
    )


def review_queue_for(user: Any) -> QuerySet[Project]:
    """Projects waiting for a risk review the user may write (not the user's own)."""
    from django.db.models import Q

    return project_list_for(user).filter(state=ProjectState.RISK_REVIEW).exclude(Q(manager_a=user) | Q(manager_b=user))
