"""Services of the approval engine: every mode and action, separation of duties, fallback, executors."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.workflow import services
from danbao.workflow.models import Action, CarbonCopy, FlowInstance, NodeRun, Task
from danbao.workflow.tests.conftest import AMOUNTS, EXCLUDED, EXECUTED, approval, linear, publish, users

pytestmark = pytest.mark.django_db


def start(owner, record):
    return services.instance_start(actor=owner, flow_type="test.record", obj=record)


def pending(instance, user=None):
    qs = Task.objects.filter(instance=instance, status=Task.Status.PENDING)
    if user is not None:
        qs = qs.filter(assignee=user)
    return list(qs.order_by("pk"))


def refresh(instance):
    return FlowInstance.objects.get(pk=instance.pk)


def code_of(call):
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


class TestStartAndSingle:
    def test_single_approval_runs_the_executor_once_and_records_everything(self, owner, dept_head, record):
        publish(linear(approval("mgr", {"kind": "dept_head"})))
        mark = audit_mark()
        instance = start(owner, record)
        assert instance.status == "running" and instance.current_node == "mgr"
        [task] = pending(instance)
        assert task.assignee == dept_head
        assert_one_event("workflow.instance_start", since=mark, actor_id=owner.pk, object_id=str(instance.pk))
        services.task_approve(actor=dept_head, task=task, comment="同意")
        instance = refresh(instance)
        assert instance.status == "approved" and instance.finished_at is not None
        assert instance.path == ["start", "mgr", "end"]
        assert EXECUTED == [("approved", record.pk)]
        record.refresh_from_db()
        assert record.title == "R1 [approved]"
        assert [a.action for a in Action.objects.filter(instance=instance)] == ["submit", "approve", "approved"]
        assert_one_event("workflow.task_approve", since=mark, actor_id=dept_head.pk)

    def test_one_active_instance_per_object_and_flow_type(self, owner, dept_head, record):
        publish(linear(approval("mgr", {"kind": "dept_head"})))
        instance = start(owner, record)
        assert code_of(lambda: start(owner, record)) == "workflow.already_active"
        with pytest.raises(IntegrityError), transaction.atomic():
            FlowInstance.objects.create(
                version=instance.version,
                flow_type=instance.flow_type,
                content_type=instance.content_type,
                object_id=instance.object_id,
                title="x",
                submitter=owner,
                started_at=instance.started_at,
            )
        services.instance_withdraw(actor=owner, instance=instance)
        assert start(owner, record).status == "running"  # a finished instance no longer blocks

    def test_no_published_version(self, owner, record):
        assert code_of(lambda: start(owner, record)) == "workflow.no_published_version"

    def test_running_instances_keep_their_version(self, owner, dept_head, colleague, record, org):
        from tests.scopeapp.models import Record

        v1 = publish(linear(approval("mgr", {"kind": "dept_head"})))
        instance = start(owner, record)
        v2 = publish(linear(approval("mgr", users(colleague)), approval("second", users(colleague))))
        assert refresh(instance).version == v1
        services.task_approve(actor=dept_head, task=pending(instance)[0])
        assert refresh(instance).status == "approved"
        other = start(owner, Record.objects.create(title="R2", department=org.dept_a, owner=owner))
        assert other.version == v2


class TestSeparationOfDuties:
    def test_submitter_and_excluded_users_are_never_assignees(self, owner, colleague, dept_head, record):
        EXCLUDED.add(colleague.pk)
        publish(linear(approval("mgr", users(owner, colleague, dept_head), mode="all")))
        instance = start(owner, record)
        assert [t.assignee for t in pending(instance)] == [dept_head]

    def test_submitter_cannot_approve_even_with_a_task(self, owner, dept_head, record):
        publish(linear(approval("mgr", {"kind": "dept_head"})))
        instance = start(owner, record)
        task = pending(instance)[0]
        Task.objects.filter(pk=task.pk).update(assignee=owner)  # a task that somehow landed on the submitter
        task.refresh_from_db()
        assert code_of(lambda: services.task_approve(actor=owner, task=task)) == "workflow.own_instance"
        assert refresh(instance).status == "running"

    def test_only_the_assignee_acts(self, owner, dept_head, colleague, record):
        publish(linear(approval("mgr", {"kind": "dept_head"})))
        task = pending(start(owner, record))[0]
        assert code_of(lambda: services.task_approve(actor=colleague, task=task)) == "workflow.not_assignee"


class TestFallback:
    def test_empty_assignee_set_goes_to_the_fallback_queue(self, owner, gm, record):
        publish(linear(approval("board", {"kind": "role", "value": "chairman"})))
        instance = start(owner, record)
        [task] = pending(instance)
        assert task.assignee == gm and task.fallback
        assert Action.objects.filter(instance=instance, action="fallback").exists()
        services.task_approve(actor=gm, task=task)
        assert refresh(instance).status == "approved"

    def test_no_assignee_and_no_fallback_refuses_to_start(self, owner, record):
        publish(linear(approval("board", {"kind": "role", "value": "chairman"})))
        assert code_of(lambda: start(owner, record)) == "workflow.no_assignee"
        assert not FlowInstance.objects.exists()


class TestModes:
    def test_any_one_decides(self, owner, dept_head, colleague, risk_manager, record):
        publish(linear(approval("n", users(colleague, dept_head, risk_manager), mode="any")))
        instance = start(owner, record)
        assert len(pending(instance)) == 3
        services.task_approve(actor=risk_manager, task=pending(instance, risk_manager)[0])
        assert refresh(instance).status == "approved"
        assert Task.objects.filter(instance=instance, status="cancelled").count() == 2

    def test_all_needs_everyone_and_one_reject_ends(self, owner, dept_head, colleague, record):
        publish(linear(approval("n", users(colleague, dept_head), mode="all")))
        instance = start(owner, record)
        services.task_approve(actor=colleague, task=pending(instance, colleague)[0])
        assert refresh(instance).status == "running"
        mark = audit_mark()
        services.task_reject(actor=dept_head, task=pending(instance, dept_head)[0], comment="资料不全")
        assert refresh(instance).status == "rejected"
        assert EXECUTED == [("rejected", record.pk)]
        assert_one_event("workflow.task_reject", since=mark, reason="资料不全")

    def test_sequential_opens_one_after_another(self, owner, dept_head, colleague, risk_manager, record):
        publish(linear(approval("n", users(colleague, dept_head, risk_manager), mode="sequential")))
        instance = start(owner, record)
        assert [t.assignee for t in pending(instance)] == [colleague]
        services.task_approve(actor=colleague, task=pending(instance)[0])
        assert [t.assignee for t in pending(instance)] == [dept_head]
        services.task_approve(actor=dept_head, task=pending(instance)[0])
        assert [t.assignee for t in pending(instance)] == [risk_manager]
        services.task_approve(actor=risk_manager, task=pending(instance)[0])
        assert refresh(instance).status == "approved"

    def test_vote_exactly_two_thirds_passes(self, owner, dept_head, colleague, risk_manager, record):
        publish(linear(approval("n", users(colleague, dept_head, risk_manager), mode="vote", pass_ratio="2/3")))
        instance = start(owner, record)
        services.task_reject(actor=colleague, task=pending(instance, colleague)[0], comment="不同意")
        assert refresh(instance).status == "running"
        services.task_approve(actor=dept_head, task=pending(instance, dept_head)[0])
        assert refresh(instance).status == "running"
        services.task_approve(actor=risk_manager, task=pending(instance, risk_manager)[0])
        assert refresh(instance).status == "approved"

    def test_vote_rejected_once_the_ratio_is_out_of_reach(self, owner, dept_head, colleague, risk_manager, record):
        publish(linear(approval("n", users(colleague, dept_head, risk_manager), mode="vote", pass_ratio="2/3")))
        instance = start(owner, record)
        services.task_reject(actor=colleague, task=pending(instance, colleague)[0], comment="否")
        services.task_reject(actor=dept_head, task=pending(instance, dept_head)[0], comment="否")
        assert refresh(instance).status == "rejected"


class TestBranchesAndCc:
    def graph(self, colleague, dept_head, risk_manager):
        return {
            "nodes": [
                {"id": "start", "kind": "start"},
                approval("mgr", users(dept_head)),
                {"id": "gate", "kind": "condition"},
                {"id": "copy", "kind": "cc", "assignees": [users(colleague)]},
                approval("board", users(risk_manager)),
                {"id": "end", "kind": "end"},
            ],
            "edges": [
                {"source": "start", "target": "mgr"},
                {"source": "mgr", "target": "gate"},
                {"source": "gate", "target": "copy", "condition": {"field": "amount", "op": ">", "value": "5000000"}},
                {"source": "gate", "target": "end"},
                {"source": "copy", "target": "board"},
                {"source": "board", "target": "end"},
            ],
        }

    def test_large_amount_goes_to_the_board_and_copies(self, owner, dept_head, colleague, risk_manager, record):
        publish(self.graph(colleague, dept_head, risk_manager))
        AMOUNTS[record.pk] = "5000000.01"
        instance = start(owner, record)
        services.task_approve(actor=dept_head, task=pending(instance)[0])
        instance = refresh(instance)
        assert instance.current_node == "board" and instance.path == ["start", "mgr", "gate", "copy", "board"]
        assert CarbonCopy.objects.filter(instance=instance, user=colleague).exists()

    def test_small_amount_ends_after_the_manager(self, owner, dept_head, colleague, risk_manager, record):
        publish(self.graph(colleague, dept_head, risk_manager))
        AMOUNTS[record.pk] = "5000000"
        instance = start(owner, record)
        services.task_approve(actor=dept_head, task=pending(instance)[0])
        assert refresh(instance).status == "approved" and not CarbonCopy.objects.exists()


class TestReturn:
    def test_return_to_the_submitter_then_resubmit_reads_new_values(self, owner, dept_head, risk_manager, colleague, record):
        publish(TestBranchesAndCc().graph(colleague, dept_head, risk_manager))
        instance = start(owner, record)
        mark = audit_mark()
        services.task_return(actor=dept_head, task=pending(instance)[0], reason="补充报表", target="submitter")
        instance = refresh(instance)
        assert instance.status == "running" and instance.current_node == "start"
        assert EXECUTED == [("returned", record.pk)]
        assert_one_event("workflow.task_return", since=mark, actor_id=dept_head.pk)
        assert code_of(lambda: services.instance_resubmit(actor=colleague, instance=instance)) == "workflow.not_submitter"
        AMOUNTS[record.pk] = "9000000"
        services.instance_resubmit(actor=owner, instance=instance, comment="已补充")
        assert EXECUTED == [("returned", record.pk), ("resubmitted", record.pk)]
        record.refresh_from_db()
        assert record.title == "R1 [returned] [resubmitted]"
        services.task_approve(actor=dept_head, task=pending(instance)[0])
        assert refresh(instance).current_node == "board"

    def test_a_refusing_resubmit_executor_rolls_the_resubmit_back(self, owner, dept_head, record, test_flow_type):
        import dataclasses

        from danbao.workflow import errors, registry

        publish(linear(approval("first", users(dept_head))))
        instance = start(owner, record)
        services.task_return(actor=dept_head, task=pending(instance)[0], reason="补充报表", target="submitter")

        def refuse(obj, *, instance, actor):  # type: ignore[no-untyped-def]
            obj.title = "changed"
            obj.save(update_fields=["title"])
            raise errors.NOT_RETURNED.error()

        registry.register(dataclasses.replace(test_flow_type, on_resubmitted=refuse), replace=True)
        with pytest.raises(DomainError):
            services.instance_resubmit(actor=owner, instance=refresh(instance), comment="已补充")
        record.refresh_from_db()
        instance = refresh(instance)
        assert record.title == "R1 [returned]" and instance.current_node == "start"
        assert Task.objects.filter(instance=instance, kind=Task.Kind.RESUBMIT, status=Task.Status.PENDING).exists()
        assert not Action.objects.filter(instance=instance, action="resubmit").exists()

    def test_return_to_an_earlier_node(self, owner, dept_head, colleague, risk_manager, record):
        publish(linear(approval("first", users(colleague)), approval("second", users(dept_head)), approval("third", users(risk_manager))))
        instance = start(owner, record)
        services.task_approve(actor=colleague, task=pending(instance)[0])
        services.task_approve(actor=dept_head, task=pending(instance)[0])
        assert [n for n, _ in services.return_targets(refresh(instance))] == ["second", "first"]
        services.task_return(actor=risk_manager, task=pending(instance)[0], reason="重新审查", target="first")
        instance = refresh(instance)
        assert instance.current_node == "first" and [t.assignee for t in pending(instance)] == [colleague]
        services.task_approve(actor=colleague, task=pending(instance)[0])
        # "previous" from second goes back to first
        services.task_return(actor=dept_head, task=pending(instance)[0], reason="再看", target="previous")
        assert refresh(instance).current_node == "first"
        assert NodeRun.objects.filter(instance=instance, node_id="first").count() == 3

    def test_return_to_a_node_not_passed_is_refused(self, owner, dept_head, colleague, record):
        publish(linear(approval("first", users(colleague)), approval("second", users(dept_head))))
        instance = start(owner, record)
        task = pending(instance)[0]
        assert (
            code_of(lambda: services.task_return(actor=colleague, task=task, reason="x", target="second"))
            == "workflow.return_target_invalid"
        )
        assert code_of(lambda: services.task_return(actor=colleague, task=task, reason=" ")) == "workflow.reason_required"
        services.task_return(actor=colleague, task=task, reason="x")  # previous with nothing before: the submitter
        assert refresh(instance).current_node == "start"


class TestWithdrawTerminateUrge:
    def test_withdraw_only_before_anyone_acted(self, owner, dept_head, colleague, record):
        publish(linear(approval("n", users(colleague, dept_head), mode="all")))
        instance = start(owner, record)
        assert code_of(lambda: services.instance_withdraw(actor=colleague, instance=instance)) == "workflow.not_submitter"
        services.task_approve(actor=colleague, task=pending(instance, colleague)[0])
        assert code_of(lambda: services.instance_withdraw(actor=owner, instance=instance)) == "workflow.already_acted"

    def test_withdraw(self, owner, dept_head, record):
        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        mark = audit_mark()
        services.instance_withdraw(actor=owner, instance=instance, reason="撤回修改")
        assert refresh(instance).status == "withdrawn" and not pending(instance)
        assert_one_event("workflow.instance_withdraw", since=mark)

    def test_terminate_needs_the_admin_permission(self, owner, dept_head, gm, record):
        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        assert code_of(lambda: services.instance_terminate(actor=dept_head, instance=instance, reason="x")) == "workflow.permission_denied"
        services.instance_terminate(actor=gm, instance=instance, reason="客户放弃")
        assert refresh(instance).status == "terminated"
        assert code_of(lambda: services.task_approve(actor=dept_head, task=Task.objects.get(instance=instance))) == "workflow.task_handled"

    def test_urge_once_an_hour(self, owner, dept_head, colleague, record, django_capture_on_commit_callbacks):
        from danbao.notifications.models import Message

        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.instance_urge(actor=owner, instance=instance) == 1
        assert Message.objects.filter(kind="workflow.urge").count() == 1
        assert code_of(lambda: services.instance_urge(actor=owner, instance=instance)) == "workflow.urge_too_soon"
        assert code_of(lambda: services.instance_urge(actor=colleague, instance=instance)) == "workflow.not_submitter"


class TestTransferDelegateSigners:
    def test_transfer(self, owner, dept_head, colleague, risk_manager, record):
        EXCLUDED.add(colleague.pk)
        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        task = pending(instance)[0]
        for target in (dept_head, owner, colleague):
            assert (
                code_of(lambda t=target: services.task_transfer(actor=dept_head, task=task, to_user=t))
                == "workflow.transfer_target_invalid"
            )
        mark = audit_mark()
        new = services.task_transfer(actor=dept_head, task=task, to_user=risk_manager, comment="出差")
        assert_one_event("workflow.task_transfer", since=mark, actor_id=dept_head.pk)
        task.refresh_from_db()
        assert task.status == "transferred"
        assert code_of(lambda: services.task_approve(actor=dept_head, task=task)) == "workflow.task_handled"
        services.task_approve(actor=risk_manager, task=new)
        assert refresh(instance).status == "approved"

    def test_delegate_and_come_back(self, owner, dept_head, risk_manager, record):
        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        task = pending(instance)[0]
        delegated = services.task_delegate(actor=dept_head, task=task, to_user=risk_manager, comment="请出风险意见")
        assert pending(instance) == [delegated]
        assert code_of(lambda: services.task_reject(actor=risk_manager, task=delegated, comment="x")) == "workflow.delegate_cannot_reject"
        services.task_approve(actor=risk_manager, task=delegated, comment="风险可控")
        assert refresh(instance).status == "running"  # the opinion does not decide
        assert pending(instance) == [Task.objects.get(pk=task.pk)]
        services.task_approve(actor=dept_head, task=task)
        assert refresh(instance).status == "approved"

    def test_add_signer_before(self, owner, dept_head, risk_manager, record):
        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        task = pending(instance)[0]
        added = services.task_add_signer(actor=dept_head, task=task, user=risk_manager, position="before")
        assert pending(instance) == [added]
        services.task_approve(actor=risk_manager, task=added)
        assert refresh(instance).status == "running" and pending(instance)[0].pk == task.pk
        services.task_approve(actor=dept_head, task=task)
        assert refresh(instance).status == "approved"

    def test_add_signer_after_needs_their_approval_too(self, owner, dept_head, risk_manager, record):
        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        task = pending(instance)[0]
        added = services.task_add_signer(actor=dept_head, task=task, user=risk_manager, position="after")
        services.task_approve(actor=dept_head, task=task)
        assert refresh(instance).status == "running" and pending(instance) == [Task.objects.get(pk=added.pk)]
        services.task_approve(actor=risk_manager, task=added)
        assert refresh(instance).status == "approved"

    def test_remove_signer(self, owner, dept_head, risk_manager, colleague, record):
        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        task = pending(instance)[0]
        added = services.task_add_signer(actor=dept_head, task=task, user=risk_manager, position="after")
        assert code_of(lambda: services.task_remove_signer(actor=colleague, task=added)) == "workflow.permission_denied"
        assert code_of(lambda: services.task_remove_signer(actor=dept_head, task=task)) == "workflow.signer_not_removable"
        services.task_approve(actor=dept_head, task=task)
        mark = audit_mark()
        services.task_remove_signer(actor=dept_head, task=added, comment="无需会签")
        assert_one_event("workflow.task_remove_signer", since=mark)
        assert refresh(instance).status == "approved"

    def test_add_signer_refuses_submitter_and_self(self, owner, dept_head, record):
        publish(linear(approval("n", users(dept_head))))
        task = pending(start(owner, record))[0]
        assert code_of(lambda: services.task_add_signer(actor=dept_head, task=task, user=owner)) == "workflow.signer_invalid"
        assert code_of(lambda: services.task_add_signer(actor=dept_head, task=task, user=dept_head)) == "workflow.signer_invalid"


class TestCommittee:
    def graph(self, dept_head):
        return linear({"id": "meeting", "kind": "committee", "name": "评审会"}, approval("sign", users(dept_head)))

    def test_committee_node_waits_and_is_completed_from_outside(self, owner, dept_head, record):
        publish(self.graph(dept_head))
        instance = start(owner, record)
        assert refresh(instance).current_node == "meeting" and not pending(instance)
        services.committee_complete(actor=None, instance=instance, result="approved", comment="全票通过")
        assert refresh(instance).current_node == "sign"

    def test_committee_reconsideration_returns_to_the_submitter(self, owner, dept_head, record):
        publish(self.graph(dept_head))
        instance = start(owner, record)
        services.committee_complete(actor=None, instance=instance, result="returned", comment="复议")
        assert refresh(instance).current_node == "start"
        assert (
            code_of(lambda: services.committee_complete(actor=None, instance=instance, result="approved")) == "workflow.not_committee_node"
        )

    def test_committee_rejection_ends(self, owner, dept_head, record):
        publish(self.graph(dept_head))
        instance = start(owner, record)
        services.committee_complete(actor=None, instance=instance, result="rejected")
        assert refresh(instance).status == "rejected" and EXECUTED == [("rejected", record.pk)]


class TestExecutorsInTheTransaction:
    def test_a_failing_executor_rolls_the_approval_back(self, owner, dept_head, record, test_flow_type):
        from dataclasses import replace

        from danbao.workflow import registry

        def boom(obj, *, instance, actor):
            obj.title = "changed"
            obj.save(update_fields=["title"])
            raise RuntimeError("domain refused")

        registry.register(replace(test_flow_type, on_approved=boom), replace=True)
        publish(linear(approval("n", users(dept_head))))
        instance = start(owner, record)
        task = pending(instance)[0]
        with pytest.raises(RuntimeError):
            services.task_approve(actor=dept_head, task=task)
        record.refresh_from_db()
        task.refresh_from_db()
        assert record.title == "R1" and task.status == "pending" and refresh(instance).status == "running"
        assert not Action.objects.filter(instance=instance, action="approve").exists()


class TestAssigneeRules:
    def test_dept_role_user_field_and_superior(self, owner, dept_head, colleague, risk_manager, org, record):
        from danbao.workflow import assignees

        kwargs = {"submitter": owner, "obj": record, "values": {"owner": colleague.pk}, "department": org.dept_a}
        rules = [{"kind": "dept_role", "value": "business_manager"}]
        from danbao.workflow.engine.graph import AssigneeRule

        def resolve(*rs):
            return assignees.resolve([AssigneeRule(r["kind"], r.get("value")) for r in rs], **kwargs)

        assert set(resolve(*rules)) == {owner, colleague}
        assert resolve({"kind": "user_field", "value": "owner"}) == [colleague]
        assert resolve({"kind": "superior_of_field", "value": "owner"}) == [dept_head]
        assert resolve({"kind": "dept_head"}) == [dept_head]
        assert resolve({"kind": "role", "value": "risk_manager"}) == [risk_manager]
        # the head's own superior is the head of the parent department (none here)
        assert assignees.superiors_of(dept_head) == []


class TestNotifications:
    def test_assignees_are_told_after_commit_and_the_submitter_at_the_end(
        self, owner, dept_head, record, django_capture_on_commit_callbacks
    ):
        from danbao.notifications.models import Message

        publish(linear(approval("n", users(dept_head))))
        with django_capture_on_commit_callbacks(execute=True):
            instance = start(owner, record)
        assigned = Message.objects.get(kind="workflow.task_assigned")
        assert list(assigned.recipients.values_list("user_id", flat=True)) == [dept_head.pk]
        assert "记录 R1" in assigned.title
        with django_capture_on_commit_callbacks(execute=True):
            services.task_approve(actor=dept_head, task=pending(instance)[0])
        finished = Message.objects.get(kind="workflow.instance_finished")
        assert list(finished.recipients.values_list("user_id", flat=True)) == [owner.pk]


class TestDefinitions:
    def test_design_needs_the_permission_and_publishing_validates(self, gm, dept_head, sysadmin):
        assert (
            code_of(lambda: services.definition_create(actor=sysadmin, code="x", name="X", flow_type="test.record"))
            == "workflow.permission_denied"
        )
        assert code_of(lambda: services.definition_create(actor=gm, code="x", name="X", flow_type="nope")) == "workflow.flow_type_unknown"
        mark = audit_mark()
        definition = services.definition_create(actor=gm, code="x", name="X", flow_type="test.record")
        assert_one_event("workflow.definition_create", since=mark, actor_id=gm.pk)
        draft = services.version_draft_for(actor=gm, definition=definition)
        bad = linear(approval("n", {"kind": "user_field", "value": "salary"}))
        services.version_save_graph(actor=gm, version=draft, graph=bad)
        assert code_of(lambda: services.version_publish(actor=gm, version=draft)) == "workflow.graph_invalid"
        services.version_save_graph(actor=gm, version=draft, graph=linear(approval("n", users(dept_head))))
        services.version_publish(actor=gm, version=draft)
        assert code_of(lambda: services.version_save_graph(actor=gm, version=draft, graph=bad)) == "workflow.version_not_draft"
        assert code_of(lambda: services.version_publish(actor=dept_head, version=draft)) == "workflow.permission_denied"
        second = services.version_draft_for(actor=gm, definition=definition)
        draft.refresh_from_db()
        assert second.number == 2 and second.graph == draft.graph
        services.version_publish(actor=gm, version=second)
        draft.refresh_from_db()
        assert draft.status == "retired"


class TestReassign:
    def test_only_a_supervisor_with_a_reason(self, owner, dept_head, colleague, gm, record):
        publish(linear(approval("mgr", users(dept_head))))
        instance = start(owner, record)
        [task] = pending(instance)
        assert code_of(lambda: services.task_reassign(actor=dept_head, task=task, to_user=colleague, reason="x")) == (
            "workflow.permission_denied"
        )
        assert code_of(lambda: services.task_reassign(actor=gm, task=task, to_user=colleague, reason=" ")) == "workflow.reason_required"
        assert code_of(lambda: services.task_reassign(actor=gm, task=task, to_user=dept_head, reason="x")) == (
            "workflow.transfer_target_invalid"
        )
        assert code_of(lambda: services.task_reassign(actor=gm, task=task, to_user=owner, reason="x")) == "workflow.transfer_target_invalid"
        new = services.task_reassign(actor=gm, task=task, to_user=colleague, reason="休假")
        assert new.assignee == colleague and new.status == "pending"
        action = Action.objects.get(instance=instance, action="reassign")
        assert action.actor == gm and action.comment == "休假" and action.data["to_user"] == colleague.pk
        # the old holder can no longer act; the new one decides the step
        assert code_of(lambda: services.task_approve(actor=dept_head, task=task)) == "workflow.task_handled"
        services.task_approve(actor=colleague, task=new)
        assert refresh(instance).status == "approved"


class TestDefinitionActive:
    def test_a_stopped_flow_takes_no_new_submissions_and_running_ones_go_on(self, owner, dept_head, gm, record, org):
        from tests.scopeapp.models import Record

        version = publish(linear(approval("mgr", users(dept_head))))
        running = start(owner, record)
        definition = version.definition
        assert code_of(lambda: services.definition_set_active(actor=dept_head, definition=definition, active=False, reason="x")) == (
            "workflow.permission_denied"
        )
        assert code_of(lambda: services.definition_set_active(actor=gm, definition=definition, active=False)) == "workflow.reason_required"
        mark = audit_mark()
        services.definition_set_active(actor=gm, definition=definition, active=False, reason="改用新流程")
        assert_one_event("workflow.definition_deactivate", since=mark, actor_id=gm.pk)
        other = Record.objects.create(title="R2", department=org.dept_a, owner=owner)
        assert code_of(lambda: start(owner, other)) == "workflow.no_published_version"
        services.task_approve(actor=dept_head, task=pending(running)[0])
        assert refresh(running).status == "approved"
        services.definition_set_active(actor=gm, definition=definition, active=True)
        assert start(owner, other).status == "running"
