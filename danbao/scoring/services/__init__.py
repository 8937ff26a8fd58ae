"""Scoring writes: templates and their versions (templates.py), assessments (assessments.py)."""

from danbao.scoring.services.assessments import assessment_adjust, assessment_run
from danbao.scoring.services.templates import (
    GradeSpec,
    factor_remove,
    factor_save,
    grades_save,
    template_create,
    template_update,
    version_draft_open,
    version_publish,
    version_retire,
)

__all__ = [
    "GradeSpec",
    "assessment_adjust",
    "assessment_run",
    "factor_remove",
    "factor_save",
    "grades_save",
    "template_create",
    "template_update",
    "version_draft_open",
    "version_publish",
    "version_retire",
]
