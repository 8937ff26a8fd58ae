"""Release services: the cascade, refusals, idempotency, tasks, measures released, archive readiness."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from danbao.core.errors import DomainError
from danbao.ledger.models import GuaranteeState
from danbao.ledger.tests.support import TODAY
from danbao.letters.models import LetterState
from danbao.partners.selectors import credit_line_usage
from danbao.release import selectors, services
from danbao.release.models import Release, ReleaseState, TaskKind, TaskState
from danbao.release.tests.support import repay_all, scan
from danbao.securities.models import CustodyDirection, MeasureState, Registration

pytestmark = pytest.mark.django_db


def register(setup, actor, **kw):
    data = {"notice_date": TODAY, "reference": "ICBC-JB-2026-01", "scan": scan(), "note": "贷款已结清"}
    data.update(kw)
    return services.release_register(actor=actor, guarantee=setup["guarantee"], **data)


def test_refused_with_balance_and_no_confirmation(released_setup, dept_head):
    g = released_setup["guarantee"]
    assert g.loan_balance > 0
    with pytest.raises(DomainError) as exc:
        register(released_setup, dept_head)
    assert exc.value.code == "release.balance_open"
    g.refresh_from_db()
    assert g.state == GuaranteeState.IN_FORCE and not Release.objects.exists()


def test_cascade_after_full_repayment(released_setup, owner, dept_head):
    setup = released_setup
    repay_all(setup["loan"], owner)
    g = setup["guarantee"]
    g.refresh_from_db()
    assert g.loan_balance == 0
    release = register(setup, dept_head)
    g.refresh_from_db()
    assert g.state == GuaranteeState.RELEASED and g.liability_balance == 0
    assert g.letter.state == LetterState.RELEASED
    assert release.number.startswith("JB") and release.state == ReleaseState.REGISTERED
    kinds = sorted(release.tasks.values_list("kind", flat=True))
    assert kinds == sorted([TaskKind.DEREGISTER, TaskKind.CUSTODY, TaskKind.LETTER])


def test_notice_confirms_full_repayment_restores_credit_line(released_setup, dept_head):
    agreement = released_setup["guarantee"].agreement
    used_before = credit_line_usage(agreement, TODAY).used
    assert used_before > 0
    release = register(released_setup, dept_head, confirms_full_repayment=True)
    g = release.guarantee
    g.refresh_from_db()
    assert g.state == GuaranteeState.RELEASED and g.loan_balance == 0
    assert credit_line_usage(agreement, TODAY).used == 0  # the bank's credit line is restored


def test_second_registration_refused(released_setup, dept_head):
    first = register(released_setup, dept_head, confirms_full_repayment=True)
    with pytest.raises(DomainError) as exc:
        register(released_setup, dept_head, confirms_full_repayment=True)
    assert exc.value.code == "release.already" and first.number in exc.value.message
    assert Release.objects.count() == 1


def test_scan_and_reference_required(released_setup, dept_head):
    with pytest.raises(DomainError) as exc:
        register(released_setup, dept_head, scan=None, confirms_full_repayment=True)
    assert exc.value.code == "release.scan_required"
    with pytest.raises(DomainError) as exc:
        register(released_setup, dept_head, reference=" ", confirms_full_repayment=True)
    assert exc.value.code == "release.reference_required"
    assert not Release.objects.exists()


def test_permission(released_setup, nobody, outsider):
    for user in (nobody, outsider):
        with pytest.raises(DomainError) as exc:
            register(released_setup, user, confirms_full_repayment=True)
        assert exc.value.code == "release.permission_denied"


def test_tasks_complete_release_and_readiness(released_setup, owner, dept_head, archivist, finance):
    setup = released_setup
    release = register(setup, dept_head, confirms_full_repayment=True)
    project = setup["project"]
    assert not selectors.release_complete(project)
    dereg = release.tasks.get(kind=TaskKind.DEREGISTER)
    custody = release.tasks.get(kind=TaskKind.CUSTODY)
    letter = release.tasks.get(kind=TaskKind.LETTER)
    # Wrong role per kind.
    with pytest.raises(DomainError):
        services.task_complete(actor=finance, task=custody, done_on=TODAY)
    with pytest.raises(DomainError) as exc:
        services.task_complete(actor=owner, task=dereg, done_on=TODAY)
    assert exc.value.code == "release.registry_required"
    services.task_complete(
        actor=owner, task=dereg, done_on=TODAY, registry_office="长沙市不动产登记中心", certificate_returned=True, evidence="注销证明"
    )
    assert Registration.objects.get(collateral=setup["collateral"]).deregistered_on == TODAY
    setup["mortgage"].refresh_from_db()
    assert setup["mortgage"].state == MeasureState.FULFILLED  # custody still open
    with pytest.raises(DomainError) as exc:
        services.task_complete(actor=owner, task=dereg, done_on=TODAY, registry_office="x")
    assert exc.value.code == "release.task_done"
    services.task_complete(actor=archivist, task=custody, done_on=TODAY, evidence="领取签收单")
    assert setup["collateral"].custody.filter(direction=CustodyDirection.OUT).count() == 1
    setup["mortgage"].refresh_from_db()
    assert setup["mortgage"].state == MeasureState.RELEASED
    services.task_complete(actor=owner, task=letter, done_on=TODAY, evidence="解除保证责任函")
    release.refresh_from_db()
    assert release.state == ReleaseState.COMPLETE and release.completed_at
    assert all(t.state == TaskState.DONE for t in release.tasks.all())
    assert selectors.release_complete(project)  # what the archive's readiness line asks


def test_margin_refund_task(released_setup, owner, dept_head, finance):
    from danbao.release.tests.support import fulfil
    from danbao.securities import services as sec

    m = sec.measure_create(
        actor=owner,
        project=released_setup["project"],
        requirement="保证金",
        kind="margin",
        provider_source="customer",
        provider_type="company",
        provider_name="借款企业",
        amount="80000",
    )
    fulfil(m, owner)
    release = register(released_setup, dept_head, confirms_full_repayment=True)
    task = release.tasks.get(kind=TaskKind.REFUND)
    assert task.amount == D("80000")  # nothing received through finance yet: the measure's amount
    services.task_complete(actor=finance, task=task, done_on=TODAY, evidence="退款凭证 001")
    m.refresh_from_db()
    assert m.state == MeasureState.RELEASED  # released in the A-role manager's name (finance has no securities edit)
