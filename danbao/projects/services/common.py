"""Helpers shared by the project services: permission codes, locking, audit, numbering rules."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from danbao.core.events import security_event
from danbao.projects import errors
from danbao.projects.models import Project

VIEW = "projects.project.view"
INTAKE = "projects.project.intake"
REVIEW = "projects.project.review"
EXPORT = "projects.project.export"
OVERRIDE = "projects.override.decide"
CHANGE = "projects.change.request"

APPROVAL_FLOW_TYPE = "project.approval"  # the code products binds its approval bands to
CHANGE_FLOW_TYPE = "project.change"

PROJECT_NUMBERING = "project"
LETTER_NUMBERING = "approval_letter"
NUMBERING_RULES = (
    # code, name, prefix, date pattern, separator, width, reset
    (PROJECT_NUMBERING, "项目编号", "DB", "{YYYY}", "-", 4, "yearly"),
    (LETTER_NUMBERING, "批复书编号", "PF", "{YYYY}", "-", 4, "yearly"),
)


def require(actor: Any, code: str) -> None:
    if actor is None or not getattr(actor, "is_active", False) or not actor.can(code):
        raise errors.PERMISSION_DENIED.error()


def lock(project: Project) -> Project:
    """The project row locked for this transaction (re-read: the caller's copy may be stale)."""
    return Project.objects.select_for_update().get(pk=project.pk)


def check_version(project: Project, expected_version: int | None) -> None:
    if expected_version is not None and project.version != int(expected_version):
        raise errors.STALE.error()


def audit(event: str, actor: Any, project: Project, *, reason: str = "", **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type="projects.Project",
        object_id=project.pk,
        reason=reason[:255],
        data={"number": project.number, **{k: (str(v) if v is not None else None) for k, v in data.items()}},
    )


def is_manager(user: Any, project: Project) -> bool:
    return user is not None and user.pk in (project.manager_a_id, project.manager_b_id)


def now() -> Any:
    return timezone.now()


def numbering_ensure() -> int:
    """Create the project and approval-letter numbering rules when missing (idempotent)."""
    from danbao.system.models import NumberingRule
    from danbao.system.services.numbering import numbering_rule_create

    created = 0
    for code, name, prefix, pattern, separator, width, reset in NUMBERING_RULES:
        if NumberingRule.objects.filter(code=code).exists():
            continue
        numbering_rule_create(
            actor=None, code=code, name=name, prefix=prefix, date_pattern=pattern, separator=separator, sequence_width=width, reset=reset
        )
        created += 1
    return created
