"""Letters services: conditions precedent (sync, maker-checker), the checklist blocking each missing
item, issuing (numbering, snapshot, idempotency), the letter lifecycle and audit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.letters import selectors, services
from danbao.letters.models import ConditionItem, ConditionState, GuaranteeLetter, LetterKind, LetterState, LetterTransition
from danbao.letters.tests.support import CONDITIONS, confirm_all, red, set_lower

pytestmark = pytest.mark.django_db


def _items(project: Any) -> list[ConditionItem]:
    return list(ConditionItem.objects.filter(project=project).order_by("sort_order", "id"))


# --- conditions precedent -------------------------------------------------------------------------


class TestConditions:
    def test_sync_materialises_each_line_once(self, approved, owner) -> None:
        mark = audit_mark()
        services.conditions_sync(actor=owner, project=approved)
        services.conditions_sync(actor=owner, project=approved)
        assert [i.text for i in _items(approved)] == CONDITIONS.splitlines()
        assert all(i.state == ConditionState.OPEN and i.is_current for i in _items(approved))
        assert_one_event("letters.conditions_synced", since=mark)

    def test_changed_terms_add_lines_and_keep_dropped_ones_superseded(self, approved, owner, risk_manager) -> None:
        services.conditions_sync(actor=owner, project=approved)
        first = _items(approved)[0]
        services.condition_mark_met(actor=owner, item=first, note="已登记")
        # An approved change writes a new effective terms row with other conditions.
        terms = selectors.effective_terms(approved)
        terms.pk, terms.sequence, terms.conditions = None, 2, "实际控制人夫妇签署连带责任保证合同\n提供应收账款质押"
        terms.save()
        counts = services.conditions_sync(actor=owner, project=approved)
        assert counts == {"added": 1, "superseded": 1, "restored": 0}
        rows = {i.text: i for i in _items(approved)}
        assert len(rows) == 3
        assert rows["落实厂房抵押登记"].superseded_at is not None and rows["落实厂房抵押登记"].state == ConditionState.MET_MARKED
        assert rows["提供应收账款质押"].is_current and rows["提供应收账款质押"].terms_sequence == 2
        with pytest.raises(DomainError) as exc:
            services.condition_confirm(actor=risk_manager, item=rows["落实厂房抵押登记"])
        assert exc.value.code == "letters.condition_superseded"
        # Only the current lines count on the checklist.
        lines = [i for i in selectors.checklist(approved) if i.key.startswith("letters.condition")]
        assert len(lines) == 2

    def test_maker_checker(self, approved, owner, colleague, b_manager, risk_manager) -> None:
        services.conditions_sync(actor=owner, project=approved)
        item = _items(approved)[0]
        with pytest.raises(DomainError) as not_mine:
            services.condition_mark_met(actor=colleague, item=item, note="x")
        assert not_mine.value.code == "letters.not_manager"
        with pytest.raises(DomainError) as no_note:
            services.condition_mark_met(actor=owner, item=item, note="  ")
        assert no_note.value.code == "letters.note_required"
        with pytest.raises(DomainError) as early:
            services.condition_confirm(actor=risk_manager, item=item)
        assert early.value.code == "letters.condition_state"
        mark = audit_mark()
        item = services.condition_mark_met(actor=b_manager, item=item, note="抵押登记已办结")
        assert item.state == ConditionState.MET_MARKED and item.marked_by == b_manager
        assert_one_event("letters.condition_marked_met", since=mark, object_id=str(item.pk))
        with pytest.raises(DomainError) as maker:
            services.condition_confirm(actor=owner, item=item)
        assert maker.value.code == "letters.permission_denied"
        with pytest.raises(DomainError) as twice:
            services.condition_mark_met(actor=owner, item=item, note="again")
        assert twice.value.code == "letters.condition_state"
        # The risk manager's workbench lists it; the business manager (no confirm code) sees nothing to confirm.
        from danbao.letters.registrations import _todos

        assert list(selectors.conditions_to_confirm(risk_manager)) == [item]
        assert not selectors.conditions_to_confirm(owner).exists()
        assert [t.url.endswith("#conditions") for t in _todos(risk_manager)] == [True]
        item = services.condition_confirm(actor=risk_manager, item=item, note="核实")
        assert item.state == ConditionState.MET and item.confirmed_by == risk_manager
        assert not selectors.conditions_to_confirm(risk_manager).exists()
        assert_one_event("letters.condition_confirmed", since=mark)

    def test_the_marker_can_never_confirm(self, approved, org, owner) -> None:
        """Even someone holding both codes cannot confirm a condition of their own project."""
        from danbao.org.tests.factories import UserFactory

        both = UserFactory(username="both", department=org.dept_a, roles=[org.roles["business_manager"], org.roles["risk_manager"]])
        services.conditions_sync(actor=owner, project=approved)
        item = services.condition_mark_met(actor=owner, item=_items(approved)[0], note="已办理")
        approved.manager_b = both
        approved.save(update_fields=["manager_b"])
        with pytest.raises(DomainError) as exc:
            services.condition_confirm(actor=both, item=item)
        assert exc.value.code == "letters.same_person"

    def test_not_applicable_and_send_back(self, approved, owner, risk_manager) -> None:
        services.conditions_sync(actor=owner, project=approved)
        first, second = _items(approved)
        with pytest.raises(DomainError):
            services.condition_mark_not_applicable(actor=owner, item=first, reason="")
        first = services.condition_mark_not_applicable(actor=owner, item=first, reason="客户已提供现金保证金替代")
        first = services.condition_confirm(actor=risk_manager, item=first)
        assert first.state == ConditionState.NOT_APPLICABLE
        second = services.condition_mark_met(actor=owner, item=second, note="已签")
        with pytest.raises(DomainError) as no_reason:
            services.condition_return(actor=risk_manager, item=second, reason="")
        assert no_reason.value.code == "letters.reason_required"
        second = services.condition_return(actor=risk_manager, item=second, reason="签字页缺配偶签名")
        assert second.state == ConditionState.OPEN and second.confirm_note == "签字页缺配偶签名"

    def test_stale_version_is_refused(self, approved, owner) -> None:
        services.conditions_sync(actor=owner, project=approved)
        item = _items(approved)[0]
        with pytest.raises(DomainError) as exc:
            services.condition_mark_met(actor=owner, item=item, note="x", expected_version=item.version + 1)
        assert exc.value.code == "letters.stale"

    def test_evidence_is_stored_with_the_mark(self, approved, owner) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        services.conditions_sync(actor=owner, project=approved)
        item = _items(approved)[0]
        pdf = SimpleUploadedFile("他项权证.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")
        services.condition_mark_met(actor=owner, item=item, note="已取得他项权证", evidence=pdf)
        files = selectors.evidence_of([item])[item.pk]
        assert [f.original_name for f in files] == ["他项权证.pdf"]


# --- the checklist blocks each missing item -------------------------------------------------------


def _refusal(dept_head: Any, project: Any) -> DomainError:
    with pytest.raises(DomainError) as exc:
        services.letter_issue(actor=dept_head, project=project)
    assert exc.value.code == "letters.not_ready"
    assert not GuaranteeLetter.objects.filter(project=project).exists()
    return exc.value


class TestChecklistBlocks:
    def test_all_green_issues(self, ready, dept_head) -> None:
        letter = services.letter_issue(actor=dept_head, project=ready)
        assert letter.state == LetterState.VALID

    def test_unconfirmed_condition(self, approved, owner, dept_head, lower_green) -> None:
        services.conditions_sync(actor=owner, project=approved)
        services.condition_mark_met(actor=owner, item=_items(approved)[0], note="已登记")
        error = _refusal(dept_head, approved)
        assert "落实厂房抵押登记" in error.message and "awaiting the risk manager" in error.message or "等待风险经理" in error.message
        assert "实际控制人夫妇签署连带责任保证合同" in error.message

    @pytest.mark.parametrize(
        "app, detail",
        [
            ("contracts", "保证合同 BZ2026-0001 未签署"),
            ("securities", "抵押反担保：他项权证未登记"),
            ("finance", "担保费尚欠 7,200.00 元"),
        ],
        ids=["contract unsigned", "measure pending", "fee unpaid"],
    )
    def test_each_lower_app(self, approved, owner, risk_manager, dept_head, monkeypatch, app, detail) -> None:
        set_lower(monkeypatch, **{app: red(app, detail)})
        confirm_all(approved, owner, risk_manager)
        error = _refusal(dept_head, approved)
        assert detail in error.message and f"{app} line" in error.message
        assert error.data["keys"] == [f"{app}.missing"]

    def test_a_missing_lower_app_blocks(self, ready, dept_head, monkeypatch) -> None:
        import danbao.finance.selectors as finance

        monkeypatch.delattr(finance, "readiness")
        error = _refusal(dept_head, ready)
        assert error.data["keys"] == ["letters.finance"]

    def test_blocking_pre_issue_rule(self, ready, dept_head, owner, world) -> None:
        from danbao.customers.services import customer_close

        customer_close(actor=owner, customer=world["customer"], reason="企业注销")
        error = _refusal(dept_head, ready)
        assert error.data["keys"] == ["letters.rules"]
        assert "已销户" in error.message

    def test_recheck_stores_the_evaluation(self, ready, dept_head, owner, world) -> None:
        from danbao.rules.models import Evaluation

        assert not selectors.missing(services.checklist_recheck(actor=dept_head, project=ready))
        evaluation = selectors.latest_pre_issue_evaluation(ready)
        assert evaluation is not None and evaluation.stage == "pre_issue" and not evaluation.blocked
        from danbao.customers.services import customer_close

        customer_close(actor=owner, customer=world["customer"], reason="企业注销")
        items = services.checklist_recheck(actor=dept_head, project=ready)
        assert [i.key for i in selectors.missing(items)] == ["letters.rules"]
        assert Evaluation.objects.filter(stage="pre_issue", object_id=ready.pk).count() == 2

    def test_rules_not_run_is_red_until_recheck(self, ready) -> None:
        line = [i for i in selectors.checklist(ready) if i.key == "letters.rules"][0]
        assert not line.ok


# --- issuing --------------------------------------------------------------------------------------


class TestIssue:
    def test_number_snapshot_token_and_audit(self, ready, dept_head) -> None:
        mark = audit_mark()
        letter = services.letter_issue(actor=dept_head, project=ready)
        assert re.fullmatch(r"BH\d{4}-\d{4}", letter.number)
        assert letter.amount == D("800000") and letter.beneficiary == "工商银行长沙分行"
        s = letter.snapshot
        assert s["amount_words"] == "捌拾万元整"
        assert s["guarantee_mode"] == "连带责任保证"
        assert s["beneficiary"] == "工商银行长沙分行" and s["debtor"] == ready.customer.name
        assert s["issue_date"] == letter.issue_date.isoformat()
        assert letter.valid_until == services.add_months(letter.issue_date, 12 + 36)
        assert (
            len(letter.token) == 40
            and set(letter.token) <= set("0123456789abcdef")
            and letter.evaluation is not None
            and letter.evaluation.stage == "pre_issue"
        )
        assert all(line["ok"] for line in letter.checklist)
        assert selectors.issued_letter_for(ready) == letter
        assert_one_event("letters.letter_issued", since=mark, object_id=str(letter.pk))
        assert [t.target for t in LetterTransition.objects.filter(letter=letter)] == ["valid"]

    def test_issuing_twice_gives_one_letter(self, ready, dept_head, gm) -> None:
        first = services.letter_issue(actor=dept_head, project=ready)
        mark = audit_mark()
        second = services.letter_issue(actor=gm, project=ready)
        assert first.pk == second.pk
        assert GuaranteeLetter.objects.filter(project=ready).count() == 1
        assert mark.events("letters.letter_issued") == []

    def test_who_may_issue(self, ready, owner, b_manager, risk_manager, org) -> None:
        for user in (owner, risk_manager):
            with pytest.raises(DomainError) as exc:
                services.letter_issue(actor=user, project=ready)
            assert exc.value.code == "letters.permission_denied"
        from danbao.org.tests.factories import UserFactory

        # A department head who is the project's own B-role manager may not issue its letter.
        head = UserFactory(username="head2", department=org.dept_a, roles=[org.roles["dept_head"], org.roles["business_manager"]])
        ready.manager_b = head
        ready.save(update_fields=["manager_b"])
        with pytest.raises(DomainError) as own:
            services.letter_issue(actor=head, project=ready)
        assert own.value.code == "letters.issuer_is_manager"

    def test_out_of_scope_issuer(self, ready, org) -> None:
        from danbao.org.tests.factories import UserFactory

        head_b = UserFactory(username="headb", department=org.dept_b, roles=[org.roles["dept_head"]])
        with pytest.raises(DomainError) as exc:
            services.letter_issue(actor=head_b, project=ready)
        assert exc.value.code == "letters.permission_denied"

    def test_intent_letter_then_guarantee_letter_supersedes_it(self, approved, owner, risk_manager, dept_head, lower_green) -> None:
        intent = services.intent_letter_issue(actor=dept_head, project=approved)
        assert re.fullmatch(r"YX\d{4}-\d{4}", intent.number) and intent.kind == LetterKind.INTENT
        assert intent.valid_until == intent.issue_date + dt.timedelta(days=90)
        assert services.intent_letter_issue(actor=dept_head, project=approved).pk == intent.pk
        assert selectors.issued_letter_for(approved) is None
        confirm_all(approved, owner, risk_manager)
        letter = services.letter_issue(actor=dept_head, project=approved)
        intent.refresh_from_db()
        assert intent.state == LetterState.SUPERSEDED and intent.state_reason == letter.number
        with pytest.raises(DomainError) as late:
            services.intent_letter_issue(actor=dept_head, project=approved)
        assert late.value.code == "letters.intent_after_guarantee"

    def test_intent_letter_needs_an_approved_project(self, world, owner, b_manager, dept_head) -> None:
        from danbao.projects.tests.support import intake

        project = intake(world, owner, b_manager)
        with pytest.raises(DomainError) as exc:
            services.intent_letter_issue(actor=dept_head, project=project)
        assert exc.value.code == "letters.project_not_approved"

    def test_project_not_approved_blocks_the_guarantee_letter(self, world, owner, b_manager, dept_head, lower_green) -> None:
        from danbao.projects.tests.support import intake

        project = intake(world, owner, b_manager)
        error = _refusal(dept_head, project)
        assert "letters.project" in error.data["keys"]


# --- lifecycle ------------------------------------------------------------------------------------


class TestLifecycle:
    def test_void_then_replace(self, ready, dept_head) -> None:
        letter = services.letter_issue(actor=dept_head, project=ready)
        with pytest.raises(DomainError) as no_reason:
            services.letter_void(actor=dept_head, letter=letter, reason=" ")
        assert no_reason.value.code == "letters.reason_required"
        mark = audit_mark()
        letter = services.letter_void(actor=dept_head, letter=letter, reason="受益人名称有误")
        assert letter.state == LetterState.VOID and letter.state_reason == "受益人名称有误"
        assert_one_event("letters.letter_voided", since=mark)
        assert selectors.issued_letter_for(ready) is None
        services.checklist_recheck(actor=dept_head, project=ready)
        new = services.letter_issue(actor=dept_head, project=ready)
        assert new.pk != letter.pk and new.replaces == letter and new.number != letter.number
        with pytest.raises(DomainError) as again:
            services.letter_release(actor=dept_head, letter=letter, reason="x")
        assert again.value.code == "letters.transition_not_allowed"

    def test_release(self, ready, dept_head, risk_manager) -> None:
        letter = services.letter_issue(actor=dept_head, project=ready)
        with pytest.raises(DomainError) as perm:
            services.letter_release(actor=risk_manager, letter=letter, reason="已还清")
        assert perm.value.code == "letters.permission_denied"
        letter = services.letter_release(actor=dept_head, letter=letter, reason="银行出具还款证明")
        assert letter.state == LetterState.RELEASED
        assert [t.target for t in selectors.transitions_of(letter)] == ["valid", "released"]
        with pytest.raises(DomainError) as void:
            services.letter_void(actor=dept_head, letter=letter, reason="x")
        assert void.value.code == "letters.transition_not_allowed"

    def test_an_intent_letter_is_never_released(self, approved, dept_head) -> None:
        intent = services.intent_letter_issue(actor=dept_head, project=approved)
        with pytest.raises(DomainError) as exc:
            services.letter_release(actor=dept_head, letter=intent, reason="x")
        assert exc.value.code == "letters.transition_not_allowed"

    def test_transitions_are_append_only(self, ready, dept_head) -> None:
        letter = services.letter_issue(actor=dept_head, project=ready)
        row = letter.transitions.get()
        with pytest.raises(ValueError):
            row.save()


@pytest.mark.parametrize(
    "source, target, kind, allowed",
    [
        ("valid", "released", "guarantee", True),
        ("valid", "void", "guarantee", True),
        ("valid", "void", "intent", True),
        ("valid", "superseded", "intent", True),
        ("valid", "released", "intent", False),
        ("valid", "superseded", "guarantee", False),
        ("released", "void", "guarantee", False),
        ("void", "valid", "guarantee", False),
        ("superseded", "valid", "intent", False),
        ("released", "valid", "guarantee", False),
    ],
)
def test_transition_table(source: str, target: str, kind: str, allowed: bool) -> None:
    from danbao.letters.lifecycle import transition_for

    assert (transition_for(source, target, kind) is not None) is allowed


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(min_value=0, max_value=600))
def test_add_months_properties(day: dt.date, months: int) -> None:
    result = services.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    assert result.day == day.day or (result + dt.timedelta(days=1)).month != result.month
