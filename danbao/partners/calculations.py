"""Pure formulas of the partners app: credit-line usage, the loss split of a defaulted guarantee across
bank / re-guarantors / fund / original guarantor with the recovery redistribution, and re-guarantee
fees. Decimal only, no database.

Rounding: amounts are split with the largest-remainder method at the cent (each part is its exact
share rounded down, the missing cents go to the largest remainders), so the parts always add up to
the whole and no part exceeds its exact share by more than one cent. Fees round half-up to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
ORIGINAL = "original"  # the institution itself (原担保机构)
BANK = "bank"
LEVELS = ("green", "amber", "red")


def money(value: Decimal) -> Decimal:
    """Half-up to the cent (the one rounding place of each fee formula)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` (cents) in proportion to `weights`: largest remainder at the cent, exact sum."""
    weight_sum = sum(weights, ZERO)
    if total == 0 or weight_sum == 0:
        return [ZERO for _ in weights]
    exact = [total * w / weight_sum for w in weights]
    floors = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    missing = int(((total - sum(floors, ZERO)) / CENT).to_integral_value())
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += CENT
    return floors


# --- Credit-line usage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """How much of a bank's credit line (授信额度) in-force guarantees use."""

    limit: Decimal
    used: Decimal
    available: Decimal  # negative when the line is overdrawn
    ratio: Decimal  # used / limit, 4 places (0.8 = 80 %)
    level: str = "green"  # green | amber | red

    @property
    def percent(self) -> Decimal:
        return (self.ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def bar_percent(self) -> int:
        """Width of the usage bar (0–100)."""
        return int(min(self.percent, Decimal(100)))


def compute_usage(limit: Decimal, used: Decimal, *, amber: Decimal, red: Decimal) -> Usage:
    """Usage of a line: amber from `amber` (e.g. 0.8) of the limit, red from `red` (e.g. 1.0), both inclusive.

    The comparison is made on amounts (used ≥ limit × threshold), so "exactly 80 %" is amber whatever
    the rounding of the displayed ratio. A zero line with any use is red.
    """
    if limit < 0 or used < 0:
        raise ValueError("limit and used must not be negative")
    available = limit - used
    if limit == 0:
        ratio = ONE if used > 0 else ZERO
        level = "red" if used > 0 else "green"
        return Usage(limit, used, available, ratio, level)
    ratio = (used / limit).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if used >= limit * red:
        level = "red"
    elif used >= limit * amber:
        level = "amber"
    else:
        level = "green"
    return Usage(limit, used, available, ratio, level)


# --- Loss split (TV-10) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SharingParty:
    """A risk-sharing party other than the bank and the original guarantor.

    `via`: the key of the party that reimburses the original guarantor for this party's share and is
    itself reimbursed by this party (the national fund pays through the provincial re-guarantor).
    """

    key: str
    share: Decimal  # fraction of the defaulted amount
    via: str = ""


@dataclass(frozen=True)
class Flow:
    payer: str
    payee: str
    amount: Decimal


@dataclass(frozen=True)
class LossSplit:
    loss: Decimal
    paid_to_bank: Decimal  # what the original guarantor compensates the bank (代偿额)
    net: dict[str, Decimal]  # final loss of each party, including BANK and ORIGINAL
    flows: list[Flow] = field(default_factory=list)


def _check_parties(bank_share: Decimal, parties: Sequence[SharingParty]) -> None:
    keys = [p.key for p in parties]
    if len(set(keys)) != len(keys) or {BANK, ORIGINAL} & set(keys):
        raise ValueError("party keys must be unique and not 'bank' or 'original'")
    for share in [bank_share, *(p.share for p in parties)]:
        if not ZERO <= share <= ONE:
            raise ValueError("shares must be between 0 and 1")
    if bank_share + sum((p.share for p in parties), ZERO) > ONE:
        raise ValueError("the shares add up to more than 100%")
    direct = {p.key for p in parties if not p.via}
    for p in parties:
        if p.via and p.via not in direct:
            raise ValueError(f"{p.key} pays via {p.via}, which is not a party paying the original guarantor directly")


def compute_loss_split(loss: Decimal, *, bank_share: Decimal, parties: Sequence[SharingParty] = ()) -> LossSplit:
    """Split a defaulted amount (the part the guarantee covers) across the bank, the partners and the
    original guarantor, with the payments that produce it (regulation.md §4.3, TV-10).

    The bank bears its share itself; the original guarantor pays the bank the rest; each partner that
    pays directly reimburses the original guarantor for its own share plus the shares routed through
    it; a partner paying `via` another reimburses that one.
    """
    if loss < 0:
        raise ValueError("loss must not be negative")
    _check_parties(bank_share, parties)
    original_share = ONE - bank_share - sum((p.share for p in parties), ZERO)
    keys = [BANK, *(p.key for p in parties), ORIGINAL]
    amounts = allocate(loss, [bank_share, *(p.share for p in parties), original_share])
    net = dict(zip(keys, amounts, strict=True))
    paid_to_bank = loss - net[BANK]
    flows = [Flow(ORIGINAL, BANK, paid_to_bank)]
    for p in parties:
        if not p.via:
            routed = sum((net[q.key] for q in parties if q.via == p.key), ZERO)
            flows.append(Flow(p.key, ORIGINAL, net[p.key] + routed))
    for p in parties:
        if p.via:
            flows.append(Flow(p.key, p.via, net[p.key]))
    return LossSplit(loss, paid_to_bank, net, flows)


@dataclass(frozen=True)
class RecoverySplit:
    recovered: Decimal  # the part applied to the guarantor's subrogated claim
    excess: Decimal  # recovered beyond the claim (not shared; returned outside this split)
    returned: dict[str, Decimal]  # what each party gets back, ORIGINAL = what it keeps
    final_net: dict[str, Decimal]  # losses after the recovery
    flows: list[Flow] = field(default_factory=list)


def compute_recovery_split(split: LossSplit, recovered: Decimal, parties: Sequence[SharingParty] = ()) -> RecoverySplit:
    """Share a net recovery on the guarantor's subrogated claim pro rata to what each party finally
    paid of it (re-guarantee rules: recoveries go back in proportion to the risk share, TV-10).

    Nobody gets back more than it paid: the applied recovery is capped at the claim and each part is
    at most its exact share. The bank's own part is pursued under its agreement, outside this split.
    """
    if recovered < 0:
        raise ValueError("recovery must not be negative")
    applied = min(recovered, split.paid_to_bank)
    excess = recovered - applied
    sharers = [key for key in split.net if key != BANK]
    parts = allocate(applied, [split.net[key] for key in sharers])
    returned = dict(zip(sharers, parts, strict=True))
    final_net = {key: split.net[key] - returned.get(key, ZERO) for key in split.net}
    flows = []
    for p in parties:
        if not p.via:
            routed = sum((returned[q.key] for q in parties if q.via == p.key), ZERO)
            flows.append(Flow(ORIGINAL, p.key, returned[p.key] + routed))
    for p in parties:
        if p.via:
            flows.append(Flow(p.via, p.key, returned[p.key]))
    return RecoverySplit(applied, excess, returned, final_net, flows)


# --- Re-guarantee fee (TV-11) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fee:
    exposure: Decimal  # the partner's risk share of the loan
    rate: Decimal
    amount: Decimal  # per year


def compute_reguarantee_fee(loan_amount: Decimal, share: Decimal, *, band_amount: Decimal, rate_low: Decimal, rate_high: Decimal) -> Fee:
    """Annual re-guarantee fee: the rate is chosen by the single guarantee amount (≤ band: `rate_low`,
    inclusive; > band: `rate_high`) and applied to the partner's exposure (share × loan).
    National fund: 0.3 % (≤500万) / 0.5 % (>500万) of its risk share (regulation.md §4.3, TV-11)."""
    if loan_amount < 0 or not ZERO <= share <= ONE:
        raise ValueError("loan amount must not be negative and the share must be between 0 and 1")
    exposure = money(loan_amount * share)
    rate = rate_low if loan_amount <= band_amount else rate_high
    return Fee(exposure, rate, money(exposure * rate))
