"""Reads of the review app a user sees. Meetings: the secretary's code (review.meeting.manage) sees
all; a member with review.meeting.view sees only meetings they are invited to — any other meeting is
a 404, exactly like a missing one (org.scope.get_in_scope logs the miss)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from danbao.core.workbench import Todo
from danbao.org.scope import get_in_scope
from danbao.review.models import (
    AgendaItem,
    Attendance,
    CommitteeMember,
    Expert,
    ExpertLink,
    ExpertOpinion,
    Meeting,
    Recusal,
    Vote,
)
from danbao.review.permissions import MEETING_MANAGE
from danbao.workflow.models import FlowInstance, NodeRun


def member_list() -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.select_related("user")


def expert_list() -> QuerySet[Expert]:
    return Expert.objects.select_related("user")


def member_get(pk: int, user: Any, request: Any = None) -> CommitteeMember:
    return get_in_scope(member_list(), user, request, pk=pk)


def expert_get(pk: int, user: Any, request: Any = None) -> Expert:
    return get_in_scope(expert_list(), user, request, pk=pk)


def member_of(user: Any) -> CommitteeMember | None:
    """The committee member linked to this user account."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return CommitteeMember.objects.filter(user=user).first()


def meeting_list_for(user: Any) -> QuerySet[Meeting]:
    """Meetings the user may open: all for the secretary's code, else those they are invited to."""
    queryset = Meeting.objects.select_related("chair", "secretary")
    if user.can(MEETING_MANAGE):
        return queryset
    return queryset.filter(attendances__member__user=user).distinct()


def meeting_get_for(user: Any, pk: int, request: Any = None) -> Meeting:
    return get_in_scope(meeting_list_for(user), user, request, pk=pk)


def item_get_for(user: Any, pk: int, request: Any = None) -> AgendaItem:
    """An agenda item of a meeting the user may open; 404 otherwise."""
    meetings = meeting_list_for(user).values("pk")
    queryset = AgendaItem.objects.select_related("meeting", "meeting__chair", "flow_instance", "decided_by").filter(meeting__in=meetings)
    return get_in_scope(queryset, user, request, pk=pk)


def meeting_detail(meeting: Meeting) -> dict[str, Any]:
    """Everything the meeting page and the minutes show: attendance, items with votes, recusals, opinions."""
    attendance = list(meeting.attendances.select_related("member").order_by("member__name"))
    items = list(
        meeting.items.exclude(status=AgendaItem.Status.REMOVED)
        .select_related("flow_instance", "decided_by")
        .prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("member").order_by("member__name")),
            Prefetch("recusals", queryset=Recusal.objects.select_related("member", "recorded_by").order_by("member__name")),
            Prefetch(
                "expert_opinions",
                queryset=ExpertOpinion.objects.select_related("link", "link__expert").order_by("link__expert__name", "pk"),
            ),
        )
        .order_by("order", "pk")
    )
    counts = {status: 0 for status in Attendance.Status.values}
    for row in attendance:
        counts[row.status] += 1
    return {"attendance": attendance, "items": items, "attendance_counts": counts}


def waiting_runs() -> QuerySet[NodeRun]:
    """Approvals waiting at a committee step that are not on an open agenda (the secretary's pick list)."""
    on_agenda = AgendaItem.objects.filter(node_run=OuterRef("pk"), status=AgendaItem.Status.PENDING)
    return (
        NodeRun.objects.filter(kind="committee", status=NodeRun.Status.ACTIVE, instance__status=FlowInstance.Status.RUNNING)
        .exclude(Exists(on_agenda))
        .select_related("instance", "instance__submitter")
        .order_by("started_at", "pk")
    )


def my_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings the user is invited to as a committee member, most recent first."""
    return Meeting.objects.filter(attendances__member__user=user).select_related("chair", "secretary").distinct().order_by("-scheduled_at")


def items_to_vote(user: Any) -> QuerySet[AgendaItem]:
    """Undecided items of meetings in session where the user is present, has not voted and did not recuse."""
    member = member_of(user)
    if member is None:
        return AgendaItem.objects.none()
    present = Attendance.objects.filter(meeting=OuterRef("meeting"), member=member, status=Attendance.Status.PRESENT)
    invited = Attendance.objects.filter(meeting=OuterRef("meeting"), member=member).exclude(
        status__in=[Attendance.Status.ABSENT, Attendance.Status.LEAVE]
    )
    voted = Vote.objects.filter(item=OuterRef("pk"), member=member)
    recused = Recusal.objects.filter(item=OuterRef("pk"), member=member)
    return (
        AgendaItem.objects.filter(status=AgendaItem.Status.PENDING, meeting__status=Meeting.Status.CONVENED)
        .filter(Exists(invited))
        .exclude(Exists(voted))
        .exclude(Exists(recused))
        .annotate(is_present=Exists(present))
        .select_related("meeting")
        .order_by("meeting__scheduled_at", "order")
    )


def todos_for(user: Any) -> list[Todo]:
    """Workbench provider: items of meetings in session that I still have to vote on."""
    today = timezone.localdate()
    return [
        Todo(
            kind="评审会投票",
            title=f"{item.meeting.number} {item.title}",
            url=reverse("review:vote", args=[item.pk]),
            due_date=timezone.localtime(item.meeting.scheduled_at).date(),
            urgent=timezone.localtime(item.meeting.scheduled_at).date() <= today,
        )
        for item in items_to_vote(user)[:50]
    ]


def expert_links_for(meeting: Meeting) -> list[ExpertLink]:
    return list(
        meeting.expert_links.select_related("expert", "created_by", "revoked_by").prefetch_related(
            Prefetch("opinions", queryset=ExpertOpinion.objects.select_related("item").order_by("item__order"))
        )
    )


def link_opinions(link: ExpertLink) -> list[ExpertOpinion]:
    """The items assigned through this link (only these are shown to the expert)."""
    return list(link.opinions.select_related("item", "item__flow_instance").order_by("item__order", "pk"))


def waiting_run_get(pk: Any) -> NodeRun | None:
    """A committee run the secretary picked (the service re-checks that it is still waiting)."""
    try:
        return NodeRun.objects.select_related("instance").filter(pk=int(pk), kind="committee").first()
    except (TypeError, ValueError):
        return None


def attendance_of(meeting: Meeting, member: CommitteeMember | None) -> Attendance | None:
    if member is None:
        return None
    return Attendance.objects.select_related("member").filter(meeting=meeting, member=member).first()


def vote_of(item: AgendaItem, member: CommitteeMember | None) -> Vote | None:
    if member is None:
        return None
    return Vote.objects.filter(item=item, member=member).first()


def invited_member(meeting: Meeting, pk: Any) -> CommitteeMember | None:
    try:
        return CommitteeMember.objects.filter(pk=int(pk), attendances__meeting=meeting).first()
    except (TypeError, ValueError):
        return None
