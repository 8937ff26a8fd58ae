"""Write side of the release (解保). Every service checks permission, runs in one transaction and is
audited. `release_register` releases the guarantee (ledger), its letter (letters), numbers the release
notice and opens one task per security; `task_complete` closes a task, releases the measure when its
last task is done and completes the release when all are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.events import security_event
from danbao.core.money import format_amount
from danbao.ledger.models import Guarantee, GuaranteeState
from danbao.release import errors, lifecycle, selectors
from danbao.release.models import Release, ReleaseState, ReleaseTask, TaskKind, TaskState
from danbao.securities.models import CustodyDirection, CustodyEntry, Measure, MeasureKind, Registration

NUMBERING = "release_notice"
NUMBERING_RULES = ((NUMBERING, "解保通知书编号", "JB", "{YYYY}", "-", 4, "yearly"),)
SCAN_KIND = "notice"


def numbering_ensure() -> int:
    """Create the release-notice numbering rule when missing (idempotent)."""
    from danbao.system.models import NumberingRule
    from danbao.system.services.numbering import numbering_rule_create

    created = 0
    for code, name, prefix, pattern, separator, width, reset in NUMBERING_RULES:
        if not NumberingRule.objects.filter(code=code).exists():
            numbering_rule_create(
                actor=None,
                code=code,
                name=name,
                prefix=prefix,
                date_pattern=pattern,
                separator=separator,
                sequence_width=width,
                reset=reset,
            )
            created += 1
    return created


def _audit(event: str, actor: Any, release: Release, **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type="release.Release",
        object_id=release.pk,
        data={
            "number": release.number,
            "project": release.project.number,
            **{k: (str(v) if v is not None else None) for k, v in data.items()},
        },
    )


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise errors.DATE_INVALID.error() from None
    if not isinstance(value, dt.date) or value > timezone.localdate():
        raise errors.DATE_INVALID.error()
    return value


def _margin_paid(project: Any) -> Decimal:
    from danbao.finance.models import Receivable, ReceivableKind

    total = Receivable.objects.filter(project=project, kind=ReceivableKind.MARGIN).aggregate(s=Sum("paid_amount"))["s"]
    return total or Decimal("0")


def _tasks_for_measure(release: Release, measure: Measure) -> list[ReleaseTask]:
    tasks: list[ReleaseTask] = []
    base = {"release": release, "measure": measure}
    if measure.kind in (MeasureKind.MORTGAGE, MeasureKind.PLEDGE):
        collaterals = [a.collateral for a in measure.allocations.filter(released_at__isnull=True).select_related("collateral")]
        for collateral in collaterals:
            label = f"{collateral.number} {collateral.name}"
            tasks.append(ReleaseTask(kind=TaskKind.DEREGISTER, collateral=collateral, subject=label, **base))
            if CustodyEntry.objects.filter(collateral=collateral, direction=CustodyDirection.IN).exists():
                tasks.append(ReleaseTask(kind=TaskKind.CUSTODY, collateral=collateral, subject=label, **base))
        if not collaterals:
            tasks.append(ReleaseTask(kind=TaskKind.DEREGISTER, subject=measure.provider_name, **base))
    elif measure.kind == MeasureKind.MARGIN:
        tasks.append(
            ReleaseTask(kind=TaskKind.REFUND, subject=measure.provider_name, amount=_margin_paid(release.project) or measure.amount, **base)
        )
    else:
        tasks.append(ReleaseTask(kind=TaskKind.LETTER, subject=measure.provider_name, **base))
    return tasks


def release_register(
    *, actor: Any, guarantee: Guarantee, notice_date: Any, reference: str, scan: Any, note: str = "", confirms_full_repayment: bool = False
) -> Release:
    """Register the bank's release notice (解保通知) and cascade: guarantee released (liability 0, credit
    line restored through the exposure source), letter released, release notice numbered, one task per
    security. A second registration for the same guarantee is refused."""
    from danbao.core.attachments.services import attachment_add
    from danbao.ledger.repayments import guarantee_release
    from danbao.letters.models import LetterState
    from danbao.letters.services import letter_release
    from danbao.system.services.numbering import number_next

    if not selectors.may_register(actor, guarantee):
        raise errors.PERMISSION_DENIED.error()
    existing = Release.objects.filter(guarantee=guarantee).first()
    if existing is not None:
        raise errors.ALREADY.error(number=existing.number)
    reference = (reference or "").strip()[:80]
    if not reference:
        raise errors.REFERENCE_REQUIRED.error()
    if not scan:
        raise errors.SCAN_REQUIRED.error()
    when = _date(notice_date)
    note = (note or "").strip()[:500]
    numbering_ensure()
    with transaction.atomic():
        guarantee = Guarantee.objects.select_for_update(of=("self",)).select_related("project", "letter").get(pk=guarantee.pk)
        if Release.objects.filter(guarantee=guarantee).exists():
            raise errors.ALREADY.error(number=Release.objects.get(guarantee=guarantee).number)
        if guarantee.state != GuaranteeState.IN_FORCE:
            raise errors.NOT_IN_FORCE.error(state=guarantee.get_state_display())
        if guarantee.loan_balance > 0 and not confirms_full_repayment:
            raise errors.BALANCE_OPEN.error(balance=format_amount(guarantee.loan_balance))
        amount = guarantee.guaranteed_amount
        # The bank's notice confirms full repayment: the ledger accepts it when the balance is not 0 only
        # if the notice says so — the reference is passed only when the balance is still open.
        guarantee_release(
            actor=actor, guarantee=guarantee, released_on=when, notice_reference=reference, reason=note or _("Bank's release notice")
        )
        release = Release.objects.create(
            guarantee=guarantee,
            project=guarantee.project,
            number=number_next(NUMBERING, when),
            notice_date=when,
            reference=reference,
            note=note,
            released_amount=amount,
            registered_by=actor,
        )
        lifecycle.ReleaseTransition.objects.create(
            release=release, source="", target=ReleaseState.REGISTERED, actor=actor, reason=reference
        )
        if guarantee.letter.state == LetterState.VALID:
            letter_release(actor=actor, letter=guarantee.letter, reason=_("Release %(number)s") % {"number": release.number})
        tasks: list[ReleaseTask] = []
        for measure in Measure.objects.filter(project=guarantee.project, state__in=selectors.OPEN_MEASURE_STATES).order_by("id"):
            tasks.extend(_tasks_for_measure(release, measure))
        for task in tasks:
            task.save()
            lifecycle.TaskTransition.objects.create(task=task, source="", target=TaskState.OPEN, actor=actor)
        attachment_add(actor=actor, owner=release, kind=SCAN_KIND, upload=scan, note=reference)
        _audit("release.registered", actor, release, reference=reference, notice_date=when, tasks=len(tasks))
        if not tasks:
            _complete(release, actor)
    return release


def _complete(release: Release, actor: Any) -> None:
    release.completed_at = timezone.now()
    lifecycle.move_release(release, ReleaseState.COMPLETE, actor=actor, reason=_("All release tasks done"))
    _audit("release.completed", actor, release)


def task_complete(
    *,
    actor: Any,
    task: ReleaseTask,
    done_on: Any,
    evidence: str = "",
    note: str = "",
    registry_office: str = "",
    certificate_returned: bool = False,
    location: str = "",
) -> ReleaseTask:
    """Complete one release task. Deregistration records the cancellation of the collateral's open
    registrations; the custody task records the title documents going out of custody to the owner.
    Completing a measure's last task releases the measure; the last task completes the release."""
    from danbao.securities.services import custody_out, measure_release, registration_cancel

    task = ReleaseTask.objects.select_related("release", "release__project", "measure", "collateral").get(pk=task.pk)
    if task.state != TaskState.OPEN:
        raise errors.TASK_DONE.error()
    if not selectors.may_complete(actor, task):
        raise errors.PERMISSION_DENIED.error()
    when = _date(done_on)
    evidence, note = (evidence or "").strip()[:200], (note or "").strip()[:500]
    registry_office = (registry_office or "").strip()[:200]
    if task.kind == TaskKind.DEREGISTER and task.collateral_id and not registry_office:
        raise errors.REGISTRY_REQUIRED.error()
    # The securities services below are durable (own transaction): they run first and are idempotent.
    if task.kind == TaskKind.DEREGISTER and task.collateral_id:
        for registration in Registration.objects.filter(collateral=task.collateral, deregistered_on__isnull=True):
            registration_cancel(actor=actor, registration=registration, on=when)
    if task.kind == TaskKind.CUSTODY and task.collateral_id:
        from danbao.securities.selectors import custody_open_out

        if custody_open_out(task.collateral) is None:
            last_in = CustodyEntry.objects.filter(collateral=task.collateral, direction=CustodyDirection.IN).order_by("-id").first()
            custody_out(
                actor=actor,
                collateral=task.collateral,
                document=last_in.document if last_in else task.subject,
                location=(location or "").strip()[:200] or _("Returned to the owner"),
                reason=_("Release %(number)s: returned to the owner") % {"number": task.release.number},
            )
    with transaction.atomic():
        task = ReleaseTask.objects.select_for_update(of=("self",)).select_related("release", "release__project", "measure").get(pk=task.pk)
        if task.state != TaskState.OPEN:
            raise errors.TASK_DONE.error()
        task.done_on, task.evidence, task.note = when, evidence, note
        task.registry_office, task.certificate_returned = registry_office, bool(certificate_returned)
        task.completed_by, task.completed_at = actor, timezone.now()
        lifecycle.move_task(task, TaskState.DONE, actor=actor, reason=note)
        release = Release.objects.select_for_update(of=("self",)).get(pk=task.release_id)
        _audit("release.task_completed", actor, release, task=task.kind, subject=task.subject, done_on=when, evidence=evidence)
        measure = task.measure
        if not release.tasks.filter(measure=measure, state=TaskState.OPEN).exists() and measure.state in selectors.OPEN_MEASURE_STATES:
            # The securities service needs its edit right; when the completer (archivist, finance) has
            # none, the measure is released in the name of the project's A-role manager (or the registrant).
            from danbao.securities.selectors import EDIT

            manager = release.project.manager_a
            by = actor if actor.can(EDIT) else (manager if manager is not None and manager.can(EDIT) else release.registered_by)
            measure_release(actor=by, measure=measure, reason=_("Release %(number)s: %(task)s") % {"number": release.number, "task": task})
        if not release.tasks.filter(state=TaskState.OPEN).exists() and release.state == ReleaseState.REGISTERED:
            _complete(release, actor)
    return task
