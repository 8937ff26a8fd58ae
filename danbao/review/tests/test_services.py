"""Review services: registries, meetings and their lifecycle, agenda, attendance, recusal, votes,
decisions completing the workflow's committee step, audit events and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.review import services
from danbao.review.models import AgendaItem, CommitteeMember, Expert, Meeting
from danbao.review.tests.support import EXCLUDED, EXECUTED, convene, vote_all
from danbao.workflow.models import FlowInstance


def code_of(call):
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


def message_of(call):
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.message


class TestRegistries:
    def test_create_update_deactivate_reactivate_with_audit(self, secretary, colleague):
        mark = audit_mark()
        member = services.person_create(actor=secretary, model=CommitteeMember, name=" 周委员 ", user=colleague, title="律师")
        assert member.name == "周委员"
        assert_one_event("review.member.created", since=mark, actor_id=secretary.pk, object_id=str(member.pk))
        services.person_update(actor=secretary, person=member, title="高级律师", organisation="某律所")
        event = assert_one_event("review.member.updated", since=mark)
        assert event.data["fields"] == ["organisation", "title"]
        assert code_of(lambda: services.person_deactivate(actor=secretary, person=member, reason=" ")) == "review.reason_required"
        services.person_deactivate(actor=secretary, person=member, reason="任期届满")
        member.refresh_from_db()
        assert not member.is_active and member.deactivated_reason == "任期届满"
        assert CommitteeMember.objects.filter(pk=member.pk).exists()  # never deleted
        assert code_of(lambda: services.person_deactivate(actor=secretary, person=member, reason="x")) == "review.already_inactive"
        services.person_reactivate(actor=secretary, person=member)
        assert CommitteeMember.objects.get(pk=member.pk).is_active
        assert_one_event("review.member.reactivated", since=mark)

    def test_one_account_one_member_and_name_required(self, secretary, colleague):
        services.person_create(actor=secretary, model=CommitteeMember, name="甲", user=colleague)
        assert (
            code_of(lambda: services.person_create(actor=secretary, model=CommitteeMember, name="乙", user=colleague))
            == "review.user_taken"
        )
        assert code_of(lambda: services.person_create(actor=secretary, model=Expert, name="")) == "review.name_required"

    def test_permission(self, owner, sysadmin):
        for actor in (owner, sysadmin):
            assert code_of(lambda a=actor: services.person_create(actor=a, model=Expert, name="专家")) == "review.permission_denied"


class TestMeetings:
    def test_number_from_the_numbering_rule_and_chair_invited(self, secretary, committee):
        mark = audit_mark()
        when = timezone.now() + timedelta(days=2)
        first = services.meeting_create(
            actor=secretary, title="第一次", scheduled_at=when, chair=committee[0], members=committee[1:3], place="会议室"
        )
        second = services.meeting_create(
            actor=secretary, title="第二次", scheduled_at=when, chair=committee[1], online_link="https://meet.example.cn/1"
        )
        year = timezone.localtime(when).year
        assert (first.number, second.number) == (f"PSH{year}-001", f"PSH{year}-002")
        assert first.attendances.count() == 3 and second.attendances.get().member == committee[1]
        assert len(mark.events("review.meeting.created")) == 2

    def test_refusals(self, secretary, committee, owner):
        when = timezone.now()
        assert (
            code_of(lambda: services.meeting_create(actor=secretary, title="x", scheduled_at=when, chair=committee[0]))
            == "review.place_required"
        )
        services.person_deactivate(actor=secretary, person=committee[5], reason="离任")
        committee[5].refresh_from_db()
        chair_gone = lambda: services.meeting_create(actor=secretary, title="x", scheduled_at=when, chair=committee[5], place="p")  # noqa: E731
        assert code_of(chair_gone) == "review.chair_required"
        invite_gone = lambda: services.meeting_create(  # noqa: E731
            actor=secretary, title="x", scheduled_at=when, chair=committee[0], members=[committee[5]], place="p"
        )
        assert code_of(invite_gone) == "review.member_inactive"
        assert not Meeting.objects.exists()
        assert code_of(lambda: services.meeting_create(actor=owner, title="x", scheduled_at=when, chair=committee[0], place="p")) == (
            "review.permission_denied"
        )

    def test_convene_needs_items_and_the_quorum_invited(self, secretary, committee, waiting):
        small = services.meeting_create(
            actor=secretary, title="小会", scheduled_at=timezone.now(), chair=committee[0], members=committee[1:4], place="p"
        )
        assert code_of(lambda: services.meeting_convene(actor=secretary, meeting=small)) == "review.no_items"
        services.item_add(actor=secretary, meeting=small, node_run=waiting())
        assert "至少邀请 5 名" in message_of(lambda: services.meeting_convene(actor=secretary, meeting=small))
        services.meeting_invite(actor=secretary, meeting=small, members=[committee[4]])
        services.meeting_convene(actor=secretary, meeting=small)
        assert Meeting.objects.get(pk=small.pk).status == "convened"
        assert code_of(lambda: services.meeting_convene(actor=secretary, meeting=small)) == "review.transition_not_allowed"

    def test_close_defers_undecided_items_which_can_go_on_a_later_agenda(self, secretary, committee, meeting, waiting):
        run = waiting()
        [item] = convene(secretary, meeting, [run], committee)
        services.meeting_close(actor=secretary, meeting=meeting)
        item.refresh_from_db()
        assert item.status == AgendaItem.Status.DEFERRED
        assert code_of(lambda: services.vote_cast(actor=committee[0].user, item=item, choice="agree", opinion="同意")) in (
            "review.item_not_pending",
            "review.meeting_not_open",
        )
        later = services.meeting_create(actor=secretary, title="下次", scheduled_at=timezone.now(), chair=committee[0], place="p")
        assert services.item_add(actor=secretary, meeting=later, node_run=run).status == "pending"

    def test_cancel_needs_a_reason_and_no_decision(self, secretary, committee, meeting, waiting):
        runs = [waiting("甲"), waiting("乙")]
        first, _second = convene(secretary, meeting, runs, committee)
        vote_all(first, dict.fromkeys(committee, "agree"))
        services.item_decide(actor=secretary, item=first)
        assert code_of(lambda: services.meeting_cancel(actor=secretary, meeting=meeting, reason="")) == "review.reason_required"
        assert code_of(lambda: services.meeting_cancel(actor=secretary, meeting=meeting, reason="改期")) == "review.open_items"

    def test_cancel_a_draft_returns_items_to_the_waiting_list(self, secretary, meeting, waiting):
        from danbao.review.selectors import waiting_runs

        run = waiting()
        services.item_add(actor=secretary, meeting=meeting, node_run=run)
        assert run not in waiting_runs()
        services.meeting_cancel(actor=secretary, meeting=meeting, reason="主任委员出差")
        assert Meeting.objects.get(pk=meeting.pk).status == "cancelled"
        assert run in waiting_runs()


class TestAgenda:
    def test_only_waiting_runs_and_only_once(self, secretary, committee, meeting, waiting):
        run = waiting()
        mark = audit_mark()
        item = services.item_add(actor=secretary, meeting=meeting, node_run=run)
        assert "项目甲" in item.title and "申请担保金额" in item.description and item.order == 1
        assert_one_event("review.item.added", since=mark)
        other = services.meeting_create(actor=secretary, title="另一场", scheduled_at=timezone.now(), chair=committee[0], place="p")
        assert meeting.number in message_of(lambda: services.item_add(actor=secretary, meeting=other, node_run=run))

    def test_a_withdrawn_approval_cannot_be_added(self, secretary, meeting, waiting, owner):
        from danbao.workflow.services import instance_withdraw

        run = waiting()
        instance_withdraw(actor=owner, instance=run.instance, reason="撤回")
        assert code_of(lambda: services.item_add(actor=secretary, meeting=meeting, node_run=run)) == "review.item_not_waiting"

    def test_remove_keeps_the_row(self, secretary, meeting, waiting):
        item = services.item_add(actor=secretary, meeting=meeting, node_run=waiting())
        assert code_of(lambda: services.item_remove(actor=secretary, item=item, reason="")) == "review.reason_required"
        services.item_remove(actor=secretary, item=item, reason="材料不全")
        assert AgendaItem.objects.get(pk=item.pk).status == AgendaItem.Status.REMOVED


class TestVotes:
    def test_vote_cast_and_change_audited_until_decided(self, secretary, committee, meeting, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee)
        member = committee[1]
        mark = audit_mark()
        services.vote_cast(actor=member.user, item=item, choice="disagree", opinion="担保物不足")
        assert_one_event("review.vote.cast", since=mark, actor_id=member.user.pk, data={"choice": "disagree"})
        services.vote_cast(actor=member.user, item=item, choice="conditional", opinion="可以", conditions="追加抵押")
        assert_one_event("review.vote.changed", since=mark, data={"before": "disagree", "after": "conditional"})
        vote = item.votes.get(member=member)
        assert vote.choice == "conditional" and vote.history.count() == 2
        vote_all(item, {m: "agree" for m in committee if m != member})
        services.item_decide(actor=secretary, item=item)
        assert code_of(lambda: services.vote_cast(actor=member.user, item=item, choice="agree", opinion="x")) == "review.item_decided"

    def test_refusals(self, secretary, committee, meeting, waiting, owner):
        [item] = convene(secretary, meeting, [waiting()], committee[:5])
        absent, member = committee[5], committee[0]
        assert code_of(lambda: services.vote_cast(actor=absent.user, item=item, choice="agree", opinion="x")) == "review.not_present"
        assert code_of(lambda: services.vote_cast(actor=owner, item=item, choice="agree", opinion="x")) == "review.permission_denied"
        assert code_of(lambda: services.vote_cast(actor=member.user, item=item, choice="maybe", opinion="x")) == "review.choice_invalid"
        assert code_of(lambda: services.vote_cast(actor=member.user, item=item, choice="agree", opinion=" ")) == "review.opinion_required"
        no_conditions = lambda: services.vote_cast(actor=member.user, item=item, choice="conditional", opinion="可")  # noqa: E731
        assert code_of(no_conditions) == "review.conditions_required"
        assert not item.votes.exists()

    def test_vote_before_the_meeting_opens_is_refused(self, secretary, committee, meeting, waiting):
        item = services.item_add(actor=secretary, meeting=meeting, node_run=waiting())
        assert code_of(lambda: services.vote_cast(actor=committee[0].user, item=item, choice="agree", opinion="x")) == (
            "review.meeting_not_convened"
        )

    def test_recused_members_cannot_vote_and_related_members_must_recuse(self, secretary, committee, meeting, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee)
        mark = audit_mark()
        services.recusal_record(actor=committee[2].user, item=item, member=committee[2], reason="借款人系其亲属")
        assert_one_event("review.recusal.recorded", since=mark, actor_id=committee[2].user.pk)
        assert code_of(lambda: services.vote_cast(actor=committee[2].user, item=item, choice="agree", opinion="x")) == "review.recused"
        assert (
            code_of(lambda: services.recusal_record(actor=secretary, item=item, member=committee[2], reason="x"))
            == "review.already_recused"
        )
        EXCLUDED.add(committee[3].user.pk)
        assert code_of(lambda: services.vote_cast(actor=committee[3].user, item=item, choice="agree", opinion="x")) == (
            "review.recusal_required"
        )
        # a member may not record someone else's recusal
        other = lambda: services.recusal_record(actor=committee[1].user, item=item, member=committee[4], reason="x")  # noqa: E731
        assert code_of(other) == "review.permission_denied"

    def test_absent_after_voting_is_refused(self, secretary, committee, meeting, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee)
        vote_all(item, {committee[1]: "agree"})
        refuse = lambda: services.attendance_set(actor=secretary, meeting=meeting, member=committee[1], status="absent")  # noqa: E731
        assert code_of(refuse) == "review.member_has_votes"


class TestDecide:
    def test_passed_completes_the_committee_step_with_conditions(self, secretary, committee, meeting, waiting):
        run = waiting()
        [item] = convene(secretary, meeting, [run], committee)
        votes = dict.fromkeys(committee[:3], "agree") | {committee[3]: "conditional", committee[4]: "disagree", committee[5]: "reconsider"}
        vote_all(item, votes)
        mark = audit_mark()
        decided = services.item_decide(actor=secretary, item=item, note="按多数意见通过")
        assert decided.status == AgendaItem.Status.PASSED
        assert decided.conditions == f"{committee[3].name}：追加实际控制人连带责任保证"
        assert decided.tally["counts"]["yes"] == 4 and decided.tally["rules"]["quorum_min"] == 5
        instance = FlowInstance.objects.get(pk=run.instance_id)
        assert instance.status == "approved" and EXECUTED == [("approved", instance.object_id)]
        assert_one_event("review.item.decided", since=mark, actor_id=secretary.pk, data={"result": "passed"})
        assert_one_event("workflow.committee_complete", since=mark, data={"result": "approved"})

    def test_deciding_twice_is_refused_and_changes_nothing(self, secretary, committee, meeting, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee)
        vote_all(item, dict.fromkeys(committee, "disagree"))
        services.item_decide(actor=secretary, item=item)
        mark = audit_mark()
        assert (
            "已表决" in message_of(lambda: services.item_decide(actor=secretary, item=item))
            or code_of(lambda: services.item_decide(actor=secretary, item=item)) == "review.item_decided"
        )
        assert_no_event("review.item.decided", since=mark)
        assert EXECUTED == [("rejected", item.flow_instance.object_id)]
        assert FlowInstance.objects.get(pk=item.flow_instance_id).status == "rejected"

    def test_reconsider_returns_the_approval_to_the_submitter(self, secretary, committee, meeting, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee)
        vote_all(item, dict.fromkeys(committee[:3], "agree") | dict.fromkeys(committee[3:], "reconsider"))
        assert services.item_decide(actor=secretary, item=item).status == AgendaItem.Status.RECONSIDER
        instance = FlowInstance.objects.get(pk=item.flow_instance_id)
        assert instance.status == "running" and instance.current_node == "start"

    def test_no_quorum_is_refused_with_the_numbers(self, secretary, committee, meeting, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee[:4])
        vote_all(item, dict.fromkeys(committee[:4], "agree"))
        text = message_of(lambda: services.item_decide(actor=secretary, item=item))
        assert "4" in text and "6" in text and "不足" in text
        assert AgendaItem.objects.get(pk=item.pk).status == "pending"

    def test_recusals_leaving_too_few_voters(self, secretary, committee, meeting, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee)
        for member in committee[:2]:
            services.recusal_record(actor=secretary, item=item, member=member, reason="关联关系")
        vote_all(item, dict.fromkeys(committee[2:], "agree"))
        assert code_of(lambda: services.item_decide(actor=secretary, item=item)) == "review.too_few_voters"
        assert FlowInstance.objects.get(pk=item.flow_instance_id).current_node == "meeting"

    def test_missing_votes_are_named(self, secretary, committee, meeting, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee)
        vote_all(item, dict.fromkeys(committee[:5], "agree"))
        assert committee[5].name in message_of(lambda: services.item_decide(actor=secretary, item=item))

    def test_chair_veto_parameter(self, secretary, committee, meeting, waiting, sysadmin):
        from danbao.review.setup import CHAIR_VETO, ensure_setup
        from danbao.system.models import Parameter
        from danbao.system.services.parameters import parameter_set

        ensure_setup()
        parameter = Parameter.objects.get(code=CHAIR_VETO)
        parameter_set(actor=sysadmin, parameter=parameter, value="true", valid_from=timezone.localdate())
        [item] = convene(secretary, meeting, [waiting()], committee)
        vote_all(item, {committee[0]: "disagree"} | dict.fromkeys(committee[1:], "agree"))
        decided = services.item_decide(actor=secretary, item=item)
        assert decided.status == "rejected" and decided.tally["reason"] == "chair_veto"

    def test_only_the_secretary_decides(self, committee, meeting, secretary, waiting):
        [item] = convene(secretary, meeting, [waiting()], committee)
        assert code_of(lambda: services.item_decide(actor=committee[0].user, item=item)) == "review.permission_denied"
