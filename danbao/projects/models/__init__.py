"""Project aggregate: the project row, its state log, risk opinions, approval terms and changes."""

from danbao.projects.models.project import (
    ChangeStatus,
    Project,
    ProjectChange,
    ProjectState,
    ProjectTerms,
    ProjectTransition,
    RepaymentMethod,
    RiskOpinion,
    RiskRecommendation,
)

__all__ = [
    "ChangeStatus",
    "Project",
    "ProjectChange",
    "ProjectState",
    "ProjectTerms",
    "ProjectTransition",
    "RepaymentMethod",
    "RiskOpinion",
    "RiskRecommendation",
]
