"""Every write of the letters app: conditions precedent (sync from the terms, mark, confirm, return),
the pre-issue re-check, issuing guarantee and intent letters, void and release, printing.

Entry services run in one durable transaction with one audit event; letter states move only through
`lifecycle.move`. The guarantee letter is issued only after the whole checklist is recomputed with
the project row locked, so two racing clicks (or a fee reversed a second earlier) cannot slip through.
"""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from danbao.core.checklist import ChecklistItem, all_ok
from danbao.core.events import security_event
from danbao.core.money import amount_in_words, format_amount
from danbao.letters import errors, lifecycle, parameters, selectors
from danbao.letters.models import ConditionItem, ConditionState, GuaranteeLetter, LetterKind, LetterState
from danbao.projects.models import Project, ProjectState, ProjectTerms

VIEW, ISSUE, VOID, RELEASE = selectors.VIEW, selectors.ISSUE, selectors.VOID, selectors.RELEASE
MARK, CONFIRM = selectors.MARK, selectors.CONFIRM
EVIDENCE_KIND = "evidence"

GUARANTEE_NUMBERING = "guarantee_letter"
INTENT_NUMBERING = "intent_letter"
NUMBERING_RULES = (
    # code, name, prefix, date pattern, separator, width, reset
    (GUARANTEE_NUMBERING, "担保函编号", "BH", "{YYYY}", "-", 4, "yearly"),
    (INTENT_NUMBERING, "担保意向书编号", "YX", "{YYYY}", "-", 4, "yearly"),
)
GUARANTEE_MODE = "连带责任保证"


# --- helpers --------------------------------------------------------------------------------------


def numbering_ensure() -> int:
    """Create the two letter numbering rules when missing (idempotent)."""
    from danbao.system.models import NumberingRule
    from danbao.system.services.numbering import numbering_rule_create

    created = 0
    for code, name, prefix, pattern, separator, width, reset in NUMBERING_RULES:
        if NumberingRule.objects.filter(code=code).exists():
            continue
        numbering_rule_create(
            actor=None, code=code, name=name, prefix=prefix, date_pattern=pattern, separator=separator, sequence_width=width, reset=reset
        )
        created += 1
    return created


def _require(actor: Any, *codes: str) -> None:
    if actor is None or not getattr(actor, "is_active", False) or not any(actor.can(code) for code in codes):
        raise errors.PERMISSION_DENIED.error()


def _in_scope(actor: Any, project: Project) -> None:
    """The project must be in the actor's data scope (the API and batch jobs do not pass the views)."""
    from danbao.projects.selectors import project_in_scope

    if not project_in_scope(actor, project):
        raise errors.PERMISSION_DENIED.error()


def _audit(event: str, actor: Any, obj: Any, project: Project, *, reason: str = "", **data: Any) -> None:
    security_event(
        event,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        reason=reason[:255],
        data={"project": project.number, **{k: (str(v) if v is not None else None) for k, v in data.items()}},
    )


def _lock_project(project: Project) -> Project:
    """The project row locked for this transaction (re-read: the caller's copy may be stale)."""
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("customer", "product_version", "product_version__product", "bank", "branch")
        .get(pk=project.pk)
    )


def _approved(project: Project) -> ProjectTerms:
    if project.state != ProjectState.APPROVED:
        raise errors.PROJECT_NOT_APPROVED.error(number=project.number, state=ProjectState(project.state).label)
    terms = selectors.effective_terms(project)
    if terms is None:
        raise errors.NO_TERMS.error(number=project.number)
    return terms


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def guarantor_name() -> str:
    """The institution's name as printed on letters: the head office department (root of the tree)."""
    from danbao.org.models import Department

    root = Department.objects.filter(parent__isnull=True).order_by("id").first()
    return root.name if root is not None else ""


# --- conditions precedent -------------------------------------------------------------------------


def _sync(project: Project, terms: ProjectTerms | None) -> dict[str, int]:
    """Bring the condition rows in line with the effective terms (inside the caller's transaction):
    a new line becomes an open item, a dropped line is kept as superseded, a line that comes back is
    current again with its old state. Nothing is deleted."""
    lines = selectors.condition_lines(terms)
    rows = {item.text: item for item in ConditionItem.objects.select_for_update(of=("self",)).filter(project=project)}
    sequence = terms.sequence if terms is not None else None
    now = timezone.now()
    added = superseded = restored = 0
    for order, text in enumerate(lines, start=1):
        item = rows.get(text)
        if item is None:
            ConditionItem.objects.create(project=project, text=text, sort_order=order, terms_sequence=sequence)
            added += 1
            continue
        changed = []
        if item.superseded_at is not None:
            item.superseded_at, item.superseded_sequence = None, None
            changed += ["superseded_at", "superseded_sequence"]
            restored += 1
        if item.sort_order != order:
            item.sort_order = order
            changed.append("sort_order")
        if changed:
            item.save(update_fields=changed)
    for text, item in rows.items():
        if text not in lines and item.superseded_at is None:
            item.superseded_at, item.superseded_sequence = now, sequence
            item.save(update_fields=["superseded_at", "superseded_sequence"])
            superseded += 1
    return {"added": added, "superseded": superseded, "restored": restored}


def conditions_sync(*, actor: Any, project: Project) -> dict[str, int]:
    """Materialise the effective terms' conditions as items (idempotent; audited only on a change)."""
    _require(actor, VIEW)
    terms = selectors.effective_terms(project)
    lines = selectors.condition_lines(terms)
    current = project.condition_items.filter(superseded_at__isnull=True).order_by("sort_order", "id").values_list("text", flat=True)
    if list(current) == lines:
        return {"added": 0, "superseded": 0, "restored": 0}
    with transaction.atomic():
        project = _lock_project(project)
        counts = _sync(project, selectors.effective_terms(project))
        if any(counts.values()):
            _audit("letters.conditions_synced", actor, project, project, **counts)
    return counts


def _lock_item(item: ConditionItem) -> ConditionItem:
    return ConditionItem.objects.select_for_update(of=("self",)).select_related("project").get(pk=item.pk)


def _check_item(item: ConditionItem, expected_version: int | None) -> None:
    if item.superseded_at is not None:
        raise errors.CONDITION_SUPERSEDED.error()
    if expected_version is not None and item.version != int(expected_version):
        raise errors.STALE.error()


def _mark(
    *, actor: Any, item: ConditionItem, target: str, note: str, evidence: UploadedFile | None, expected_version: int | None
) -> ConditionItem:
    _require(actor, MARK)
    note = (note or "").strip()
    if not note:
        raise errors.NOTE_REQUIRED.error(field="note")
    with transaction.atomic(durable=True):
        item = _lock_item(item)
        project = item.project
        if not selectors.is_manager(actor, project):
            raise errors.NOT_MANAGER.error()
        _approved(project)
        _check_item(item, expected_version)
        if item.state != ConditionState.OPEN:
            raise errors.CONDITION_STATE.error(state=ConditionState(item.state).label)
        if evidence is not None:
            from danbao.core.attachments.services import attachment_add

            attachment_add(actor=actor, owner=item, kind=EVIDENCE_KIND, upload=evidence, note=note[:200])
        item.state = target
        item.note = note[:500]
        item.marked_by, item.marked_at = actor, timezone.now()
        item.confirmed_by, item.confirmed_at, item.confirm_note = None, None, ""
        item.version += 1
        item.save()
        event = "letters.condition_marked_met" if target == ConditionState.MET_MARKED else "letters.condition_marked_na"
        _audit(event, actor, item, project, reason=note, condition=item.text[:100], evidence=evidence is not None)
    return item


def condition_mark_met(
    *, actor: Any, item: ConditionItem, note: str, evidence: UploadedFile | None = None, expected_version: int | None = None
) -> ConditionItem:
    """The project's business manager says the condition is met (note, optional evidence file)."""
    return _mark(actor=actor, item=item, target=ConditionState.MET_MARKED, note=note, evidence=evidence, expected_version=expected_version)


def condition_mark_not_applicable(*, actor: Any, item: ConditionItem, reason: str, expected_version: int | None = None) -> ConditionItem:
    """The project's business manager says the condition does not apply (with the reason)."""
    return _mark(actor=actor, item=item, target=ConditionState.NA_MARKED, note=reason, evidence=None, expected_version=expected_version)


def condition_confirm(*, actor: Any, item: ConditionItem, note: str = "", expected_version: int | None = None) -> ConditionItem:
    """A second person (risk manager) confirms the marking: met, or not applicable. Never the marker."""
    _require(actor, CONFIRM)
    with transaction.atomic(durable=True):
        item = _lock_item(item)
        project = item.project
        _in_scope(actor, project)
        _approved(project)
        _check_item(item, expected_version)
        if item.state not in (ConditionState.MET_MARKED, ConditionState.NA_MARKED):
            raise errors.CONDITION_STATE.error(state=ConditionState(item.state).label)
        # Maker ≠ checker, no bypass (SECURITY B.28).
        if item.marked_by_id == actor.pk or selectors.is_manager(actor, project):
            raise errors.SAME_PERSON.error()
        item.state = ConditionState.MET if item.state == ConditionState.MET_MARKED else ConditionState.NOT_APPLICABLE
        item.confirmed_by, item.confirmed_at = actor, timezone.now()
        item.confirm_note = (note or "").strip()[:500]
        item.version += 1
        item.save()
        _audit("letters.condition_confirmed", actor, item, project, condition=item.text[:100], state=item.state)
    return item


def condition_return(*, actor: Any, item: ConditionItem, reason: str, expected_version: int | None = None) -> ConditionItem:
    """The checker sends a marking back (not convinced), or reopens a confirmed condition, with a reason."""
    _require(actor, CONFIRM)
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error(field="reason")
    with transaction.atomic(durable=True):
        item = _lock_item(item)
        project = item.project
        _in_scope(actor, project)
        _approved(project)
        _check_item(item, expected_version)
        if item.state == ConditionState.OPEN:
            raise errors.CONDITION_STATE.error(state=ConditionState(item.state).label)
        if selectors.issued_letter_for(project) is not None:
            raise errors.CONDITION_STATE.error(state=ConditionState(item.state).label)
        if item.marked_by_id == actor.pk:
            raise errors.SAME_PERSON.error()
        source = item.state
        item.state = ConditionState.OPEN
        item.confirm_note = reason[:500]
        item.confirmed_by, item.confirmed_at = actor, timezone.now()
        item.version += 1
        item.save()
        _audit("letters.condition_returned", actor, item, project, reason=reason, condition=item.text[:100], source=source)
    return item


# --- the pre-issue checklist ----------------------------------------------------------------------


def pre_issue_rule_input(project: Project, terms: ProjectTerms) -> Any:
    """The rules' view of the approved project: the approved amount, term and fee, the lending bank."""
    from danbao.projects.selectors import exposure_of
    from danbao.rules.inputs import RuleInput
    from danbao.rules.models import Stage

    return RuleInput(
        stage=Stage.PRE_ISSUE,
        on=timezone.localdate(),
        amount=terms.amount,
        term_months=terms.term_months,
        fee_rate=terms.fee_rate,
        product_version=project.product_version,
        customer=project.customer,
        bank_code=(terms.branch or terms.bank).code,
        exposure=exposure_of(project, terms.amount),
    )


def _evaluate(actor: Any, project: Project, terms: ProjectTerms) -> Any:
    from danbao.rules.services import rules_evaluate

    return rules_evaluate(subject=project, rule_input=pre_issue_rule_input(project, terms), actor=actor).evaluation


def checklist_recheck(*, actor: Any, project: Project) -> list[ChecklistItem]:
    """Re-run the pre-issue rules (stored on the project) and recompute the checklist ('Re-check')."""
    _require(actor, MARK, CONFIRM, ISSUE)
    with transaction.atomic(durable=True):
        project = _lock_project(project)
        _in_scope(actor, project)
        terms = _approved(project)
        _sync(project, terms)
        evaluation = _evaluate(actor, project, terms)
        items = selectors.checklist(project, evaluation=evaluation)
        _audit(
            "letters.checklist_rechecked",
            actor,
            project,
            project,
            evaluation=evaluation.pk,
            missing=",".join(item.key for item in items if not item.ok),
        )
    return items


# --- letters --------------------------------------------------------------------------------------


def _beneficiary(terms: ProjectTerms) -> str:
    if terms.bank is None:
        raise errors.BANK_MISSING.error()
    if terms.branch is not None and terms.branch.pk != terms.bank.pk:
        return terms.branch.name
    return terms.bank.name


def _snapshot(project: Project, terms: ProjectTerms, kind: str, number: str, issue_date: dt.date, valid_until: dt.date) -> dict[str, Any]:
    """What the letter says, as strings: the PDF is rendered from this, never from live rows."""
    amount = Decimal(terms.amount)
    period_months = parameters.param_int(parameters.GUARANTEE_PERIOD_MONTHS, issue_date)
    customer = project.customer
    purpose = project.purpose
    main_debt = (
        f"债务人{customer.name}向贵行申请的借款（用途：{purpose}），借款金额不超过人民币{format_amount(amount)}元"
        f"（大写：{amount_in_words(amount)}），借款期限{terms.term_months}个月"
    )
    return {
        "kind": kind,
        "number": number,
        "guarantor": guarantor_name(),
        "beneficiary": _beneficiary(terms),
        "bank_head_office": terms.bank.name,
        "debtor": customer.name,
        "main_debt": main_debt,
        "purpose": purpose,
        "amount": str(amount),
        "amount_figures": format_amount(amount),
        "amount_words": amount_in_words(amount),
        "term_months": str(terms.term_months),
        "guarantee_mode": GUARANTEE_MODE,
        "guarantee_scope": "主债权本金，以上述担保金额为限",
        "guarantee_period_months": str(period_months),
        "guarantee_period": f"主债务履行期限届满之日起{period_months}个月",
        "issue_date": issue_date.isoformat(),
        "valid_until": valid_until.isoformat(),
        "project_number": project.number,
        "approval_number": project.approval_number,
        "terms_sequence": str(terms.sequence or ""),
        "product": str(project.product_version.product.name),
    }


def _new_token() -> str:
    """160 random bits in hexadecimal: no "-" or "_", so the address printed under the QR code never
    loses a character to line-end hyphenation when it wraps, or when someone types it in from paper."""
    token = secrets.token_hex(20)
    while GuaranteeLetter.objects.filter(token=token).exists():  # practically never
        token = secrets.token_hex(20)
    return token


def _create(
    *,
    actor: Any,
    project: Project,
    terms: ProjectTerms,
    kind: str,
    evaluation: Any = None,
    items: list[ChecklistItem] | None = None,
    at: dt.datetime | None = None,
) -> GuaranteeLetter:
    """Number the letter, take its snapshot and token, store it valid with its first log row.
    `at` back-dates the issue (the demo only); services issue now."""
    from danbao.system.services.numbering import number_next

    at = at or timezone.now()
    today = timezone.localtime(at).date()
    if kind == LetterKind.GUARANTEE:
        period = parameters.param_int(parameters.GUARANTEE_PERIOD_MONTHS, today)
        valid_until = add_months(today, terms.term_months + period)
        number = number_next(GUARANTEE_NUMBERING, today)
    else:
        valid_until = today + dt.timedelta(days=parameters.param_int(parameters.INTENT_VALID_DAYS, today))
        number = number_next(INTENT_NUMBERING, today)
    replaces = (
        GuaranteeLetter.objects.filter(project=project, kind=kind, state=LetterState.VOID, replaced_by__isnull=True)
        .order_by("-issued_at", "-id")
        .first()
    )
    letter = GuaranteeLetter.objects.create(
        project=project,
        kind=kind,
        number=number,
        bank=terms.branch or terms.bank,
        beneficiary=_beneficiary(terms),
        amount=terms.amount,
        issue_date=today,
        valid_until=valid_until,
        snapshot=_snapshot(project, terms, kind, number, today, valid_until),
        token=_new_token(),
        checklist=[{"key": i.key, "label": str(i.label), "ok": i.ok, "detail": str(i.detail)} for i in (items or [])],
        evaluation=evaluation,
        replaces=replaces,
        issued_by=actor,
        issued_at=at,
    )
    lifecycle.record_issue(letter, actor=actor)
    return letter


def letter_issue(*, actor: Any, project: Project) -> GuaranteeLetter:
    """Issue the guarantee letter (担保函) when every checklist line is green.

    Recomputes the whole checklist (and re-runs the pre-issue rules) inside the transaction with the
    project row locked; refuses naming exactly what is missing. Idempotent: when a valid guarantee
    letter exists it is returned and nothing is written (a double click issues one letter)."""
    _require(actor, ISSUE)
    numbering_ensure()
    with transaction.atomic(durable=True):
        project = _lock_project(project)
        _in_scope(actor, project)
        existing = selectors.issued_letter_for(project)
        if existing is not None:
            return existing
        if selectors.is_manager(actor, project):
            raise errors.ISSUER_IS_MANAGER.error()
        terms = selectors.effective_terms(project)
        evaluation = None
        if project.state == ProjectState.APPROVED and terms is not None:
            _sync(project, terms)
            evaluation = _evaluate(actor, project, terms)
        items = selectors.checklist(project, evaluation=evaluation)
        if not all_ok(items) or terms is None:
            raise errors.NOT_READY.error(missing=selectors.describe_missing(items), keys=[i.key for i in items if not i.ok])
        letter = _create(actor=actor, project=project, terms=terms, kind=LetterKind.GUARANTEE, evaluation=evaluation, items=items)
        for intent in GuaranteeLetter.objects.select_for_update(of=("self",)).filter(
            project=project, kind=LetterKind.INTENT, state=LetterState.VALID
        ):
            lifecycle.move(intent, LetterState.SUPERSEDED, actor=actor, reason=f"{letter.number}")
            _audit("letters.letter_superseded", actor, intent, project, number=intent.number, by=letter.number)
        _audit(
            "letters.letter_issued",
            actor,
            letter,
            project,
            number=letter.number,
            kind=letter.kind,
            amount=letter.amount,
            evaluation=evaluation.pk if evaluation is not None else None,
            replaces=letter.replaces.number if letter.replaces else None,
        )
    return letter


def intent_letter_issue(*, actor: Any, project: Project) -> GuaranteeLetter:
    """Issue the intent letter (担保意向书) of an approved project (no checklist). Idempotent: a valid
    intent letter is returned as it is; after the guarantee letter it is refused."""
    _require(actor, ISSUE)
    numbering_ensure()
    with transaction.atomic(durable=True):
        project = _lock_project(project)
        _in_scope(actor, project)
        existing = selectors.valid_intent_letter_for(project)
        if existing is not None:
            return existing
        if selectors.is_manager(actor, project):
            raise errors.ISSUER_IS_MANAGER.error()
        terms = _approved(project)
        if selectors.issued_letter_for(project) is not None:
            raise errors.INTENT_AFTER_GUARANTEE.error()
        letter = _create(actor=actor, project=project, terms=terms, kind=LetterKind.INTENT)
        _audit("letters.letter_issued", actor, letter, project, number=letter.number, kind=letter.kind, amount=letter.amount)
    return letter


def _lock_letter(letter: GuaranteeLetter) -> GuaranteeLetter:
    return GuaranteeLetter.objects.select_for_update(of=("self",)).select_related("project").get(pk=letter.pk)


def letter_void(*, actor: Any, letter: GuaranteeLetter, reason: str, expected_version: int | None = None) -> GuaranteeLetter:
    """Void a valid letter (wrong, returned by the bank…) with a reason; a new one may then be issued."""
    _require(actor, VOID)
    with transaction.atomic(durable=True):
        letter = _lock_letter(letter)
        _in_scope(actor, letter.project)
        if expected_version is not None and letter.version != int(expected_version):
            raise errors.STALE.error()
        lifecycle.move(letter, LetterState.VOID, actor=actor, reason=reason)
        _audit("letters.letter_voided", actor, letter, letter.project, reason=reason, number=letter.number)
    return letter


def letter_release(*, actor: Any, letter: GuaranteeLetter, reason: str) -> GuaranteeLetter:
    """Release a valid guarantee letter (解保: the guaranteed loan is repaid). Joins the caller's
    transaction so the post-guarantee release can do it together with its own writes."""
    _require(actor, RELEASE)
    with transaction.atomic():
        letter = _lock_letter(letter)
        lifecycle.move(letter, LetterState.RELEASED, actor=actor, reason=reason)
        _audit("letters.letter_released", actor, letter, letter.project, reason=reason, number=letter.number)
    return letter


def letter_print(*, actor: Any, letter: GuaranteeLetter, verify_url: str) -> bytes:
    """The letter as PDF (from its snapshot, with the QR code of `verify_url`); each print is audited."""
    from danbao.letters.pdf import letter_pdf

    _require(actor, VIEW)
    data = letter_pdf(letter, verify_url)
    with transaction.atomic():
        _audit("letters.letter_printed", actor, letter, letter.project, number=letter.number)
    return data


def register_exported(*, actor: Any, rows: int, filters: dict[str, Any]) -> None:
    """Audit one export of the letters register (who, how many rows, which filter)."""
    security_event(
        "letters.register_exported",
        actor=actor,
        object_type="letters.GuaranteeLetter",
        data={"rows": rows, **{k: str(v) for k, v in filters.items() if v}},
    )
