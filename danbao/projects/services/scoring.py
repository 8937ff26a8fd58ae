"""The project's risk assessment (担保风险评估): the customer's scorecard run with the project as its
subject, so the dossier, the risk manager and the approvers read the score of this application."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from danbao.projects import errors
from danbao.projects.models import Project, ProjectState
from danbao.projects.services.common import REVIEW, audit, is_manager, lock

SCORING_RUN = "scoring.assessment.run"
# Before the approval flow: the business managers score during due diligence, the risk manager may
# score again during the review; afterwards the assessment on file is the one the approvers saw.
ASSESSABLE = (ProjectState.ACCEPTED, ProjectState.DUE_DILIGENCE, ProjectState.RISK_REVIEW)


def may_assess(user: Any, project: Project) -> bool:
    """The project's A/B managers or a risk manager, holding the scoring code, before approval."""
    if user is None or not getattr(user, "is_active", False) or not user.can(SCORING_RUN):
        return False
    return project.state in ASSESSABLE and (is_manager(user, project) or user.can(REVIEW))


def project_assess(*, actor: Any, project: Project, template_version: Any, answers: dict[str, str], coverage: Decimal | None) -> Any:
    """Run the scorecard `template_version` for the project's customer with the project as subject."""
    from danbao.projects.selectors import project_in_scope
    from danbao.scoring.services import assessment_run

    with transaction.atomic(durable=True):
        project = lock(project)
        if not project_in_scope(actor, project) or not may_assess(actor, project):
            raise errors.PERMISSION_DENIED.error()
        assessment = assessment_run(
            actor=actor,
            subject=project,
            customer=project.customer,
            template_version=template_version,
            answers=answers,
            coverage=coverage,
        )
        audit("project.assessed", actor, project, assessment=assessment.pk, score=assessment.total_score, grade=assessment.grade)
    return assessment
