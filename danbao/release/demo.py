"""Release demo (step 145, after the ledger repayments of step 125 and before the archive at 150): every
in-force demo guarantee whose loan is repaid (balance 0) gets the bank's release notice registered by a
department head in whose scope it is; the tasks of three out of four releases are completed by the
business manager, the archivist and finance, so those projects become archivable.

Everything goes through the services. Idempotent: guarantees with a release are skipped, done tasks too.
Fast: at most 30 releases per run."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from danbao.core.errors import DomainError
from danbao.ledger.models import Guarantee, GuaranteeState
from danbao.org.models import User
from danbao.release import selectors, services
from danbao.release.models import Release, TaskState

MAX_RELEASES = 30
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _registrant(guarantee: Guarantee, heads: list[Any]) -> Any:
    for user in heads:
        if selectors.may_register(user, guarantee) and user.can("letters.letter.release"):
            return user
    return None


def _complete(release: Release, users: dict[str, Any]) -> int:
    done = 0
    today = timezone.localdate()
    for task in release.tasks.filter(state=TaskState.OPEN).select_related("release__project"):
        actor = release.project.manager_a if task.kind in ("deregister", "letter") else users.get(task.kind)
        if actor is None:
            continue
        extra: dict[str, Any] = (
            {"registry_office": "长沙市不动产登记中心", "certificate_returned": True} if task.kind == "deregister" else {}
        )
        try:
            services.task_complete(actor=actor, task=task, done_on=today, evidence="演示凭证", note="演示数据", **extra)
        except DomainError:
            continue
        done += 1
    return done


def seed() -> str:
    heads = list(User.objects.filter(is_active=True, roles__code__in=["dept_head", "general_manager"]).distinct().order_by("pk"))
    users = {"custody": User.objects.filter(username="archivist").first(), "refund": User.objects.filter(username="finance").first()}
    services.numbering_ensure()
    registered = 0
    candidates = Guarantee.objects.filter(state=GuaranteeState.IN_FORCE, loan_balance=0, release__isnull=True).select_related("project")
    for guarantee in candidates.order_by("pk")[:MAX_RELEASES]:
        actor = _registrant(guarantee, heads)
        if actor is None:
            continue
        try:
            services.release_register(
                actor=actor,
                guarantee=guarantee,
                notice_date=timezone.localdate(),
                reference=f"JQ-{guarantee.project.number}",
                scan=SimpleUploadedFile("解保通知.pdf", SCAN, content_type="application/pdf"),
                note="演示：贷款已结清",
            )
        except DomainError:
            continue
        registered += 1
    completed = 0
    for index, release in enumerate(Release.objects.order_by("pk")):
        if index % 4 != 3:
            completed += _complete(release, users)
    return f"release: {registered} releases registered, {completed} tasks completed"
