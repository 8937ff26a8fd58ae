"""Finance reads. Scope: the project's (projects.selectors: department scope plus the project's own
managers; finance staff hold the all-institution scope). A receivable, receipt or deferral of a
project outside the scope answers 404 exactly like a missing one.

Public for other apps (keep the names): `receivables_of`, `fee_summary`, `readiness` (the letters
app's pre-issue checklist calls it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from danbao.core.checklist import ChecklistItem
from danbao.core.money import format_amount
from danbao.finance.models import Deferral, DeferralStatus, FeePlan, Receipt, Receivable, ReceivableKind, ReceivableState
from danbao.org.scope import get_in_scope
from danbao.projects.models import Project
from danbao.projects.selectors import project_get_for, project_in_scope, project_list_for

VIEW = "finance.fee.view"
PLAN = "finance.fee.plan"
RECORD = "finance.receipt.record"
APPROVE = "finance.deferral.approve"
OPEN_STATES = (ReceivableState.OPEN, ReceivableState.PARTLY_PAID, ReceivableState.DEFERRED)
ZERO = Decimal("0.00")


# --- access ---------------------------------------------------------------------------------------


def project_for(user: Any, pk: Any, request: Any = None) -> Project:
    """The project in the user's scope (404 otherwise) for a finance page."""
    return project_get_for(user, pk, request)


def project_visible(user: Any, project: Project | None) -> bool:
    return project is None or project_in_scope(user, project)


def _scoped_projects(user: Any) -> QuerySet[Project]:
    return project_list_for(user).values("pk")  # type: ignore[return-value]


def fee_url(project: Project) -> str:
    return reverse("finance:project-fees", args=[project.pk])


def receivable_label(row: Receivable) -> str:
    """担保费 第2期 / 评审费 / 保证金."""
    label = str(ReceivableKind(row.kind).label)
    if row.kind == ReceivableKind.GUARANTEE_FEE:
        return _("%(kind)s, instalment %(n)s") % {"kind": label, "n": row.instalment}
    return label


# --- project reads --------------------------------------------------------------------------------


def current_plan(project: Project) -> FeePlan | None:
    return FeePlan.objects.filter(project=project, is_current=True).select_related("terms", "created_by").first()


def plans_of(project: Project) -> list[FeePlan]:
    return list(FeePlan.objects.filter(project=project).select_related("terms", "created_by").order_by("-sequence"))


def receivables_of(project: Project) -> list[Receivable]:
    """Every receivable of the project (cancelled ones too, at the end), by due date."""
    rows = list(Receivable.objects.filter(project=project).select_related("plan").order_by("due_date", "kind", "instalment", "id"))
    return sorted(rows, key=lambda r: r.state == ReceivableState.CANCELLED)


def receipts_of(project: Project) -> list[Receipt]:
    return list(
        Receipt.objects.filter(project=project)
        .select_related("created_by", "reversed_by")
        .prefetch_related("allocations__receivable")
        .order_by("-received_on", "-id")
    )


def receipt_for_key(project: Project, key: str) -> Receipt | None:
    """The receipt already recorded for this project under the idempotency key, if any."""
    key = (key or "").strip()[:64]
    return Receipt.objects.filter(project=project, idempotency_key=key).first() if key else None


def deferrals_of(project: Project) -> list[Deferral]:
    return list(
        Deferral.objects.filter(receivable__project=project)
        .select_related("receivable", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )


@dataclass
class KindSummary:
    kind: str
    label: str
    amount: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO


@dataclass
class FeeSummary:
    plan: FeePlan | None
    kinds: list[KindSummary] = field(default_factory=list)
    amount: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    overdue: Decimal = ZERO
    deferred: Decimal = ZERO


def fee_summary(project: Project) -> FeeSummary:
    """Amounts due, received and outstanding per kind (cancelled receivables count only what was paid)."""
    today = timezone.localdate()
    summary = FeeSummary(current_plan(project))
    by_kind = {k: KindSummary(k, str(label)) for k, label in ReceivableKind.choices}
    for row in Receivable.objects.filter(project=project):
        part = by_kind[row.kind]
        amount = row.paid_amount if row.state == ReceivableState.CANCELLED else row.amount
        part.amount += amount
        part.paid += row.paid_amount
        part.outstanding += row.outstanding
        if row.outstanding > 0:
            due = row.deferred_until or row.due_date
            if due < today:
                summary.overdue += row.outstanding
            if row.state == ReceivableState.DEFERRED:
                summary.deferred += row.outstanding
    summary.kinds = [k for k in by_kind.values() if k.amount or k.paid]
    summary.amount = sum((k.amount for k in summary.kinds), ZERO)
    summary.paid = sum((k.paid for k in summary.kinds), ZERO)
    summary.outstanding = sum((k.outstanding for k in summary.kinds), ZERO)
    return summary


READINESS = (
    (ReceivableKind.GUARANTEE_FEE, "finance.fee:guarantee_fee"),
    (ReceivableKind.REVIEW_FEE, "finance.fee:review_fee"),
    (ReceivableKind.MARGIN, "finance.fee:margin"),
)


def readiness(project: Project) -> list[ChecklistItem]:
    """Pre-issue lines: the guarantee fee due before issue (first instalment or the one-off fee), the
    review fee and the margin deposit — each ok when paid in full or covered by an approved deferral
    that has not yet run out."""
    url = fee_url(project)
    plan = current_plan(project)
    labels = {
        ReceivableKind.GUARANTEE_FEE: pgettext("readiness", "Guarantee fee due before issue"),
        ReceivableKind.REVIEW_FEE: pgettext("readiness", "Review fee"),
        ReceivableKind.MARGIN: pgettext("readiness", "Margin deposit"),
    }
    if plan is None:
        detail = _("No fee plan yet: create the fee schedule first.")
        return [ChecklistItem(key, str(labels[kind]), False, detail, url) for kind, key in READINESS]
    latest = project.terms.filter(effective_at__isnull=False).order_by("-sequence").values_list("pk", flat=True).first()
    if latest is not None and latest != plan.terms_id:
        detail = _("The approved terms changed after the fee schedule was made: re-plan the fees first.")
        return [ChecklistItem(key, str(labels[kind]), False, detail, url) for kind, key in READINESS]
    today = timezone.localdate()
    rows = list(Receivable.objects.filter(project=project, instalment=1).exclude(state=ReceivableState.CANCELLED))
    items = []
    for kind, key in READINESS:
        mine = [r for r in rows if r.kind == kind]
        name = str(ReceivableKind(kind).label)
        if not mine:
            items.append(ChecklistItem(key, str(labels[kind]), True, _("Nothing to collect (%(kind)s: 0.00 yuan).") % {"kind": name}, url))
            continue
        missing = sum((r.outstanding for r in mine if not (r.deferred_until and r.deferred_until >= today)), ZERO)
        expired = [r for r in mine if r.outstanding > 0 and r.deferred_until and r.deferred_until < today]
        deferred = [r for r in mine if r.outstanding > 0 and r.deferred_until and r.deferred_until >= today]
        if missing > 0:
            detail = _("%(kind)s still owed: %(amount)s yuan") % {"kind": name, "amount": format_amount(missing)}
            if expired:
                detail += _(" (the deferral ran out on %(date)s)") % {"date": expired[0].deferred_until.isoformat()}
            items.append(ChecklistItem(key, str(labels[kind]), False, detail, url))
        elif deferred:
            detail = _("Deferred until %(date)s (approved): %(amount)s yuan") % {
                "date": deferred[0].deferred_until.isoformat(),
                "amount": format_amount(sum((r.outstanding for r in deferred), ZERO)),
            }
            items.append(ChecklistItem(key, str(labels[kind]), True, detail, url))
        else:
            paid = sum((r.paid_amount for r in mine), ZERO)
            items.append(
                ChecklistItem(key, str(labels[kind]), True, _("Received in full: %(amount)s yuan") % {"amount": format_amount(paid)}, url)
            )
    return items


def plan_rule_text(plan: FeePlan) -> str:
    """The plan's rule in words, stored with the plan so it reads the same later."""
    rate = f"{plan.fee_rate * 100:.4f}".rstrip("0").rstrip(".") + "%"
    if plan.fee_basis == "one_off":
        text = _(
            "One-off basis: the rate %(rate)s covers the whole term of %(term)s months; guarantee fee = %(amount)s × %(rate)s = "
            "%(fee)s yuan, collected once before the letter is issued (%(date)s)."
        )
    else:
        text = _(
            "Annual basis: guarantee fee = %(amount)s × %(rate)s × %(term)s / 12 = %(fee)s yuan, collected in yearly instalments; "
            "each instalment pays for the next 12 months (the last for the months left). The first is due before the letter is "
            "issued (%(date)s), later ones on the anniversaries of that date. Instalments are rounded cumulatively to the cent, "
            "so they add up to the total exactly."
        )
    out = text % {
        "rate": rate,
        "term": plan.term_months,
        "amount": format_amount(plan.amount),
        "fee": format_amount(plan.guarantee_fee_amount),
        "date": plan.issue_date.isoformat(),
    }
    out += " " + _("Annualised rate %(annual)s%%.") % {"annual": plan.annualised_percent}
    if plan.cap_rate is not None:
        out += " " + _("Policy cap %(cap)s%% per year.") % {"cap": f"{plan.cap_rate * 100:.2f}"}
    return out


def project_page(user: Any, project: Project) -> dict[str, Any]:
    """Everything the project fees page shows, with what this user may do there."""
    plan = current_plan(project)
    receivables = receivables_of(project)
    terms = project.terms.filter(effective_at__isnull=False).order_by("-sequence").first()
    pending = {d.receivable_id for d in Deferral.objects.filter(receivable__project=project, status=DeferralStatus.PENDING)}
    today = timezone.localdate()
    for row in receivables:
        row.label = receivable_label(row)  # type: ignore[attr-defined]
        row.has_pending_deferral = row.pk in pending  # type: ignore[attr-defined]
        row.is_overdue = row.outstanding > 0 and (row.deferred_until or row.due_date) < today  # type: ignore[attr-defined]
    receipts = receipts_of(project)
    for receipt in receipts:
        receipt.allocation_rows = list(receipt.allocations.all())  # type: ignore[attr-defined]
        for allocation in receipt.allocation_rows:  # type: ignore[attr-defined]
            allocation.receivable.label = receivable_label(allocation.receivable)
    deferrals = deferrals_of(project)
    for deferral in deferrals:
        deferral.receivable.label = receivable_label(deferral.receivable)  # type: ignore[attr-defined]
    return {
        "project": project,
        "plan": plan,
        "plans": plans_of(project),
        "terms": terms,
        "needs_plan": terms is not None and (plan is None or plan.terms_id != terms.pk),
        "receivables": receivables,
        "open_receivables": [r for r in receivables if r.state in OPEN_STATES],
        "receipts": receipts,
        "deferrals": deferrals,
        "summary": fee_summary(project),
        "readiness": readiness(project),
        "can_plan": user.can(PLAN),
        "can_record": user.can(RECORD),
        "can_approve": user.can(APPROVE),
    }


def dossier_section(user: Any, project: Project) -> dict[str, Any]:
    """Context of the fees section on the project dossier (empty for users without the view permission)."""
    if not user.can(VIEW):
        return {"fin_visible": False}
    return {"fin_visible": True, "fin_summary": fee_summary(project), "fin_readiness": readiness(project), "fin_url": fee_url(project)}


# --- lists for finance staff ----------------------------------------------------------------------


def receivable_list_for(user: Any) -> QuerySet[Receivable]:
    """Receivables of projects in the user's scope, with outstanding and effective due date annotated."""
    money = DecimalField(max_digits=18, decimal_places=2)
    return (
        Receivable.objects.filter(project__in=_scoped_projects(user))
        .select_related("project", "project__customer", "project__bank", "project__department")
        .annotate(
            outstanding_amount=Case(
                When(state=ReceivableState.CANCELLED, then=Value(ZERO)),
                default=ExpressionWrapper(F("amount") - F("paid_amount"), output_field=money),
                output_field=money,
            ),
            effective_due=Coalesce("deferred_until", "due_date"),
        )
    )


def overdue_q() -> Q:
    today = timezone.localdate()
    return Q(state__in=OPEN_STATES) & (Q(deferred_until__lt=today) | Q(deferred_until__isnull=True, due_date__lt=today))


def receivable_get_for(user: Any, pk: Any, request: Any = None) -> Receivable:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_in_scope(receivable_list_for(user), user, request, pk=pk)


def receipt_list_for(user: Any) -> QuerySet[Receipt]:
    return Receipt.objects.filter(project__in=_scoped_projects(user)).select_related("project", "project__customer", "created_by")


def receipt_get_for(user: Any, pk: Any, request: Any = None) -> Receipt:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_in_scope(receipt_list_for(user), user, request, pk=pk)


def deferral_list_for(user: Any) -> QuerySet[Deferral]:
    return Deferral.objects.filter(receivable__project__in=_scoped_projects(user)).select_related(
        "receivable", "receivable__project", "receivable__project__customer", "requested_by", "decided_by"
    )


def deferral_get_for(user: Any, pk: Any, request: Any = None) -> Deferral:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_in_scope(deferral_list_for(user), user, request, pk=pk)


def deferrals_to_decide(user: Any) -> QuerySet[Deferral]:
    """Pending deferrals in the user's scope that the user did not request."""
    return deferral_list_for(user).filter(status=DeferralStatus.PENDING).exclude(requested_by=user).order_by("requested_at", "id")


def overdue_for(user: Any) -> QuerySet[Receivable]:
    return receivable_list_for(user).filter(overdue_q()).order_by("effective_due", "id")


def outstanding_total(queryset: QuerySet[Receivable]) -> Decimal:
    return queryset.aggregate(s=Sum("outstanding_amount"))["s"] or ZERO
