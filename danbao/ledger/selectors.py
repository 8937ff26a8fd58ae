"""Ledger reads. Scope: a guarantee is visible exactly when its project is
(`projects.selectors.project_list_for`); outside it answers 404 like a missing one.

Also the figures the disbursement form shows before saving (letter, approved and remaining amount,
the bank's credit line, the risk shares the guarantee will take) and the dossier section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from danbao.ledger import schedules
from danbao.ledger.models import Guarantee, GuaranteeState, Loan, ScheduleLine, ShareSource
from danbao.ledger.parameters import term_tolerance_days
from danbao.projects.models import Project, ProjectState
from danbao.projects.selectors import project_get_for, project_in_scope, project_list_for

VIEW = "ledger.guarantee.view"
RECORD_OWN = "ledger.loan.record_own"
RECORD_ANY = "ledger.loan.record_any"
ZERO = Decimal(0)
ONE = Decimal(1)

GUARANTEE_RELATED = (
    "project",
    "project__manager_a",
    "project__department",
    "customer",
    "bank",
    "branch",
    "product_version",
    "product_version__product",
    "letter",
)


# --- access ---------------------------------------------------------------------------------------


def guarantee_list_for(user: Any) -> QuerySet[Guarantee]:
    """Guarantees whose project the user may see."""
    return Guarantee.objects.filter(project__in=project_list_for(user).values("pk")).select_related(*GUARANTEE_RELATED)


def guarantee_get_for(user: Any, pk: Any, request: Any = None) -> Guarantee:
    """One guarantee whose project is in the user's scope, or 404 (logged like any scope refusal)."""
    from danbao.org.scope import get_in_scope

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_in_scope(guarantee_list_for(user), user, request, pk=pk)


def project_for(user: Any, pk: Any, request: Any = None) -> Project:
    return project_get_for(user, pk, request)


def is_manager(user: Any, project: Project) -> bool:
    return user is not None and user.pk in (project.manager_a_id, project.manager_b_id)


def may_view(user: Any, project: Project) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.can(VIEW):
        return False
    return is_manager(user, project) or project_in_scope(user, project)


def may_record(user: Any, project: Project) -> bool:
    """Finance records for any project in its scope; a business manager only for own projects."""
    if user is None or not getattr(user, "is_active", False):
        return False
    return user.can(RECORD_ANY) or (user.can(RECORD_OWN) and is_manager(user, project))


# --- figures --------------------------------------------------------------------------------------


def guarantee_of(project: Project) -> Guarantee | None:
    return Guarantee.objects.filter(project=project).first()


def lent_amount(project: Project) -> Decimal:
    """Σ of the tranches lent under the project's approval."""
    return Loan.objects.filter(guarantee__project=project).aggregate(total=Sum("amount"))["total"] or ZERO


def first_loan_date(project: Project) -> date | None:
    loan = Loan.objects.filter(guarantee__project=project).order_by("loan_date", "id").first()
    return loan.loan_date if loan else None


def latest_maturity(project: Project, first: date | None) -> date | None:
    """The last maturity date the approved term allows from the first loan date (plus the tolerance)."""
    if first is None or not project.approved_term_months:
        return None
    from datetime import timedelta

    return schedules.add_months(first, project.approved_term_months) + timedelta(days=term_tolerance_days(first))


@dataclass(frozen=True)
class Shares:
    """The risk shares a guarantee takes on its first loan date (fractions of the loan principal)."""

    bank: Decimal
    bank_source: str
    reguarantor: Decimal
    fund: Decimal
    gov_pool: Decimal
    agreement: Any = None

    @property
    def own(self) -> Decimal:
        return ONE - self.bank - self.reguarantor - self.fund - self.gov_pool


def shares_for(project: Project, on: date) -> Shares:
    """Bank share from the agreement in force for the lending bank on `on` when it states one (> 0),
    else the product version's; re-guarantor, national fund and government pool shares from the
    product version. The own share is what is left (the caller refuses a negative one)."""
    from danbao.partners.selectors import agreement_in_force_for

    version = project.product_version
    agreement = agreement_in_force_for(project.branch or project.bank, on)
    if agreement is not None and agreement.bank_share_rate > 0:
        bank, source = Decimal(agreement.bank_share_rate), ShareSource.AGREEMENT
    else:
        bank, source = Decimal(version.bank_share or 0), ShareSource.PRODUCT
    return Shares(
        bank=bank,
        bank_source=source,
        reguarantor=Decimal(version.reguarantor_share or 0),
        fund=Decimal(version.fund_share or 0),
        gov_pool=Decimal(version.gov_pool_share or 0),
        agreement=agreement,
    )


def credit_line_for(project: Project, on: date) -> tuple[Any, Any]:
    """(agreement in force for the lending bank on `on`, its credit-line usage today) or (None, None)."""
    from danbao.partners.selectors import agreement_in_force_for, credit_line_usage

    agreement = agreement_in_force_for(project.branch or project.bank, on)
    if agreement is None:
        return None, None
    return agreement, credit_line_usage(agreement, max(on, timezone.localdate()))


def letter_for(project: Project) -> Any:
    from danbao.letters.selectors import issued_letter_for

    return issued_letter_for(project)


def disbursement_context(project: Project, on: date | None = None) -> dict[str, Any]:
    """What the disbursement form shows: letter, approved / lent / remaining, term limit, credit line."""
    on = on or timezone.localdate()
    approved = project.approved_amount or ZERO
    lent = lent_amount(project)
    first = first_loan_date(project)
    agreement, usage = credit_line_for(project, on)
    return {
        "project": project,
        "guarantee": guarantee_of(project),
        "letter": letter_for(project),
        "approved": approved,
        "lent": lent,
        "remaining": max(approved - lent, ZERO),
        "first_loan_date": first,
        "latest_maturity": latest_maturity(project, first),
        "agreement": agreement,
        "usage": usage,
        "shares": shares_for(project, first or on),
    }


def blockers(project: Project) -> list[str]:
    """Why the project cannot be disbursed now (empty = the form may be used)."""
    from django.utils.translation import gettext as _

    problems = []
    if project.state != ProjectState.APPROVED:
        problems.append(_("The project is not approved."))
    if letter_for(project) is None:
        problems.append(_("No valid guarantee letter has been issued."))
    guarantee = guarantee_of(project)
    if guarantee is not None and guarantee.state != GuaranteeState.IN_FORCE:
        problems.append(_("The guarantee is no longer in force."))
    if project.approved_amount is not None and lent_amount(project) >= project.approved_amount:
        problems.append(_("The whole approved amount has been lent."))
    return problems


# --- the guarantee page ---------------------------------------------------------------------------


def loans_of(guarantee: Guarantee) -> list[Loan]:
    """Tranches in order, each with its schedule lines (two queries)."""
    return list(
        guarantee.loans.select_related("bank", "created_by", "evaluation")
        .prefetch_related(Prefetch("lines", queryset=ScheduleLine.objects.order_by("seq")))
        .order_by("sequence")
    )


def timeline_of(guarantee: Guarantee, loans: list[Loan]) -> list[dict[str, Any]]:
    """State moves and tranches, oldest first (the post-guarantee work adds repayments and checks)."""
    from django.utils.translation import gettext as _

    from danbao.ledger.models import GuaranteeState as S

    events: list[dict[str, Any]] = [
        {
            "at": guarantee.letter.issued_at,
            "text": _("Guarantee letter %(number)s issued") % {"number": guarantee.letter.number},
            "who": None,
        }
    ]
    for t in guarantee.transitions.select_related("actor"):
        events.append({"at": t.at, "text": _("Guarantee %(state)s") % {"state": S(t.target).label}, "who": t.actor, "reason": t.reason})
    for loan in loans:
        events.append(
            {
                "at": loan.created_at,
                "date": loan.loan_date,
                "text": _("Tranche %(seq)s recorded: contract %(contract)s, %(amount)s yuan lent on %(date)s")
                % {
                    "seq": loan.sequence,
                    "contract": loan.contract_number,
                    "amount": f"{loan.amount:,.2f}",
                    "date": loan.loan_date.isoformat(),
                },
                "who": loan.created_by,
            }
        )
    for r in guarantee.repayments.select_related("loan", "created_by"):
        events.append(
            {
                "at": r.created_at,
                "date": r.paid_on,
                "text": _("Repayment on %(date)s: principal %(principal)s, interest %(interest)s yuan (tranche %(seq)s)%(reversed)s")
                % {
                    "date": r.paid_on.isoformat(),
                    "principal": f"{r.principal:,.2f}",
                    "interest": f"{r.interest:,.2f}",
                    "seq": r.loan.sequence,
                    "reversed": _(", reversed: %(reason)s") % {"reason": r.reversal_reason} if r.reversed_at else "",
                },
                "who": r.created_by,
            }
        )
    return sorted(events, key=lambda e: e["at"])


def totals(queryset: QuerySet[Guarantee]) -> dict[str, Any]:
    """Count and sums of loan, liability and regulatory balances of a (filtered) list."""
    result = queryset.order_by().aggregate(
        loan=Sum("loan_balance"),
        liability=Sum("liability_balance"),
        regulatory=Sum("regulatory_balance"),
        guaranteed=Sum("guaranteed_amount"),
    )
    result["count"] = queryset.order_by().count()
    return {k: (v if v is not None else ZERO) for k, v in result.items()}


def dossier_section(user: Any, project: Project) -> dict[str, Any]:
    """Context of `ledger/_dossier_section.html` (read only)."""
    visible = may_view(user, project)
    guarantee = guarantee_of(project) if visible else None
    return {
        "lg_visible": visible,
        "lg_project": project,
        "lg_guarantee": guarantee,
        "lg_loans": list(guarantee.loans.select_related("bank").order_by("sequence")) if guarantee else [],
        "lg_can_record": visible and may_record(user, project) and not blockers(project),
    }


# --- filters of the list --------------------------------------------------------------------------


def bank_choices(user: Any) -> list[tuple[str, str]]:
    from danbao.partners.models import Bank

    return [(str(pk), name) for pk, name in Bank.objects.filter(parent__isnull=True).order_by("code").values_list("pk", "name")]


def product_choices(user: Any) -> list[tuple[str, str]]:
    from danbao.products.models import Product

    return [(str(pk), f"{code} {name}") for pk, code, name in Product.objects.order_by("code").values_list("pk", "code", "name")]


def manager_choices(user: Any) -> list[tuple[str, str]]:
    from danbao.org.models import User

    ids = Project.objects.filter(guarantee__isnull=False).values("manager_a")
    return [(str(u.pk), u.real_name or u.username) for u in User.objects.filter(pk__in=ids).order_by("username")]


def department_choices(user: Any) -> list[tuple[str, str]]:
    from danbao.org.models import Department

    ids = Project.objects.filter(guarantee__isnull=False).values("department")
    return [(str(pk), name) for pk, name in Department.objects.filter(pk__in=ids).order_by("path").values_list("pk", "name")]


# --- days past due (public; implemented in ledger.overdue) ----------------------------------------

from danbao.ledger.overdue import days_past_due, days_past_due_map, overdue_amounts, overdue_map  # noqa: E402, F401
