"""Every write on projects goes through these services (STYLE "A state change has exactly one door")."""

from danbao.projects.services.approval import (
    REVIEW_SUBMIT_CHECKS,
    project_approval_resubmit,
    project_approval_submit,
    project_diligence_start,
    project_review_return,
    project_review_submit,
    project_terms_save,
)
from danbao.projects.services.changes import project_change_request
from danbao.projects.services.intake import project_intake, project_override_decide, project_withdraw
from danbao.projects.services.scoring import project_assess

__all__ = [
    "REVIEW_SUBMIT_CHECKS",
    "project_approval_resubmit",
    "project_approval_submit",
    "project_assess",
    "project_change_request",
    "project_diligence_start",
    "project_intake",
    "project_override_decide",
    "project_review_return",
    "project_review_submit",
    "project_terms_save",
    "project_withdraw",
]
