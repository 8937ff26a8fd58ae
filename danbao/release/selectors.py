"""Read side of the release: codes, scope-filtered lists, readiness for the archive."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from danbao.ledger.models import Guarantee, GuaranteeState
from danbao.projects.selectors import project_in_scope, project_list_for
from danbao.release.models import Release, ReleaseState, ReleaseTask, TaskKind, TaskState
from danbao.securities.models import Measure, MeasureState

VIEW = "release.release.view"
REGISTER = "release.release.register"
TASK_BUSINESS = "release.task.business"
TASK_CUSTODY = "release.task.custody"
TASK_FINANCE = "release.task.finance"

# Who completes which task kind.
TASK_PERMISSION = {
    TaskKind.DEREGISTER: TASK_BUSINESS,
    TaskKind.LETTER: TASK_BUSINESS,
    TaskKind.CUSTODY: TASK_CUSTODY,
    TaskKind.REFUND: TASK_FINANCE,
}
OPEN_MEASURE_STATES = (MeasureState.FULFILLED,)  # pending measures were never put in place


def may_view(user: Any, project: Any) -> bool:
    return bool(user is not None and getattr(user, "is_active", False) and user.can(VIEW) and project_in_scope(user, project))


def may_register(user: Any, guarantee: Guarantee) -> bool:
    return bool(user is not None and getattr(user, "is_active", False) and user.can(REGISTER) and project_in_scope(user, guarantee.project))


def may_complete(user: Any, task: ReleaseTask) -> bool:
    return bool(
        task.state == TaskState.OPEN
        and user is not None
        and getattr(user, "is_active", False)
        and user.can(TASK_PERMISSION[task.kind])
        and project_in_scope(user, task.release.project)
    )


def ready_for_release(user: Any) -> QuerySet[Guarantee]:
    """In-force guarantees in the user's scope without a registered release, repaid ones first."""
    return (
        Guarantee.objects.filter(project__in=project_list_for(user), state=GuaranteeState.IN_FORCE, release__isnull=True)
        .select_related("project", "customer", "bank")
        .order_by("loan_balance", "project__number")
    )


def release_list_for(user: Any) -> QuerySet[Release]:
    return Release.objects.filter(project__in=project_list_for(user)).select_related("project", "guarantee")


def tasks_for(user: Any) -> QuerySet[ReleaseTask]:
    """Open tasks the user may complete (by permission per kind) in the user's scope."""
    kinds = [kind for kind, code in TASK_PERMISSION.items() if user.can(code)]
    return (
        ReleaseTask.objects.filter(state=TaskState.OPEN, kind__in=kinds, release__project__in=project_list_for(user))
        .select_related("release", "release__project", "measure", "collateral")
        .order_by("release__registered_at", "id")
    )


def release_complete(project: Any) -> bool:
    """The guarantee is released, every release task is done and no security is still in place."""
    release = Release.objects.filter(project=project).select_related("guarantee").first()
    if release is None or release.guarantee.state != GuaranteeState.RELEASED or release.state != ReleaseState.COMPLETE:
        return False
    return not Measure.objects.filter(project=project, state__in=OPEN_MEASURE_STATES).exists()


def _pk(pk: Any) -> int:
    from django.http import Http404

    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def guarantee_get_for(user: Any, pk: Any, request: Any = None) -> Guarantee:
    from danbao.org.scope import get_in_scope

    queryset = Guarantee.objects.filter(project__in=project_list_for(user)).select_related("project", "customer", "bank", "letter")
    return get_in_scope(queryset, user, request, pk=_pk(pk))


def release_get_for(user: Any, pk: Any, request: Any = None) -> Release:
    from danbao.org.scope import get_in_scope

    return get_in_scope(
        release_list_for(user).select_related("guarantee__customer", "guarantee__bank", "guarantee__letter"), user, request, pk=_pk(pk)
    )


def task_get_for(user: Any, pk: Any, request: Any = None) -> ReleaseTask:
    from danbao.org.scope import get_in_scope

    queryset = ReleaseTask.objects.filter(release__project__in=project_list_for(user)).select_related("release", "release__project")
    return get_in_scope(queryset, user, request, pk=_pk(pk))


def dossier_section(user: Any, project: Any) -> dict[str, Any]:
    if not (user.can(VIEW) and project_in_scope(user, project)):
        return {"release": None}
    return {"release": Release.objects.filter(project=project).first()}
