"""Meetings: create and edit, invitations, attendance, the agenda, recusals, votes, decisions, and the
meeting lifecycle (convene, close, cancel).

Locks: a meeting-level change locks the meeting row; an item-level change locks the meeting, then the
item (always in that order), and re-checks the state after the lock, so two secretaries deciding
the same item get one decision and one clear refusal. Deciding an item completes the workflow's
committee node (`workflow.services.committee_complete`) inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from danbao.review import errors, lifecycle, rules
from danbao.review.models import AgendaItem, Attendance, CommitteeMember, Meeting, Recusal, Vote, VoteChoice
from danbao.review.selectors import member_of
from danbao.review.services.common import MEETING_MANAGE, audit, now, require
from danbao.review.setup import NUMBERING, ensure_setup, rules_on
from danbao.workflow import registry
from danbao.workflow.models import FlowInstance, NodeRun

RESULT_TO_WORKFLOW = {rules.PASSED: "approved", rules.REJECTED: "rejected", rules.RECONSIDERED: "returned"}
RESULT_TO_STATUS = {
    rules.PASSED: AgendaItem.Status.PASSED,
    rules.REJECTED: AgendaItem.Status.REJECTED,
    rules.RECONSIDERED: AgendaItem.Status.RECONSIDER,
}


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("chair", "secretary").get(pk=meeting.pk)


def _lock_item(item: AgendaItem) -> tuple[Meeting, AgendaItem]:
    meeting_id = AgendaItem.objects.values_list("meeting_id", flat=True).get(pk=item.pk)
    meeting = Meeting.objects.select_for_update().select_related("chair").get(pk=meeting_id)
    locked = AgendaItem.objects.select_for_update().select_related("flow_instance", "node_run").get(pk=item.pk)
    return meeting, locked


def _require_open(meeting: Meeting) -> None:
    if meeting.status not in lifecycle.OPEN:
        raise errors.MEETING_NOT_OPEN.error()


def _require_convened(meeting: Meeting) -> None:
    _require_open(meeting)
    if meeting.status != lifecycle.CONVENED:
        raise errors.MEETING_NOT_CONVENED.error()


def _require_pending(item: AgendaItem) -> None:
    if item.is_decided:
        raise errors.ITEM_DECIDED.error(result=item.get_status_display())
    if item.status != AgendaItem.Status.PENDING:
        raise errors.ITEM_NOT_PENDING.error()


def _share_text(share: tuple[int, int]) -> str:
    return f"{share[0]}/{share[1]}"


def _check_details(chair: CommitteeMember | None, scheduled_at: datetime | None, place: str, online_link: str) -> None:
    if chair is None or not chair.is_active:
        raise errors.CHAIR_REQUIRED.error(field="chair")
    if scheduled_at is None:
        raise errors.TIME_REQUIRED.error(field="scheduled_at")
    if not (place or "").strip() and not (online_link or "").strip():
        raise errors.PLACE_REQUIRED.error(field="place")


def _invite(meeting: Meeting, members: Iterable[CommitteeMember]) -> list[CommitteeMember]:
    added = []
    existing = set(meeting.attendances.values_list("member_id", flat=True))
    for member in members:
        if member.pk in existing:
            continue
        if not member.is_active:
            raise errors.MEMBER_INACTIVE.error(name=member.name, field="members")
        Attendance.objects.create(meeting=meeting, member=member)
        existing.add(member.pk)
        added.append(member)
    return added


# ----------------------------------------------------------------------------------------------
# meetings


@transaction.atomic(durable=True)
def meeting_create(
    *,
    actor: Any,
    title: str,
    scheduled_at: datetime,
    chair: CommitteeMember,
    members: Iterable[CommitteeMember] = (),
    place: str = "",
    online_link: str = "",
    secretary: Any = None,
    note: str = "",
) -> Meeting:
    """Plan a meeting: its number comes from the numbering rule (PSH2026-001), the chair is invited too."""
    require(actor, MEETING_MANAGE)
    title = (title or "").strip()
    if not title:
        raise errors.NAME_REQUIRED.error(field="title")
    _check_details(chair, scheduled_at, place, online_link)
    secretary = secretary or actor
    if not secretary.can(MEETING_MANAGE):
        raise errors.PERMISSION_DENIED.error(field="secretary")
    ensure_setup()
    from danbao.system.services.numbering import number_next

    number = number_next(NUMBERING, timezone.localtime(scheduled_at).date())
    meeting = Meeting(
        number=number,
        title=title,
        scheduled_at=scheduled_at,
        place=(place or "").strip(),
        online_link=(online_link or "").strip(),
        chair=chair,
        secretary=secretary,
        note=note or "",
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    invited = _invite(meeting, [chair, *members])
    audit("meeting.created", actor, meeting, number=number, title=title, members=[m.pk for m in invited])
    return meeting


@transaction.atomic(durable=True)
def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    scheduled_at: datetime,
    chair: CommitteeMember,
    place: str = "",
    online_link: str = "",
    note: str = "",
) -> Meeting:
    """Change the details of an open meeting (its number stays)."""
    require(actor, MEETING_MANAGE)
    meeting = _lock_meeting(meeting)
    _require_open(meeting)
    _check_details(chair, scheduled_at, place, online_link)
    before = {"title": meeting.title, "scheduled_at": str(meeting.scheduled_at), "chair": meeting.chair_id, "place": meeting.place}
    meeting.title, meeting.scheduled_at, meeting.chair = (title or "").strip() or meeting.title, scheduled_at, chair
    meeting.place, meeting.online_link, meeting.note = (place or "").strip(), (online_link or "").strip(), note or ""
    meeting.full_clean()
    meeting.save()
    _invite(meeting, [chair])
    after = {"title": meeting.title, "scheduled_at": str(meeting.scheduled_at), "chair": meeting.chair_id, "place": meeting.place}
    audit("meeting.updated", actor, meeting, before=before, after=after)
    return meeting


@transaction.atomic(durable=True)
def meeting_invite(*, actor: Any, meeting: Meeting, members: Iterable[CommitteeMember]) -> list[CommitteeMember]:
    """Invite more members to an open meeting; returns the newly invited ones."""
    require(actor, MEETING_MANAGE)
    meeting = _lock_meeting(meeting)
    _require_open(meeting)
    added = _invite(meeting, members)
    if added:
        audit("meeting.invited", actor, meeting, members=[m.pk for m in added])
    return added


@transaction.atomic(durable=True)
def meeting_uninvite(*, actor: Any, meeting: Meeting, member: CommitteeMember) -> None:
    """Withdraw an invitation while the meeting is still a draft (not the chair)."""
    require(actor, MEETING_MANAGE)
    meeting = _lock_meeting(meeting)
    if meeting.status != lifecycle.DRAFT:
        raise errors.TRANSITION_NOT_ALLOWED.error(source=meeting.get_status_display(), target="-")
    if member.pk == meeting.chair_id:
        raise errors.CHAIR_NOT_REMOVABLE.error()
    attendance = Attendance.objects.filter(meeting=meeting, member=member).first()
    if attendance is None:
        raise errors.NOT_INVITED.error(name=member.name)
    if (
        Vote.objects.filter(item__meeting=meeting, member=member).exists()
        or Recusal.objects.filter(item__meeting=meeting, member=member).exists()
    ):
        raise errors.MEMBER_HAS_VOTES.error(name=member.name)
    attendance.delete()  # a draft invitation list; the audit event keeps who was taken off
    audit("meeting.uninvited", actor, meeting, member=member.pk, name=member.name)


@transaction.atomic(durable=True)
def attendance_set(*, actor: Any, meeting: Meeting, member: CommitteeMember, status: str, note: str = "") -> Attendance:
    """Record whether an invited member is present, absent or on leave."""
    require(actor, MEETING_MANAGE)
    meeting = _lock_meeting(meeting)
    _require_open(meeting)
    if status not in (Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.LEAVE):
        raise errors.ATTENDANCE_INVALID.error(field="status")
    attendance = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if attendance is None:
        raise errors.NOT_INVITED.error(name=member.name)
    if (
        status != Attendance.Status.PRESENT
        and Vote.objects.filter(item__meeting=meeting, item__status=AgendaItem.Status.PENDING, member=member).exists()
    ):
        raise errors.MEMBER_HAS_VOTES.error(name=member.name)
    before = attendance.status
    if before == status and attendance.note == (note or ""):
        return attendance
    attendance.status, attendance.note, attendance.recorded_at = status, (note or "")[:200], now()
    attendance.save(update_fields=["status", "note", "recorded_at"])
    audit("attendance.recorded", actor, meeting, member=member.pk, before=before, after=status, note=note)
    return attendance


@transaction.atomic(durable=True)
def meeting_convene(*, actor: Any, meeting: Meeting) -> Meeting:
    """Open the meeting (draft → in session): needs an agenda and at least the quorum invited."""
    require(actor, MEETING_MANAGE)
    meeting = _lock_meeting(meeting)
    if not meeting.items.filter(status=AgendaItem.Status.PENDING).exists():
        raise errors.NO_ITEMS.error()
    minimum = rules_on(timezone.localtime(meeting.scheduled_at).date()).quorum_min
    invited = meeting.attendances.count()
    if invited < minimum:
        raise errors.TOO_FEW_INVITED.error(minimum=minimum, count=invited)
    lifecycle.move(meeting, lifecycle.CONVENED)
    meeting.convened_at = now()
    meeting.save(update_fields=["status", "convened_at"])
    audit("meeting.convened", actor, meeting, number=meeting.number)
    return meeting


@transaction.atomic(durable=True)
def meeting_close(*, actor: Any, meeting: Meeting) -> Meeting:
    """Close the meeting (in session → closed); undecided items are deferred and can go on a later agenda."""
    require(actor, MEETING_MANAGE)
    meeting = _lock_meeting(meeting)
    lifecycle.move(meeting, lifecycle.CLOSED)
    deferred = list(meeting.items.filter(status=AgendaItem.Status.PENDING).values_list("pk", flat=True))
    AgendaItem.objects.filter(pk__in=deferred).update(status=AgendaItem.Status.DEFERRED)
    meeting.closed_at = now()
    meeting.save(update_fields=["status", "closed_at"])
    audit("meeting.closed", actor, meeting, number=meeting.number, deferred=deferred)
    return meeting


@transaction.atomic(durable=True)
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting where nothing was decided yet; its items go back to the waiting list."""
    require(actor, MEETING_MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    meeting = _lock_meeting(meeting)
    if meeting.items.filter(status__in=AgendaItem.DECIDED).exists():
        raise errors.OPEN_ITEMS.error()
    lifecycle.move(meeting, lifecycle.CANCELLED)
    deferred = list(meeting.items.filter(status=AgendaItem.Status.PENDING).values_list("pk", flat=True))
    AgendaItem.objects.filter(pk__in=deferred).update(status=AgendaItem.Status.DEFERRED)
    meeting.cancelled_at, meeting.cancel_reason = now(), reason[:500]
    meeting.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    audit("meeting.cancelled", actor, meeting, reason=reason, number=meeting.number, deferred=deferred)
    return meeting


# ----------------------------------------------------------------------------------------------
# agenda


def _business_object(instance: FlowInstance) -> Any:
    flow_type = registry.get(instance.flow_type)
    return flow_type, flow_type.model_class()._default_manager.filter(pk=instance.object_id).first()


def describe(instance: FlowInstance) -> str:
    """The flow type's description of the business object (what the committee decides on)."""
    flow_type, obj = _business_object(instance)
    return str(flow_type.describe(obj)) if obj is not None else instance.title


@transaction.atomic(durable=True)
def item_add(*, actor: Any, meeting: Meeting, node_run: NodeRun) -> AgendaItem:
    """Put an approval waiting at a committee step on the agenda of an open meeting."""
    require(actor, MEETING_MANAGE)
    meeting = _lock_meeting(meeting)
    _require_open(meeting)
    run = NodeRun.objects.select_for_update().select_related("instance").get(pk=node_run.pk)
    if run.kind != "committee" or run.status != NodeRun.Status.ACTIVE or run.instance.status != FlowInstance.Status.RUNNING:
        raise errors.ITEM_NOT_WAITING.error()
    other = AgendaItem.objects.filter(node_run=run, status=AgendaItem.Status.PENDING).select_related("meeting").first()
    if other is not None:
        raise errors.ITEM_ON_AGENDA.error(number=other.meeting.number)
    order = (meeting.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        flow_instance=run.instance,
        node_run=run,
        order=order,
        title=run.instance.title[:200],
        description=describe(run.instance),
        added_by=actor,
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # a racing secretary put it on another agenda first
        raise errors.ITEM_ON_AGENDA.error(number="—") from None
    audit("item.added", actor, meeting, item=item.pk, instance=run.instance_id, title=item.title)
    return item


@transaction.atomic(durable=True)
def item_remove(*, actor: Any, item: AgendaItem, reason: str) -> AgendaItem:
    """Take an undecided item without votes off the agenda (kept, marked removed)."""
    require(actor, MEETING_MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    meeting, item = _lock_item(item)
    _require_open(meeting)
    _require_pending(item)
    if item.votes.exists():
        raise errors.ITEM_HAS_VOTES.error()
    item.status = AgendaItem.Status.REMOVED
    item.decision_note = reason[:1000]
    item.save(update_fields=["status", "decision_note"])
    audit("item.removed", actor, meeting, reason=reason, item=item.pk, instance=item.flow_instance_id)
    return item


# ----------------------------------------------------------------------------------------------
# recusal and votes


def related_user_ids(item: AgendaItem) -> set[int]:
    """Users who must not vote on the item: its submitter and the flow type's excluded users."""
    flow_type, obj = _business_object(item.flow_instance)
    excluded = {int(pk) for pk in flow_type.excluded_users(obj) if pk} if obj is not None else set()
    return excluded | {item.flow_instance.submitter_id}


@transaction.atomic(durable=True)
def recusal_record(*, actor: Any, item: AgendaItem, member: CommitteeMember, reason: str) -> Recusal:
    """Record that `member` stands aside from `item` (by the secretary, or by the member themself)."""
    own = member.user_id is not None and member.user_id == getattr(actor, "pk", None)
    if not own:
        require(actor, MEETING_MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    meeting, item = _lock_item(item)
    _require_open(meeting)
    _require_pending(item)
    if not Attendance.objects.filter(meeting=meeting, member=member).exists():
        raise errors.NOT_INVITED.error(name=member.name)
    if Recusal.objects.filter(item=item, member=member).exists():
        raise errors.ALREADY_RECUSED.error(name=member.name)
    if Vote.objects.filter(item=item, member=member).exists():
        raise errors.RECUSAL_AFTER_VOTE.error(name=member.name)
    recusal = Recusal.objects.create(item=item, member=member, reason=reason[:500], recorded_by=actor)
    audit("recusal.recorded", actor, item, reason=reason, member=member.pk, name=member.name, meeting=meeting.pk)
    return recusal


@transaction.atomic(durable=True)
def vote_cast(*, actor: Any, item: AgendaItem, choice: str, opinion: str, conditions: str = "") -> Vote:
    """The actor's vote on an item: a present, invited, not recused member; changeable until decided."""
    member = member_of(actor)
    if choice not in VoteChoice.values:
        raise errors.CHOICE_INVALID.error(field="choice")
    opinion, conditions = (opinion or "").strip(), (conditions or "").strip()
    if not opinion:
        raise errors.OPINION_REQUIRED.error(field="opinion")
    if choice == VoteChoice.CONDITIONAL and not conditions:
        raise errors.CONDITIONS_REQUIRED.error(field="conditions")
    if choice != VoteChoice.CONDITIONAL:
        conditions = ""
    meeting, item = _lock_item(item)
    attendance = Attendance.objects.filter(meeting=meeting, member=member).first() if member else None
    if member is None or attendance is None:
        raise errors.PERMISSION_DENIED.error()
    _require_convened(meeting)
    _require_pending(item)
    if attendance.status != Attendance.Status.PRESENT:
        raise errors.NOT_PRESENT.error()
    if Recusal.objects.filter(item=item, member=member).exists():
        raise errors.RECUSED.error(name=member.name)
    if member.user_id in related_user_ids(item):
        raise errors.RECUSAL_REQUIRED.error(name=member.name)
    vote = Vote.objects.select_for_update().filter(item=item, member=member).first()
    if vote is None:
        vote = Vote.objects.create(item=item, member=member, choice=choice, opinion=opinion, conditions=conditions, cast_at=now())
        audit("vote.cast", actor, item, member=member.pk, choice=choice, meeting=meeting.pk)
        return vote
    before = {"choice": vote.choice, "opinion": vote.opinion, "conditions": vote.conditions}
    if before == {"choice": choice, "opinion": opinion, "conditions": conditions}:
        return vote
    vote.choice, vote.opinion, vote.conditions, vote.changed_at = choice, opinion, conditions, now()
    vote.save(update_fields=["choice", "opinion", "conditions", "changed_at"])
    audit("vote.changed", actor, item, member=member.pk, before=before["choice"], after=choice, meeting=meeting.pk)
    return vote


# ----------------------------------------------------------------------------------------------
# decision


def facts_of(meeting: Meeting, item: AgendaItem) -> rules.Facts:
    """The inputs of the decision rule for one item, read from the database."""
    attendance = list(meeting.attendances.values_list("member_id", "status"))
    return rules.Facts(
        invited=frozenset(m for m, _s in attendance),
        present=frozenset(m for m, s in attendance if s == Attendance.Status.PRESENT),
        recused=frozenset(item.recusals.values_list("member_id", flat=True)),
        votes=dict(item.votes.values_list("member_id", "choice")),
        chair=meeting.chair_id,
    )


def preview(meeting: Meeting, item: AgendaItem) -> rules.Outcome:
    """What deciding now would give (shown to the secretary before the decision)."""
    return rules.decide(facts_of(meeting, item), rules_on(timezone.localtime(meeting.scheduled_at).date()))


def _refusal(outcome: rules.Outcome, ruleset: rules.Rules, meeting: Meeting, item: AgendaItem, facts: rules.Facts) -> Exception:
    counts = outcome.counts
    share = _share_text(ruleset.quorum_share)
    if outcome.reason == rules.R_NO_QUORUM:
        return errors.NO_QUORUM.error(present=counts["present"], invited=counts["invited"], minimum=ruleset.quorum_min, share=share)
    if outcome.reason == rules.R_TOO_FEW:
        return errors.TOO_FEW_VOTERS.error(recused=counts["recused"], voters=counts["voters"], minimum=ruleset.quorum_min, share=share)
    missing_ids = (facts.present & facts.invited) - facts.recused - set(facts.votes)
    names = "、".join(CommitteeMember.objects.filter(pk__in=missing_ids).order_by("name").values_list("name", flat=True))
    return errors.VOTES_MISSING.error(missing=len(missing_ids), names=names)


def _collected_conditions(item: AgendaItem) -> str:
    rows = item.votes.filter(choice=VoteChoice.CONDITIONAL).select_related("member").order_by("member__name")
    return "\n".join(f"{v.member.name}：{v.conditions}" for v in rows)


@transaction.atomic(durable=True)
def item_decide(*, actor: Any, item: AgendaItem, note: str = "") -> AgendaItem:
    """Decide an item by the rules in force on the meeting's date and complete the committee step of
    its approval in the same transaction (passed → approved, rejected → rejected, 复议 → returned).
    Deciding twice is refused."""
    require(actor, MEETING_MANAGE)
    meeting, item = _lock_item(item)
    _require_pending(item)
    _require_convened(meeting)
    ruleset = rules_on(timezone.localtime(meeting.scheduled_at).date())
    facts = facts_of(meeting, item)
    outcome = rules.decide(facts, ruleset)
    if not outcome.decided:
        raise _refusal(outcome, ruleset, meeting, item, facts)
    item.status = RESULT_TO_STATUS[outcome.result]
    item.conditions = _collected_conditions(item) if outcome.result == rules.PASSED else ""
    item.decision_note = (note or "").strip()[:1000]
    item.tally = {
        "result": outcome.result,
        "reason": outcome.reason,
        "counts": outcome.counts,
        "rules": ruleset.as_dict(),
        "rules_date": timezone.localtime(meeting.scheduled_at).date().isoformat(),
        "votes": {str(k): v for k, v in sorted(facts.votes.items())},
        "recused": sorted(facts.recused),
        "present": sorted(facts.present),
        "invited": sorted(facts.invited),
    }
    item.decided_at, item.decided_by = now(), actor
    item.save(update_fields=["status", "conditions", "decision_note", "tally", "decided_at", "decided_by"])
    from danbao.workflow.services import committee_complete

    label = str(item.get_status_display())
    comment = f"{meeting.number} {label}" + (f"；条件：{item.conditions}" if item.conditions else "")
    committee_complete(actor=actor, instance=item.flow_instance, result=RESULT_TO_WORKFLOW[outcome.result], comment=comment[:1000])
    audit(
        "item.decided",
        actor,
        item,
        meeting=meeting.pk,
        number=meeting.number,
        result=outcome.result,
        reason_code=outcome.reason,
        counts=outcome.counts,
    )
    return item
