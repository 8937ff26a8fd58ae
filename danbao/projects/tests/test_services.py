"""Project services: intake with rules and screening, the pre-guarantee hand-offs, the approval flow
and its executors, terms, changes — happy paths, refusals, permissions, audit and history."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from danbao.audit.tests.helpers import assert_no_event, assert_one_event
from danbao.core.errors import DomainError
from danbao.projects import services
from danbao.projects.models import ChangeStatus, Project, ProjectState
from danbao.projects.tests.support import intake, pending, to_approving, to_review
from danbao.rules.models import Evaluation
from danbao.workflow import services as wf
from danbao.workflow.models import FlowInstance

pytestmark = pytest.mark.django_db


class TestIntake:
    def test_accepts_with_number_version_and_evaluation(self, world, owner, b_manager):
        project = intake(world, owner, b_manager)
        assert project.state == ProjectState.ACCEPTED
        assert re.fullmatch(r"DB\d{4}-\d{4}", project.number)
        assert project.product_version == world["product"].versions.get(number=1)
        assert project.department == owner.department
        assert project.fee_rate == D("0.008")  # the version's default
        assert project.intake_evaluation.stage == "intake"
        assert project.intake_evaluation.object_id == project.pk
        assert project.transitions.get().action == "intake"
        assert project.history.count() >= 1
        assert_one_event("project.accepted", object_id=str(project.pk))

    def test_same_a_and_b_refused(self, world, owner):
        with pytest.raises(DomainError) as exc:
            intake(world, owner, owner)
        assert exc.value.code == "projects.same_managers"
        assert not Project.objects.exists()

    def test_amount_above_product_is_blocked_and_nothing_created(self, world, owner, b_manager):
        with pytest.raises(DomainError) as exc:
            intake(world, owner, b_manager, amount=D("9500000"))
        assert exc.value.code == "projects.intake_blocked"
        assert not Project.objects.exists()
        refused = Evaluation.objects.get(object_id__isnull=True, stage="intake")
        assert refused.blocked
        assert_one_event("project.intake_refused")

    def test_needs_permission(self, world, risk_manager, b_manager):
        with pytest.raises(DomainError) as exc:
            intake(world, risk_manager, b_manager)
        assert exc.value.code == "projects.permission_denied"

    def test_branch_must_belong_to_bank(self, world, owner, b_manager):
        from danbao.partners.tests.factories import make_bank

        other = make_bank("ABC", "农业银行")
        with pytest.raises(DomainError) as exc:
            intake(world, owner, b_manager, bank=other)
        assert exc.value.code == "projects.branch_mismatch"

    def test_screening_open_hit_needs_exception_reason_then_second_person(self, world, owner, b_manager, dept_head, risk_manager):
        from danbao.customers.services_extras.screening import internal_entry_add

        internal_entry_add(actor=risk_manager, name=world["customer"].name, reason="测试名单")
        with pytest.raises(DomainError) as exc:
            intake(world, owner, b_manager)
        assert exc.value.code == "projects.override_reason"
        assert not Project.objects.exists()
        project = intake(world, owner, b_manager, override_reason="疑似同名，已核实非同一主体")
        assert project.state == ProjectState.OVERRIDE_PENDING
        with pytest.raises(DomainError) as own:
            services.project_override_decide(actor=owner, project=project, approve=True)
        assert own.value.code in ("projects.permission_denied", "projects.override_own")
        services.project_override_decide(actor=dept_head, project=project, approve=True, reason="核实无误")
        project.refresh_from_db()
        assert project.state == ProjectState.ACCEPTED
        assert project.override_decided_by == dept_head
        assert_one_event("project.override_approved", object_id=str(project.pk))


class TestHandOffs:
    def test_diligence_review_and_return(self, world, owner, b_manager, risk_manager):
        project = intake(world, owner, b_manager)
        with pytest.raises(DomainError) as exc:
            services.project_diligence_start(actor=b_manager, project=project)
        assert exc.value.code == "projects.not_manager"
        to_review(project, owner)
        project.refresh_from_db()
        assert project.state == ProjectState.RISK_REVIEW
        with pytest.raises(DomainError) as no_reason:
            services.project_review_return(actor=risk_manager, project=project, reason=" ")
        assert no_reason.value.code == "projects.reason_required"
        services.project_review_return(actor=risk_manager, project=project, reason="补充近三月流水")
        project.refresh_from_db()
        assert project.state == ProjectState.DUE_DILIGENCE
        assert project.state_reason == "补充近三月流水"

    def test_registered_checks_refuse_risk_review_with_their_message(self, world, owner, b_manager, no_review_checks):
        from danbao.core.errors import ErrorCode

        refusal = ErrorCode("test.not_ready", "尽职调查未完成：%(problems)s")
        seen = []

        def check(project, actor):
            seen.append((project.pk, actor.pk))
            raise refusal.error(problems="B角尚未确认")

        no_review_checks.append(check)
        project = intake(world, owner, b_manager)
        services.project_diligence_start(actor=owner, project=project)
        with pytest.raises(DomainError) as exc:
            services.project_review_submit(actor=owner, project=project)
        assert exc.value.code == "test.not_ready" and exc.value.message == "尽职调查未完成：B角尚未确认"
        assert seen == [(project.pk, owner.pk)]
        project.refresh_from_db()
        assert project.state == ProjectState.DUE_DILIGENCE
        assert_no_event("project.review_submitted")
        no_review_checks.clear()
        services.project_review_submit(actor=owner, project=project)
        project.refresh_from_db()
        assert project.state == ProjectState.RISK_REVIEW

    def test_withdraw_needs_reason_and_is_final(self, world, owner, b_manager):
        project = intake(world, owner, b_manager)
        with pytest.raises(DomainError):
            services.project_withdraw(actor=owner, project=project, reason="")
        services.project_withdraw(actor=owner, project=project, reason="客户放弃")
        project.refresh_from_db()
        assert project.state == ProjectState.WITHDRAWN
        with pytest.raises(DomainError) as exc:
            services.project_diligence_start(actor=owner, project=project)
        assert exc.value.code == "projects.transition_not_allowed"

    def test_outsider_cannot_withdraw(self, world, owner, b_manager, outsider):
        project = intake(world, owner, b_manager)
        with pytest.raises(DomainError) as exc:
            services.project_withdraw(actor=outsider, project=project, reason="x")
        assert exc.value.code == "projects.permission_denied"
        assert_no_event("project.withdrawn")


class TestApproval:
    def test_managers_cannot_review(self, world, owner, b_manager):
        project = intake(world, owner, b_manager)
        to_review(project, owner)
        with pytest.raises(DomainError) as exc:
            services.project_approval_submit(actor=owner, project=project, recommendation="agree", opinion="同意")
        assert exc.value.code == "projects.permission_denied"

    def test_submit_starts_the_band_flow_with_opinion_evaluation_and_what_if(self, world, owner, b_manager, risk_manager):
        project = intake(world, owner, b_manager)
        to_approving(project, owner, risk_manager)
        project.refresh_from_db()
        assert project.state == ProjectState.APPROVING
        instance = FlowInstance.objects.get(object_id=project.pk, flow_type="project.approval")
        assert instance.version.definition.code == "PA-10"
        opinion = project.risk_opinions.get()
        assert opinion.evaluation.stage == "pre_approval"
        assert "proposed_liability" in opinion.what_if

    def test_blocking_pre_approval_rule_refuses_but_keeps_its_evaluation(self, world, owner, b_manager, risk_manager):
        from danbao.partners.tests.factories import make_bank

        # A bank without a cooperation agreement: BANK_AGREEMENT blocks before approval (not at intake).
        project = intake(world, owner, b_manager, bank=make_bank("CCB", "建设银行湖南省分行"), branch=None)
        to_review(project, owner)
        with pytest.raises(DomainError) as exc:
            services.project_approval_submit(actor=risk_manager, project=project, recommendation="agree", opinion="同意")
        assert exc.value.code == "projects.pre_approval_blocked"
        assert "建设银行湖南省分行" in exc.value.message
        project.refresh_from_db()
        assert project.state == ProjectState.RISK_REVIEW and not project.risk_opinions.exists()
        assert not FlowInstance.objects.filter(object_id=project.pk).exists()
        evaluation = Evaluation.objects.get(stage="pre_approval", object_id=project.pk)
        assert evaluation.blocked and evaluation.created_by == risk_manager
        assert "BANK_AGREEMENT" in {r["code"] for r in evaluation.results if r.get("outcome") == "hit"}
        event = assert_one_event("project.approval_refused", object_id=str(project.pk), actor_id=risk_manager.pk)
        assert "BANK_AGREEMENT" in event.reason and event.data["evaluation"] == str(evaluation.pk)
        assert_no_event("project.approval_submitted")

    def test_big_amount_goes_to_the_major_flow(self, world, owner, b_manager, risk_manager):
        project = intake(world, owner, b_manager, amount=D("6000000"))
        to_approving(project, owner, risk_manager)
        assert FlowInstance.objects.get(object_id=project.pk).version.definition.code == "PA-20"

    def test_full_approval_with_terms_committee_and_letter_number(self, world, owner, b_manager, risk_manager, dept_head, gm):
        project = intake(world, owner, b_manager)
        to_approving(project, owner, risk_manager)
        wf.task_approve(actor=dept_head, task=pending(dept_head), comment="同意")
        instance = FlowInstance.objects.get(object_id=project.pk)
        wf.committee_complete(actor=None, instance=instance, result="approved", comment="评审会通过")
        with pytest.raises(DomainError) as exc:
            services.project_terms_save(actor=dept_head, project=project, amount="800000", term_months=12, fee_rate="0.008")
        assert exc.value.code == "projects.not_approver"
        with pytest.raises(DomainError) as too_much:
            services.project_terms_save(actor=gm, project=project, amount="2000000", term_months=12, fee_rate="0.008")
        assert too_much.value.code == "projects.terms_invalid"
        services.project_terms_save(
            actor=gm,
            project=project,
            amount="800000",
            term_months=12,
            fee_rate="0.009",
            counter_guarantees="法定代表人连带责任保证",
            conditions="落实抵押登记后放款",
        )
        wf.task_approve(actor=gm, task=pending(gm), comment="同意")
        project.refresh_from_db()
        assert project.state == ProjectState.APPROVED
        assert project.approved_amount == D("800000")
        assert re.fullmatch(r"PF\d{4}-\d{4}", project.approval_number)
        terms = project.terms.get()
        assert terms.sequence == 1 and terms.conditions == "落实抵押登记后放款"
        assert_one_event("project.approved", object_id=str(project.pk))

    def test_reject_records_reason(self, world, owner, b_manager, risk_manager, dept_head):
        project = intake(world, owner, b_manager)
        to_approving(project, owner, risk_manager)
        wf.task_reject(actor=dept_head, task=pending(dept_head), comment="第一还款来源不足")
        project.refresh_from_db()
        assert project.state == ProjectState.REJECTED
        assert project.state_reason == "第一还款来源不足"

    def test_return_and_resubmit(self, world, owner, b_manager, risk_manager, dept_head):
        project = intake(world, owner, b_manager)
        to_approving(project, owner, risk_manager)
        wf.task_return(actor=dept_head, task=pending(dept_head), reason="补充反担保资料", target="submitter")
        project.refresh_from_db()
        assert project.state == ProjectState.RETURNED
        services.project_approval_resubmit(actor=risk_manager, project=project, comment="已补充")
        project.refresh_from_db()
        assert project.state == ProjectState.APPROVING
        assert project.transitions.filter(action="resubmit").count() == 1
        assert_one_event("project.approval_resubmitted", object_id=str(project.pk))
        assert pending(dept_head)
        with pytest.raises(DomainError) as twice:
            services.project_approval_resubmit(actor=risk_manager, project=project, comment="已补充")
        assert twice.value.code == "projects.transition_not_allowed"

    def test_resubmit_from_the_workflow_page_moves_the_project_back(self, world, owner, b_manager, risk_manager, dept_head):
        project = intake(world, owner, b_manager)
        to_approving(project, owner, risk_manager)
        wf.task_return(actor=dept_head, task=pending(dept_head), reason="补充反担保资料", target="submitter")
        instance = FlowInstance.objects.get(object_id=project.pk)
        wf.instance_resubmit(actor=risk_manager, instance=instance, comment="已补充权属证明")
        project.refresh_from_db()
        assert project.state == ProjectState.APPROVING
        move = project.transitions.order_by("-at", "-id").first()
        assert (move.source, move.target, move.action) == ("returned", "approving", "resubmit")
        assert move.actor == risk_manager and move.reason == "已补充权属证明"
        assert_one_event("project.approval_resubmitted", object_id=str(project.pk), actor_id=risk_manager.pk)
        assert pending(dept_head)

    def test_flow_withdrawn_withdraws_project(self, world, owner, b_manager, risk_manager):
        project = intake(world, owner, b_manager)
        to_approving(project, owner, risk_manager)
        instance = FlowInstance.objects.get(object_id=project.pk)
        wf.instance_withdraw(actor=risk_manager, instance=instance, reason="撤回")
        project.refresh_from_db()
        assert project.state == ProjectState.WITHDRAWN


def approve(project, owner, risk_manager, dept_head, gm):
    to_approving(project, owner, risk_manager)
    wf.task_approve(actor=dept_head, task=pending(dept_head))
    wf.committee_complete(actor=None, instance=FlowInstance.objects.get(object_id=project.pk), result="approved")
    wf.task_approve(actor=gm, task=pending(gm))
    project.refresh_from_db()
    return project


class TestChanges:
    def test_change_keeps_history(self, world, owner, b_manager, risk_manager, dept_head, gm):
        project = approve(intake(world, owner, b_manager), owner, risk_manager, dept_head, gm)
        with pytest.raises(DomainError) as nothing:
            services.project_change_request(
                actor=owner, project=project, amount="1000000", term_months=12, bank=world["bank"], branch=world["branch"], reason="x"
            )
        assert nothing.value.code == "projects.change_nothing"
        change = services.project_change_request(
            actor=owner, project=project, amount="1200000", term_months=12, bank=world["bank"], branch=world["branch"], reason="扩大生产"
        )
        with pytest.raises(DomainError) as twice:
            services.project_change_request(
                actor=owner, project=project, amount="1300000", term_months=12, bank=world["bank"], branch=None, reason="再改"
            )
        assert twice.value.code == "projects.change_pending"
        wf.task_approve(actor=dept_head, task=pending(dept_head))
        wf.task_approve(actor=gm, task=pending(gm))
        change.refresh_from_db()
        project.refresh_from_db()
        assert change.status == ChangeStatus.APPROVED
        assert [t.amount for t in project.terms.order_by("sequence")] == [D("1000000"), D("1200000")]
        assert project.approved_amount == D("1200000")
        assert change.before["amount"] == "1000000.00"

    def test_change_needs_approved_project(self, world, owner, b_manager):
        project = intake(world, owner, b_manager)
        with pytest.raises(DomainError) as exc:
            services.project_change_request(
                actor=owner, project=project, amount="1200000", term_months=12, bank=world["bank"], branch=None, reason="x"
            )
        assert exc.value.code == "projects.not_approved"
