"""Review committee (贷审会) and external experts: members, meetings, votes, minutes, expert opinions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "danbao.review"
    label = "review"
    verbose_name = _("Review committee")
