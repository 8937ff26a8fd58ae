"""Risk assessment scorecards (担保风险评估): versioned templates per product and customer kind, factors, bins, grades; stored assessments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "danbao.scoring"
    label = "scoring"
    verbose_name = _("Risk assessment")
