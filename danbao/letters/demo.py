"""Demo letters (step 110, after contracts 100, fees 104 and counter-guarantees 105; before the
ledger's loans 120).

For each approved demo project whose contracts, fees and counter-guarantees are ready: the A-role
manager marks every condition precedent met, the risk manager confirms it, the pre-issue rules run
and the general manager issues the guarantee letter a few working days after the approval (never in
the future). Every twentieth approved project, when ready, is held back with one condition still
awaiting the risk manager's confirmation, so the checklist page shows a red line; a few of the held-back projects get
an intent letter. Projects whose lower checks are not ready stay without a letter (their own red
lines say why).

Rows are written directly inside seed_demo's one transaction with the same helpers the services
use (no durable blocks, no PDF rendering); idempotent: a project with a letter is skipped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from danbao.core.checklist import all_ok
from danbao.core.events import security_event
from danbao.letters import parameters, selectors, services
from danbao.letters.models import ConditionItem, ConditionState, GuaranteeLetter, LetterKind
from danbao.projects.models import Project, ProjectState

HOLD_EVERY = 20
INTENT_EVERY = 3


def _issue_time(project: Project, offset_days: int) -> dt.datetime:
    base = project.approved_at or timezone.now()
    return min(base + dt.timedelta(days=offset_days), timezone.now())


def _confirm_all(project: Project, risk: Any, at: dt.datetime, *, hold_one: bool) -> int:
    """Mark (A-role) and confirm (risk manager) every open condition; `hold_one` leaves the last one
    marked but unconfirmed. Returns how many stay unconfirmed."""
    items = list(ConditionItem.objects.filter(project=project, superseded_at__isnull=True).order_by("sort_order", "id"))
    held = 0
    for index, item in enumerate(items):
        if item.state in (ConditionState.MET, ConditionState.NOT_APPLICABLE):
            continue
        item.state = ConditionState.MET_MARKED
        item.note = "演示数据：已落实，资料已线下核验"
        item.marked_by, item.marked_at = project.manager_a, at - dt.timedelta(days=2)
        if not (hold_one and index == len(items) - 1):
            item.state = ConditionState.MET
            item.confirmed_by, item.confirmed_at = risk, at - dt.timedelta(days=1)
        else:
            held += 1
        item.version += 1
        item.save()
    return held


@transaction.atomic
def seed() -> str:
    from danbao.org.models import User
    from danbao.projects.demo import DEMO_NOTE

    gm = User.objects.filter(username="gm", is_active=True).first()
    risk = User.objects.filter(username="risk", is_active=True).first()
    if gm is None or risk is None:
        return "demo users missing: no letters"
    parameters.ensure_parameters()
    services.numbering_ensure()
    projects = list(
        Project.objects.filter(note__startswith=DEMO_NOTE, state=ProjectState.APPROVED)
        .select_related("customer", "product_version", "product_version__product", "bank", "branch")
        .order_by("approved_at", "pk")
    )
    issued = intents = held = not_ready = skipped = 0
    for number, project in enumerate(projects, start=1):
        if GuaranteeLetter.objects.filter(project=project, kind=LetterKind.GUARANTEE).exists():
            skipped += 1
            continue
        terms = selectors.effective_terms(project)
        if terms is None:
            not_ready += 1
            continue
        services._sync(project, terms)
        at = _issue_time(project, 5 + number % 20)
        if not all_ok(selectors.lower_readiness(project)):
            not_ready += 1
            continue
        hold = number % HOLD_EVERY == 0
        _confirm_all(project, risk, at, hold_one=hold)
        if hold:
            held += 1
            if (number // HOLD_EVERY) % INTENT_EVERY != 2 and not GuaranteeLetter.objects.filter(project=project).exists():
                services._create(actor=gm, project=project, terms=terms, kind=LetterKind.INTENT, at=at)
                intents += 1
            continue
        evaluation = services._evaluate(gm, project, terms)
        items = selectors.checklist(project, evaluation=evaluation)
        if not all_ok(items):
            not_ready += 1
            continue
        letter = services._create(
            actor=gm, project=project, terms=terms, kind=LetterKind.GUARANTEE, evaluation=evaluation, items=items, at=at
        )
        security_event(
            "letters.letter_issued",
            actor=gm,
            object_type="letters.GuaranteeLetter",
            object_id=letter.pk,
            data={"project": project.number, "number": letter.number, "kind": letter.kind, "amount": str(letter.amount), "demo": "1"},
        )
        issued += 1
    return (
        f"{issued} guarantee letters issued, {intents} intent letters, {held} held back awaiting the risk manager, "
        f"{not_ready} not ready (contracts, fees, counter-guarantees or rules), {skipped} already had a letter"
    )
