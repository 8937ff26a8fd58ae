"""Partner reads: banks, agreements, risk-sharing partners and channels, credit-line usage and the
business each channel brought.

Partner master data is institution-wide (not owned by a department): whoever holds
`partners.partner.view` sees all of it; others get an empty list, and a page for a missing record
is a 404. Usage and channel figures come from `regulatory.exposures.current`, the in-force book.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from danbao.org.scope import get_in_scope
from danbao.partners import parameters
from danbao.partners.calculations import Fee, Usage, compute_reguarantee_fee, compute_usage
from danbao.partners.models import Agreement, AgreementStatus, Bank, BankContact, Channel, CreditLineAlert, Partner, PartnerKind
from danbao.regulatory import exposures as exposure_book
from danbao.regulatory.exposures import Exposure

VIEW = "partners.partner.view"
ZERO = Decimal(0)


def _viewer(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.can(VIEW))


def _int(pk: Any) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        return 0


# --- Banks and agreements ---------------------------------------------------------------------------


def bank_list_for(user: Any) -> QuerySet[Bank]:
    """Banks (head offices and branches) the user may see, with their branch counts."""
    queryset = Bank.objects.select_related("parent").annotate(branch_count=Count("branches", distinct=True))
    return queryset if _viewer(user) else queryset.none()


def bank_get_for(user: Any, pk: Any, request: Any = None) -> Bank:
    """One bank; 404 (logged) when missing or the user may not see partners."""
    return get_in_scope(bank_list_for(user), user, request, pk=_int(pk))


def agreement_list_for(user: Any) -> QuerySet[Agreement]:
    """Agreements the user may see."""
    queryset = Agreement.objects.select_related("bank", "bank__parent", "manager")
    return queryset if _viewer(user) else queryset.none()


def agreement_get_for(user: Any, pk: Any, request: Any = None) -> Agreement:
    """One agreement; 404 (logged) when missing or the user may not see partners."""
    return get_in_scope(agreement_list_for(user).select_related("created_by", "updated_by"), user, request, pk=_int(pk))


def in_force_on(on: date) -> Q:
    """Agreements in force on a date: put in force, within their validity, not yet ended."""
    return (
        Q(activated_on__isnull=False, valid_from__lte=on, valid_to__gte=on)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        & ~Q(status=AgreementStatus.DRAFT)
    )


def agreement_in_force_for(bank: Bank, on: date) -> Agreement | None:
    """The agreement that governs lending by `bank` on `on`: the bank's own agreement in force, else
    its head office's (a head-office agreement, 总对总, covers every branch); None if neither."""
    own = Agreement.objects.filter(in_force_on(on), bank=bank).order_by("-valid_from", "-pk").first()
    if own is not None or bank.parent_id is None:
        return own
    return Agreement.objects.filter(in_force_on(on), bank_id=bank.parent_id).order_by("-valid_from", "-pk").first()


def covered_bank_codes(bank: Bank) -> set[str]:
    """Codes whose lending counts against an agreement with `bank`: itself, plus all branches of a head office."""
    codes = {bank.code}
    if bank.parent_id is None:
        codes |= set(Bank.objects.filter(parent=bank).values_list("code", flat=True))
    return codes


def agreement_exposures(agreement: Agreement, on: date, book: Iterable[Exposure] | None = None) -> list[Exposure]:
    """In-force exposures lent by the agreement's bank or (head-office agreement) any of its branches."""
    codes = covered_bank_codes(agreement.bank)
    book = exposure_book.current(on) if book is None else book
    return [e for e in book if e.bank_code in codes]


def credit_line_usage(agreement: Agreement, on: date, book: Iterable[Exposure] | None = None) -> Usage:
    """Limit, used (sum of in-force loan balances of the covered banks), available and ratio of the
    agreement's credit line on `on`, with the usage level from the dated thresholds."""
    used = sum((e.loan_balance for e in agreement_exposures(agreement, on, book)), ZERO)
    return compute_usage(
        agreement.credit_line_amount,
        used,
        amber=parameters.threshold(parameters.AMBER, on),
        red=parameters.threshold(parameters.RED, on),
    )


def usage_by_branch(agreement: Agreement, on: date, book: Iterable[Exposure] | None = None) -> list[dict[str, Any]]:
    """The agreement's used amount broken down by lending bank (for the agreement page)."""
    names = dict(Bank.objects.filter(code__in=covered_bank_codes(agreement.bank)).values_list("code", "name"))
    sums: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO])
    for e in agreement_exposures(agreement, on, book):
        sums[e.bank_code][0] += 1
        sums[e.bank_code][1] += e.loan_balance
    return [
        {"code": code, "name": names.get(code, code), "count": count, "amount": amount}
        for code, (count, amount) in sorted(sums.items(), key=lambda item: -item[1][1])
    ]


def _branch_codes() -> dict[int, set[str]]:
    """Head-office id → its branches' codes (one query)."""
    codes: dict[int, set[str]] = defaultdict(set)
    for code, parent_id in Bank.objects.filter(parent__isnull=False).values_list("code", "parent_id"):
        codes[parent_id].add(code)
    return codes


def usage_for_agreements(agreements: Iterable[Agreement], on: date, book: Iterable[Exposure] | None = None) -> dict[int, Usage]:
    """Usage of many agreements with a fixed number of queries (list pages): the book is read once,
    branch codes once, thresholds once."""
    book = list(exposure_book.current(on) if book is None else book)
    branches = _branch_codes()
    amber, red = parameters.threshold(parameters.AMBER, on), parameters.threshold(parameters.RED, on)
    used_by_code: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for e in book:
        used_by_code[e.bank_code] += e.loan_balance
    result = {}
    for agreement in agreements:
        bank = agreement.bank
        codes = {bank.code} | (branches.get(bank.pk, set()) if bank.parent_id is None else set())
        used = sum((used_by_code[c] for c in codes if c in used_by_code), ZERO)
        result[agreement.pk] = compute_usage(agreement.credit_line_amount, used, amber=amber, red=red)
    return result


def usage_for_banks(banks: Iterable[Bank], on: date) -> dict[int, tuple[Agreement, Usage]]:
    """For a page of banks: each bank's governing agreement (its own, else its head office's) and its
    usage, with a fixed number of queries whatever the number of banks."""
    banks = list(banks)
    governing: dict[int, Agreement] = {}
    for agreement in Agreement.objects.filter(in_force_on(on)).select_related("bank").order_by("valid_from", "pk"):
        governing[agreement.bank_id] = agreement  # the latest-starting one wins, as in agreement_in_force_for
    chosen = {
        bank.pk: governing.get(bank.pk) or governing.get(bank.parent_id)
        for bank in banks
        if bank.pk in governing or bank.parent_id in governing
    }
    usages = usage_for_agreements({a.pk: a for a in chosen.values() if a}.values(), on)
    return {pk: (agreement, usages[agreement.pk]) for pk, agreement in chosen.items() if agreement}


def agreements_in_force(on: date) -> QuerySet[Agreement]:
    """Every agreement in force on `on` (for the daily usage check)."""
    return Agreement.objects.filter(in_force_on(on)).select_related("bank", "manager")


def agreement_history(agreement: Agreement, limit: int = 50) -> list[dict[str, Any]]:
    """Amendment timeline: who, when, and each changed term with its old and new value."""
    records = list(agreement.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    timeline = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(
                previous, excluded_fields=["updated_at", "version", "updated_by", "status_changed_at"]
            ).changes:
                changes.append(
                    {
                        "field": str(Agreement._meta.get_field(change.field).verbose_name),
                        "old": change.old,
                        "new": change.new,
                    }
                )
        timeline.append({"when": record.history_date, "who": record.history_user, "type": record.history_type, "changes": changes})
    return timeline


# --- Risk-sharing partners --------------------------------------------------------------------------


def partner_list_for(user: Any) -> QuerySet[Partner]:
    """Re-guarantors, the national fund and risk pools the user may see."""
    return Partner.objects.all() if _viewer(user) else Partner.objects.none()


def partner_get_for(user: Any, pk: Any, request: Any = None) -> Partner:
    return get_in_scope(partner_list_for(user), user, request, pk=_int(pk))


def partner_fee_rates(partner: Partner, on: date | None = None) -> tuple[Decimal, Decimal]:
    """The partner's fee rates (≤ band, > band). Rates left empty on the national fund or a
    re-guarantor come from the dated system parameters `fund_reguarantee_fee_le_5m` / `_gt_5m`."""
    low, high = partner.fee_rate_low, partner.fee_rate_high
    if (low is None or high is None) and partner.kind in (PartnerKind.NATIONAL_FUND, PartnerKind.REGUARANTOR):
        from danbao.system.selectors import param_value

        on = on or timezone.localdate()
        low = Decimal(param_value("fund_reguarantee_fee_le_5m", on)) if low is None else low
        high = Decimal(param_value("fund_reguarantee_fee_gt_5m", on)) if high is None else high
    return (low or ZERO, high or ZERO)


def partner_fee(partner: Partner, loan_amount: Decimal, on: date | None = None) -> Fee:
    """The partner's annual fee for one guarantee of `loan_amount` (TV-11)."""
    low, high = partner_fee_rates(partner, on)
    return compute_reguarantee_fee(loan_amount, partner.share_rate, band_amount=partner.fee_band_amount, rate_low=low, rate_high=high)


# --- Channels ---------------------------------------------------------------------------------------


def channel_list_for(user: Any) -> QuerySet[Channel]:
    """Referral channels the user may see."""
    return Channel.objects.all() if _viewer(user) else Channel.objects.none()


def channel_get_for(user: Any, pk: Any, request: Any = None) -> Channel:
    return get_in_scope(channel_list_for(user), user, request, pk=_int(pk))


@dataclass
class ChannelBusiness:
    """What a channel brought that is in force: guarantees (projects) and their loan balance."""

    count: int = 0
    amount: Decimal = ZERO
    exposures: list[Exposure] = field(default_factory=list)


def channel_business(on: date, book: Iterable[Exposure] | None = None) -> dict[str, ChannelBusiness]:
    """In-force business per channel code on `on` (the project app will add application counts)."""
    book = exposure_book.current(on) if book is None else book
    result: dict[str, ChannelBusiness] = defaultdict(ChannelBusiness)
    for e in book:
        if e.channel_code:
            entry = result[e.channel_code]
            entry.count += 1
            entry.amount += e.loan_balance
            entry.exposures.append(e)
    return dict(result)


def branches_of(bank: Bank) -> list[Bank]:
    """A head office's branches in code order (none for a branch)."""
    return list(Bank.objects.filter(parent=bank).order_by("code"))


def contact_get_for(user: Any, bank: Bank, pk: Any, request: Any = None) -> BankContact:
    """One contact of a bank the user may see; 404 otherwise."""
    queryset = BankContact.objects.filter(bank=bank) if _viewer(user) else BankContact.objects.none()
    return get_in_scope(queryset, user, request, pk=_int(pk))


def alerts_of(agreement: Agreement, limit: int = 20) -> list[CreditLineAlert]:
    """The agreement's latest credit-line level changes."""
    return list(agreement.alerts.order_by("-id")[:limit])


@dataclass
class SplitPreview:
    """The loss split of one defaulted amount across the bank and the active partners (TV-10)."""

    rows: list[dict[str, Any]]
    paid_to_bank: Decimal
    flows: list[dict[str, Any]]
    recovery_flows: list[dict[str, Any]]
    recovered: Decimal
    excess: Decimal


def loss_split_preview(loss: Decimal, bank_share: Decimal, recovered: Decimal = ZERO) -> SplitPreview:
    """Split `loss` with the active partners' shares: the national fund pays through the first active
    provincial re-guarantor (三级分险), risk pools and re-guarantors pay the institution directly."""
    from django.utils.translation import gettext as _

    from danbao.partners.calculations import BANK, ORIGINAL, SharingParty, compute_loss_split, compute_recovery_split

    partners = list(Partner.objects.filter(is_active=True).order_by("kind", "code"))
    provincial = next((p for p in partners if p.kind == PartnerKind.REGUARANTOR), None)
    parties = [
        SharingParty(p.code, p.share_rate, provincial.code if p.kind == PartnerKind.NATIONAL_FUND and provincial else "") for p in partners
    ]
    split = compute_loss_split(loss, bank_share=bank_share, parties=parties)
    recovery = compute_recovery_split(split, recovered, parties)
    names = {p.code: p.name for p in partners} | {BANK: _("Bank"), ORIGINAL: _("This institution (original guarantor)")}
    rows = [
        {
            "name": names[key],
            "share_text": f"{format(((amount / loss if loss else ZERO) * 100).quantize(Decimal('0.01')).normalize(), 'f')}%",
            "net": amount,
            "returned": recovery.returned.get(key, ZERO),
            "final": recovery.final_net[key],
        }
        for key, amount in split.net.items()
    ]

    def flows(items: Iterable[Any]) -> list[dict[str, Any]]:
        return [{"payer": names[f.payer], "payee": names[f.payee], "amount": f.amount} for f in items]

    return SplitPreview(rows, split.paid_to_bank, flows(split.flows), flows(recovery.flows), recovery.recovered, recovery.excess)
