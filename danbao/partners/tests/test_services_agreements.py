"""Agreement services: validation messages, overlap, lifecycle, maker-checker, history and audit,
the daily expiry job."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.partners import services
from danbao.partners.models import Agreement, AgreementStatus
from danbao.partners.tests.factories import agreement_terms, in_force, make_agreement, make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(org):
    return make_bank("ABC", "中国农业银行湖南省分行")


def _refused(code: str, fn, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(**kwargs)
    assert info.value.code == code
    return info.value


def test_create_draft_with_audit_and_history(bank, gm) -> None:
    mark = audit_mark()
    agreement = make_agreement(bank, gm, actor=gm)
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.created_by == gm and agreement.history.count() == 1
    assert_one_event("partners.agreement_created", since=mark, actor_id=gm.pk, object_id=str(agreement.pk))


@pytest.mark.parametrize(
    ("overrides", "code", "words"),
    [
        ({"bank_share_rate": Decimal("1.2")}, "partners.share_range", "0% 到 100%"),
        ({"margin_rate": Decimal("-0.1")}, "partners.share_range", "0% 到 100%"),
        ({"valid_from": date(2027, 1, 1), "valid_to": date(2026, 1, 1)}, "partners.dates_reversed", "早于"),
        ({"credit_line_amount": Decimal(0)}, "partners.line_required", "授信额度"),
        ({"single_cap_amount": Decimal("200000000")}, "partners.single_cap_above_line", "单笔"),
        ({"covers_principal": False, "covers_interest": False}, "partners.scope_empty", "代偿范围"),
        ({"product_codes": ["NDB GEN!"]}, "partners.product_code_invalid", "产品代码"),
        ({"number": "  "}, "partners.required", "协议编号"),
    ],
)
def test_invalid_terms_refused_with_a_chinese_message(bank, gm, overrides, code, words) -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        error = _refused(code, services.agreement_create, actor=gm, bank=bank, manager=gm, **agreement_terms(**overrides))
        assert words in error.message, error.message
    assert not Agreement.objects.exists()


def test_duplicate_number_refused(bank, gm) -> None:
    make_agreement(bank, gm, number="YD-1")
    _refused("partners.number_duplicate", services.agreement_create, actor=gm, bank=bank, manager=gm, **agreement_terms(number="YD-1"))


def test_permission_checked_by_the_service(bank, owner) -> None:
    _refused("partners.permission_denied", services.agreement_create, actor=owner, bank=bank, manager=owner, **agreement_terms())


def test_maker_cannot_put_own_draft_in_force(bank, gm, chairman) -> None:
    agreement = make_agreement(bank, gm, actor=gm)
    mark = audit_mark()
    _refused("partners.same_person", services.agreement_activate, actor=gm, agreement=agreement, today=date(2026, 6, 1))
    assert_no_event("partners.agreement_activate", since=mark)
    done = services.agreement_activate(actor=chairman, agreement=agreement, today=date(2026, 6, 1))
    assert done.status == AgreementStatus.IN_FORCE and done.activated_on == date(2026, 6, 1)
    assert_one_event("partners.agreement_activate", since=mark, actor_id=chairman.pk)


def test_overlapping_in_force_agreements_for_the_same_bank_refused(bank, gm) -> None:
    first = in_force(bank, gm, valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31))
    second = make_agreement(bank, gm, valid_from=date(2026, 12, 31), valid_to=date(2027, 12, 31))
    error = _refused("partners.overlap", services.agreement_activate, actor=None, agreement=second, today=date(2026, 6, 1))
    assert first.number in error.message
    assert Agreement.objects.get(pk=second.pk).status == AgreementStatus.DRAFT
    # The next period, starting the day after, is fine.
    services.agreement_update(actor=gm, agreement=second, valid_from=date(2027, 1, 1))
    assert services.agreement_activate(actor=None, agreement=second, today=date(2026, 6, 1)).status == AgreementStatus.IN_FORCE


def test_head_office_and_branch_agreements_may_coexist(bank, gm) -> None:
    branch = make_bank("ABC-CS", "长沙分行", parent=bank)
    in_force(bank, gm)
    assert in_force(branch, gm).status == AgreementStatus.IN_FORCE


def test_amending_an_in_force_agreement_keeps_history(bank, gm) -> None:
    agreement = in_force(bank, gm)
    mark = audit_mark()
    services.agreement_update(actor=gm, agreement=agreement, expected_version=agreement.version, credit_line_amount=Decimal("150000000"))
    agreement.refresh_from_db()
    assert agreement.credit_line_amount == Decimal("150000000")
    event = assert_one_event("partners.agreement_updated", since=mark)
    assert event.data["changes"]["credit_line_amount"] == {"before": "100000000.00", "after": "150000000"}
    from danbao.partners.selectors import agreement_history

    latest = agreement_history(agreement)[0]
    assert any(c["field"] == "credit line" or "授信" in c["field"] for c in latest["changes"])


def test_stale_version_refused(bank, gm) -> None:
    agreement = make_agreement(bank, gm)
    services.agreement_update(actor=gm, agreement=agreement, title="改一次")
    _refused("partners.stale", services.agreement_update, actor=gm, agreement=agreement, expected_version=1, title="改两次")


def test_terminate_needs_a_reason_and_ends_editing(bank, gm) -> None:
    agreement = in_force(bank, gm)
    _refused("partners.reason_required", services.agreement_terminate, actor=gm, agreement=agreement, reason="  ")
    mark = audit_mark()
    done = services.agreement_terminate(actor=gm, agreement=agreement, reason="银行调整合作政策", today=date(2026, 7, 1))
    assert (done.status, done.ended_on, done.status_reason) == (AgreementStatus.TERMINATED, date(2026, 7, 1), "银行调整合作政策")
    assert_one_event("partners.agreement_terminate", since=mark, data={"reason": "银行调整合作政策"})
    _refused("partners.not_editable", services.agreement_update, actor=gm, agreement=done, title="x")
    _refused("partners.transition_not_allowed", services.agreement_activate, actor=None, agreement=done)
    _refused("partners.transition_not_allowed", services.agreement_terminate, actor=gm, agreement=done, reason="再来")
    assert Agreement.objects.filter(pk=agreement.pk).exists()  # never deleted


def test_ended_period_cannot_be_put_in_force(bank, gm) -> None:
    agreement = make_agreement(bank, gm, valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31))
    _refused("partners.already_ended", services.agreement_activate, actor=None, agreement=agreement, today=date(2026, 1, 1))


def test_daily_expiry_job_is_idempotent(bank, gm) -> None:
    old = in_force(bank, gm, valid_from=date(2025, 1, 1), valid_to=date(2026, 5, 31), today=date(2025, 6, 1))
    current = in_force(make_bank("CCB"), gm, valid_to=date(2026, 6, 1))
    mark = audit_mark()
    assert services.agreements_expire(today=date(2026, 6, 1)) == 1
    assert services.agreements_expire(today=date(2026, 6, 1)) == 0
    old.refresh_from_db()
    current.refresh_from_db()
    assert (old.status, old.ended_on) == (AgreementStatus.EXPIRED, date(2026, 6, 1))
    assert current.status == AgreementStatus.IN_FORCE
    assert_one_event("partners.agreement_expire", since=mark, actor_id=None)
    _refused("partners.not_editable", services.agreement_update, actor=gm, agreement=old, title="x")


def test_expire_task_leaves_a_run_log(bank, gm) -> None:
    from danbao.partners.tasks import expire_agreements
    from danbao.system.models import JobRun

    expire_agreements()
    assert JobRun.objects.get(task_name="danbao.partners.tasks.expire_agreements").status == JobRun.Status.SUCCESS


def test_daily_jobs_are_default_periodic_jobs(db) -> None:
    from django_celery_beat.models import PeriodicTask

    from danbao.system.services.jobs import DEFAULT_JOBS, jobs_ensure

    ours = {"danbao.partners.tasks.expire_agreements", "danbao.partners.tasks.check_credit_lines"}
    assert ours <= {job.task for job in DEFAULT_JOBS}
    jobs_ensure()
    assert set(PeriodicTask.objects.filter(task__in=ours).values_list("task", flat=True)) == ours
