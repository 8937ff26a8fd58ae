"""Review committee (贷审会) and external experts: members, meetings, votes, minutes, expert opinions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "danbao.review"
    label = "review"
    verbose_name = _("Review committee")

    def ready(self) -> None:
        from danbao.core import demo, menu, workbench
        from danbao.core.menu import MenuItem
        from danbao.org import permissions, roles
        from danbao.review import permissions as codes
        from danbao.review import (
            registrations_audit,  # noqa: F401
            selectors,
        )

        if codes.GROUP.key not in permissions.catalog:
            permissions.register(codes.GROUP)
        everything = (codes.MEETING_VIEW, codes.MEETING_MANAGE, codes.MEMBER_MANAGE, codes.EXPERT_MANAGE)
        roles.register_default_grants("general_manager", *everything)
        roles.register_default_grants("risk_manager", *everything)
        roles.register_default_grants("committee_member", codes.MEETING_VIEW)
        roles.register_default_grants("chairman", codes.MEETING_VIEW)
        entries = [
            MenuItem("review.meetings", "projects", _("Review meetings"), "review:meeting-list", codes.MEETING_MANAGE, 50, "ti-gavel"),
            MenuItem("review.mine", "projects", _("My review meetings"), "review:my-meetings", codes.MEETING_VIEW, 51, "ti-checkbox"),
            MenuItem("review.members", "projects", _("Committee members"), "review:member-list", codes.MEMBER_MANAGE, 52, "ti-users-group"),
            MenuItem("review.experts", "projects", _("External experts"), "review:expert-list", codes.EXPERT_MANAGE, 53, "ti-school"),
        ]
        for item in entries:
            if item.key not in menu.items:
                menu.register_item(item)
        if "review.votes" not in workbench.providers:
            workbench.register(
                workbench.TodoProvider("review.votes", _("Review meetings to vote in"), selectors.todos_for, codes.MEETING_VIEW)
            )
        if "review" not in demo.steps:
            demo.register(demo.DemoStep("review", 60, _run_demo))


def _run_demo() -> str:
    from danbao.review.demo import seed

    return seed()
