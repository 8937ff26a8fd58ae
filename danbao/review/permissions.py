"""The review app's permission codes (registered in apps.ready; menus, views and services check them)."""

from django.utils.translation import gettext_lazy as _

from danbao.org.permissions import PermissionGroup

MEMBER_MANAGE = "review.member.manage"
EXPERT_MANAGE = "review.expert.manage"
MEETING_MANAGE = "review.meeting.manage"
MEETING_VIEW = "review.meeting.view"

GROUP = PermissionGroup(
    "review",
    _("Review committee"),
    (
        (MEETING_VIEW, _("View review meetings (members: only meetings they are invited to)")),
        (MEETING_MANAGE, _("Run review meetings as secretary: agenda, attendance, recusals, decisions, minutes")),
        (MEMBER_MANAGE, _("Manage the committee member registry")),
        (EXPERT_MANAGE, _("Manage external experts and their review links")),
    ),
)
