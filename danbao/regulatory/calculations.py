"""Regulatory formulas as pure functions over Decimal (no database, no parameter lookups).

Every number a regulator could question is computed here; the services read the dated parameters
and pass them in (`WeightParams`, `LimitParams`, …). Amounts are yuan and nothing is rounded: the
pages round half-up at display. References are to shared/domain/regulation.md and the rules it
cites (条例 = 融资担保公司监督管理条例; 计量办法 = 融资担保责任余额计量办法; 资产比例办法 =
融资担保公司资产比例管理办法; 暂行办法 = 融资性担保公司管理暂行办法).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from danbao.regulatory.categories import GuaranteeClass, LoanKind
from danbao.regulatory.exposures import Exposure

ZERO = Decimal(0)
ONE = Decimal(1)

# --- 融资担保责任余额计量表 (计量办法; regulation.md §2.2.2–2.2.5, §8.2 (c)) --------------------------

SMALL_MICRO = "1.1"  # 单户在保余额 ≤ 500万 小微企业借款类
FARMER = "1.2"  # 单户在保余额 ≤ 200万 农户借款类
HOUSING = "1.3"  # 住房置业
OTHER_LOAN = "1.4"  # 其他借款类
BOND_AA = "2.1"  # 主体评级 AA级以上 发行债券
OTHER_BOND = "2.2"
OTHER_FINANCING = "3"
BUCKETS = (SMALL_MICRO, FARMER, HOUSING, OTHER_LOAN, BOND_AA, OTHER_BOND, OTHER_FINANCING)
BUCKET_NAMES = {
    SMALL_MICRO: "单户在保余额500万元以下（含）的小微企业借款类担保",
    FARMER: "单户在保余额200万元以下（含）的农户借款类担保",
    HOUSING: "住房置业担保",
    OTHER_LOAN: "其他借款类担保",
    BOND_AA: "被担保人主体信用评级AA级以上的发行债券担保",
    OTHER_BOND: "其他发行债券担保",
    OTHER_FINANCING: "其他融资担保",
}
THRESHOLD_OWN_SHARE = "own_share"
THRESHOLD_GROSS = "gross"


@dataclass(frozen=True)
class WeightParams:
    """Weights (fractions), 单户 thresholds (yuan, inclusive) and the two open-point choices."""

    small_micro: Decimal = Decimal("0.75")
    small_micro_threshold: Decimal = Decimal(5_000_000)
    farmer: Decimal = Decimal("0.75")
    farmer_threshold: Decimal = Decimal(2_000_000)
    housing: Decimal = Decimal("0.30")
    other_loan: Decimal = ONE
    bond_aa: Decimal = Decimal("0.80")
    other_bond: Decimal = ONE
    other_financing: Decimal = ONE
    threshold_basis: str = THRESHOLD_OWN_SHARE  # own_share | gross (§2.2.4 open point)
    deduct_reguarantee_share: bool = False  # §2.2.5: re-guarantee does not reduce the liability by default

    def weight(self, bucket: str) -> Decimal:
        return {
            SMALL_MICRO: self.small_micro,
            FARMER: self.farmer,
            HOUSING: self.housing,
            OTHER_LOAN: self.other_loan,
            BOND_AA: self.bond_aa,
            OTHER_BOND: self.other_bond,
            OTHER_FINANCING: self.other_financing,
        }[bucket]


@dataclass(frozen=True)
class WeightedExposure:
    exposure: Exposure
    actual_balance: Decimal  # 实际在保余额: the institution's own share (less re-guarantee if deducted)
    household_total: Decimal | None  # 单户在保余额 tested against the threshold (borrowing-type only)
    bucket: str
    weight: Decimal
    liability: Decimal  # 融资担保责任余额 of this guarantee


@dataclass(frozen=True)
class BucketRow:
    """One row of the 计量表: 在保余额 (合同口径, before sharing), 实际在保余额, weight, 责任余额."""

    bucket: str
    name: str
    gross_balance: Decimal
    actual_balance: Decimal
    weight: Decimal | None
    liability: Decimal
    count: int


@dataclass(frozen=True)
class LiabilityTable:
    rows: list[BucketRow]  # 1.1 … 3, then subtotals are in the fields below
    items: list[WeightedExposure]
    loan_liability: Decimal  # 借款类担保责任余额
    bond_liability: Decimal  # 发行债券担保责任余额
    other_liability: Decimal  # 其他融资担保责任余额
    total_gross: Decimal
    total_actual: Decimal
    total_liability: Decimal  # 融资担保责任余额 (row 4 合计)
    non_financing_balance: Decimal  # 非融资担保: outside the 计量表, shown apart


def actual_balance(exposure: Exposure, *, deduct_reguarantee_share: bool) -> Decimal:
    """实际在保余额: the loan balance times the share the institution bears (§2.2.5).

    Re-guarantee does not reduce the liability to the bank unless the parameter says so; then the
    re-guaranteed share of the loan is taken off the own share (never below zero).
    """
    share = exposure.own_share
    if deduct_reguarantee_share:
        share = max(share - exposure.reguarantee_share, ZERO)
    return exposure.loan_balance * share


def _threshold_amount(exposure: Exposure, params: WeightParams) -> Decimal:
    if params.threshold_basis == THRESHOLD_GROSS:
        return exposure.loan_balance
    return actual_balance(exposure, deduct_reguarantee_share=params.deduct_reguarantee_share)


def compute_household_totals(exposures: Iterable[Exposure], params: WeightParams) -> dict[str, Decimal]:
    """单户在保余额 per party_key: all borrowing-type guarantees of the party summed (§2.2.4), on the
    basis the `threshold_basis` parameter names (own share, default; or gross loan balance)."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for exposure in exposures:
        if exposure.guarantee_class == GuaranteeClass.LOAN:
            totals[exposure.party_key] += _threshold_amount(exposure, params)
    return dict(totals)


def bucket_of(exposure: Exposure, household_total: Decimal | None, params: WeightParams) -> str | None:
    """The 计量表 row of one guarantee; None for non-financing guarantees (not in the 责任余额)."""
    if exposure.guarantee_class == GuaranteeClass.LOAN:
        assert household_total is not None
        if exposure.loan_kind == LoanKind.SMALL_MICRO and household_total <= params.small_micro_threshold:
            return SMALL_MICRO  # "以下" includes the number (民法典 第1259条)
        if exposure.loan_kind == LoanKind.FARMER and household_total <= params.farmer_threshold:
            return FARMER
        if exposure.loan_kind == LoanKind.HOUSING:
            return HOUSING
        return OTHER_LOAN
    if exposure.guarantee_class == GuaranteeClass.BOND:
        return BOND_AA if exposure.bond_aa_or_better else OTHER_BOND
    if exposure.guarantee_class == GuaranteeClass.OTHER_FINANCING:
        return OTHER_FINANCING
    return None


def compute_liability_table(exposures: Iterable[Exposure], params: WeightParams) -> LiabilityTable:
    """融资担保责任余额 = Σ 实际在保余额 × 权重 by bucket (计量办法; regulation.md §2.2.3, TV-01).

    The whole household's balance gets one weight: the threshold is tested on the party's total,
    never split at the threshold.
    """
    exposures = list(exposures)
    households = compute_household_totals(exposures, params)
    items: list[WeightedExposure] = []
    gross: dict[str, Decimal] = defaultdict(lambda: ZERO)
    actual: dict[str, Decimal] = defaultdict(lambda: ZERO)
    liability: dict[str, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[str, int] = defaultdict(int)
    non_financing = ZERO
    for exposure in exposures:
        household = households.get(exposure.party_key) if exposure.guarantee_class == GuaranteeClass.LOAN else None
        bucket = bucket_of(exposure, household, params)
        own = actual_balance(exposure, deduct_reguarantee_share=params.deduct_reguarantee_share)
        if bucket is None:
            non_financing += own
            continue
        weight = params.weight(bucket)
        items.append(WeightedExposure(exposure, own, household, bucket, weight, own * weight))
        gross[bucket] += exposure.loan_balance
        actual[bucket] += own
        liability[bucket] += own * weight
        counts[bucket] += 1
    rows = [BucketRow(b, BUCKET_NAMES[b], gross[b], actual[b], params.weight(b), liability[b], counts[b]) for b in BUCKETS]
    loan = sum((liability[b] for b in (SMALL_MICRO, FARMER, HOUSING, OTHER_LOAN)), ZERO)
    bond = liability[BOND_AA] + liability[OTHER_BOND]
    other = liability[OTHER_FINANCING]
    return LiabilityTable(
        rows=rows,
        items=items,
        loan_liability=loan,
        bond_liability=bond,
        other_liability=other,
        total_gross=sum(gross.values(), ZERO),
        total_actual=sum(actual.values(), ZERO),
        total_liability=loan + bond + other,
        non_financing_balance=non_financing,
    )


# --- Net assets, leverage and the 15× test (条例 第十五条; regulation.md §2.2.6) -----------------------


def compute_adjusted_net_assets(book_net_assets: Decimal, equity_in_guarantors: Decimal, *, deduct: bool) -> Decimal:
    """Net assets used for leverage and concentration: book net assets less equity investments in
    other financing-guarantee and re-guarantee companies when `deduct` (parameter
    net_assets_deduct_equity_in_guarantors, [R]/[P]; TV-02)."""
    return book_net_assets - equity_in_guarantors if deduct else book_net_assets


@dataclass(frozen=True)
class Eligibility15:
    """The recalled 15× test: small/micro + farmer balance share and household share (TV-03)."""

    qualifying_balance: Decimal
    total_balance: Decimal
    balance_share: Decimal | None
    qualifying_parties: int
    total_parties: int
    party_share: Decimal | None
    balance_share_min: Decimal
    party_share_min: Decimal

    @property
    def balance_ok(self) -> bool:
        return self.balance_share is not None and self.balance_share >= self.balance_share_min

    @property
    def party_ok(self) -> bool:
        return self.party_share is not None and self.party_share >= self.party_share_min

    @property
    def eligible(self) -> bool:
        return self.balance_ok and self.party_ok


def compute_eligibility_15x(
    qualifying_balance: Decimal,
    total_balance: Decimal,
    qualifying_parties: int,
    total_parties: int,
    *,
    balance_share_min: Decimal,
    party_share_min: Decimal,
) -> Eligibility15:
    """ "Mainly serves small/micro and 三农": balance share ≥ min AND household share ≥ min ("不低于" includes)."""
    balance_share = qualifying_balance / total_balance if total_balance > 0 else None
    party_share = Decimal(qualifying_parties) / Decimal(total_parties) if total_parties > 0 else None
    return Eligibility15(
        qualifying_balance,
        total_balance,
        balance_share,
        qualifying_parties,
        total_parties,
        party_share,
        balance_share_min,
        party_share_min,
    )


def eligibility_15x_from_table(table: LiabilityTable, *, balance_share_min: Decimal, party_share_min: Decimal) -> Eligibility15:
    """The 15× test on the 计量表's guarantees: rows 1.1 + 1.2 against every financing guarantee.

    Balances are 实际在保余额; a party counts as qualifying when any of its guarantees is in 1.1 or
    1.2 (its household total decided the bucket, so all its borrowing guarantees of that kind agree).
    """
    qualifying = sum((i.actual_balance for i in table.items if i.bucket in (SMALL_MICRO, FARMER)), ZERO)
    parties = {i.exposure.party_key for i in table.items}
    qualifying_parties = {i.exposure.party_key for i in table.items if i.bucket in (SMALL_MICRO, FARMER)}
    return compute_eligibility_15x(
        qualifying,
        table.total_actual,
        len(qualifying_parties),
        len(parties),
        balance_share_min=balance_share_min,
        party_share_min=party_share_min,
    )


@dataclass(frozen=True)
class LimitCheck:
    """A ratio against its limit: value = amount / base; `cap` is the largest allowed amount."""

    amount: Decimal
    base: Decimal
    limit: Decimal  # a multiple (leverage) or a fraction (concentration)
    ratio: Decimal | None  # None when the base is not positive
    cap: Decimal | None
    headroom: Decimal | None  # cap − amount (negative = breach by that much)

    @property
    def breached(self) -> bool:
        return self.ratio is None and self.amount > 0 or self.headroom is not None and self.headroom < 0

    def status(self, warning_ratio: Decimal) -> str:
        """ok | warning (at or above `warning_ratio` of the limit) | breach."""
        if self.breached:
            return "breach"
        if self.ratio is not None and self.limit > 0 and self.ratio >= self.limit * warning_ratio:
            return "warning"
        return "ok"


def compute_limit_check(amount: Decimal, base: Decimal, limit: Decimal) -> LimitCheck:
    """amount / base against `limit` ("不得超过": equal to the limit is allowed); cap = limit × base."""
    if base <= 0:
        return LimitCheck(amount, base, limit, None, None, None)
    cap = limit * base
    return LimitCheck(amount, base, limit, amount / base, cap, cap - amount)


def compute_leverage(liability: Decimal, adjusted_net_assets: Decimal, cap_multiple: Decimal) -> LimitCheck:
    """放大倍数 = 融资担保责任余额 / 净资产 ≤ 10 (or 15) (条例 第十五条; TV-02)."""
    return compute_limit_check(liability, adjusted_net_assets, cap_multiple)


# --- Concentration (条例 第十六条; TV-05) --------------------------------------------------------------


@dataclass(frozen=True)
class PartyExposure:
    key: str  # party_key or group_key
    name: str
    liability: Decimal
    parties: tuple[str, ...] = ()


def compute_party_liabilities(items: Iterable[WeightedExposure]) -> list[PartyExposure]:
    """融资担保责任余额 per guaranteed party (单一被担保人), largest first."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    names: dict[str, str] = {}
    for item in items:
        totals[item.exposure.party_key] += item.liability
        names.setdefault(item.exposure.party_key, item.exposure.party_name)
    rows = [PartyExposure(k, names[k], v, (k,)) for k, v in totals.items()]
    return sorted(rows, key=lambda r: (-r.liability, r.key))


def compute_group_liabilities(items: Iterable[WeightedExposure]) -> list[PartyExposure]:
    """融资担保责任余额 per related-party group (被担保人及其关联方), largest first.

    Guarantees whose party has no group are left out: for a party without related parties the
    single-party limit (10 %) is the binding one.
    """
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    members: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for item in items:
        key = item.exposure.group_key
        if not key:
            continue
        totals[key] += item.liability
        members[key].add(item.exposure.party_key)
        names.setdefault(key, item.exposure.party_name)
    rows = [PartyExposure(k, names[k], v, tuple(sorted(members[k]))) for k, v in totals.items()]
    return sorted(rows, key=lambda r: (-r.liability, r.key))


def compute_concentration(liability: Decimal, adjusted_net_assets: Decimal, limit: Decimal) -> LimitCheck:
    """对单一被担保人（及其关联方）的融资担保责任余额 / 净资产 ≤ 10 % (15 %) (条例 第十六条)."""
    return compute_limit_check(liability, adjusted_net_assets, limit)


# --- Asset ratios Ⅰ/Ⅱ/Ⅲ (资产比例办法 第五至七条; regulation.md §2.3, TV-06) --------------------------


@dataclass(frozen=True)
class AssetInputs:
    """Balance-sheet items of the non-consolidated statements (第二条), the company's own funds only:
    entrusted government funds are entered apart and are in none of the items below."""

    total_assets: Decimal
    net_assets: Decimal
    comp_receivable: Decimal = ZERO  # 应收代偿款: in no level, out of the base
    entrusted_gov_funds: Decimal = ZERO  # 受托管理的政府性或财政专项资金: out of the base
    # Ⅰ级 (第五条)
    cash_and_deposits: Decimal = ZERO  # 现金、银行存款
    margin_deposits: Decimal = ZERO  # 存出保证金
    money_market_funds: Decimal = ZERO
    gov_and_financial_bonds: Decimal = ZERO  # 国债、金融债券
    wmp_short: Decimal = ZERO  # 可随时赎回或三个月内到期的银行理财
    bonds_aaa: Decimal = ZERO
    other_monetary_funds: Decimal = ZERO
    # Ⅱ级 (第六条)
    wmp_other: Decimal = ZERO
    bonds_aa: Decimal = ZERO  # AA、AA+
    equity_in_guarantors: Decimal = ZERO  # 对其他融资担保、再担保公司的股权投资
    client_equity: Decimal = ZERO  # 对在保客户股权投资: 20 % Ⅱ, 80 % Ⅲ
    client_entrusted_loans_short: Decimal = ZERO  # 对在保客户期限≤6个月的委托贷款: 40 % Ⅱ, 60 % Ⅲ
    self_use_property: Decimal = ZERO  # 自用型房产: up to 30 % of net assets in Ⅱ, the rest Ⅲ
    # Ⅲ级 (第七条)
    other_equity: Decimal = ZERO
    bonds_low: Decimal = ZERO  # AA-及以下或无评级
    trust_and_am_products: Decimal = ZERO  # 信托、资管计划、基金、ABS
    other_entrusted_loans: Decimal = ZERO
    non_self_use_property: Decimal = ZERO
    other_receivables: Decimal = ZERO


@dataclass(frozen=True)
class AssetRatioParams:
    i_plus_ii_min: Decimal = Decimal("0.70")
    i_min: Decimal = Decimal("0.20")
    iii_max: Decimal = Decimal("0.30")
    self_use_property_cap: Decimal = Decimal("0.30")  # of net assets
    client_equity_level2_share: Decimal = Decimal("0.20")
    entrusted_loan_level2_share: Decimal = Decimal("0.40")


@dataclass(frozen=True)
class AssetRatios:
    level1: Decimal
    level2: Decimal
    level3: Decimal
    base: Decimal  # 资产总额 − 应收代偿款 − 受托政府性资金
    unclassified: Decimal  # base − (Ⅰ+Ⅱ+Ⅲ): assets in no list, to classify by hand
    i_plus_ii: Decimal | None
    i: Decimal | None
    iii: Decimal | None
    params: AssetRatioParams

    @property
    def i_plus_ii_ok(self) -> bool:
        return self.i_plus_ii is not None and self.i_plus_ii >= self.params.i_plus_ii_min

    @property
    def i_ok(self) -> bool:
        return self.i is not None and self.i >= self.params.i_min

    @property
    def iii_ok(self) -> bool:
        return self.iii is not None and self.iii <= self.params.iii_max


def compute_asset_ratios(a: AssetInputs, p: AssetRatioParams) -> AssetRatios:
    """Ⅰ+Ⅱ ≥ 70 %, Ⅰ ≥ 20 %, Ⅲ ≤ 30 % of (资产总额 − 应收代偿款 − 受托政府性资金) (TV-06)."""
    level1 = (
        a.cash_and_deposits
        + a.margin_deposits
        + a.money_market_funds
        + a.gov_and_financial_bonds
        + a.wmp_short
        + a.bonds_aaa
        + a.other_monetary_funds
    )
    property_cap = max(p.self_use_property_cap * a.net_assets, ZERO)
    property_ii = min(a.self_use_property, property_cap)
    equity_ii = a.client_equity * p.client_equity_level2_share
    loans_ii = a.client_entrusted_loans_short * p.entrusted_loan_level2_share
    level2 = a.wmp_other + a.bonds_aa + a.equity_in_guarantors + equity_ii + loans_ii + property_ii
    level3 = (
        (a.client_equity - equity_ii)
        + (a.client_entrusted_loans_short - loans_ii)
        + (a.self_use_property - property_ii)
        + a.other_equity
        + a.bonds_low
        + a.trust_and_am_products
        + a.other_entrusted_loans
        + a.non_self_use_property
        + a.other_receivables
    )
    base = a.total_assets - a.comp_receivable - a.entrusted_gov_funds
    ratio = (lambda x: x / base) if base > 0 else (lambda x: None)
    return AssetRatios(
        level1, level2, level3, base, base - (level1 + level2 + level3), ratio(level1 + level2), ratio(level1), ratio(level3), p
    )


# --- Reserves (暂行办法 第三十一条; regulation.md §3, TV-07) ----------------------------------------


@dataclass(frozen=True)
class Reserves:
    unearned_premium: Decimal  # 未到期责任准备金 closing = rate × current-year fee income
    comp_balance_before: Decimal  # opening − used in the year
    comp_min_accrual: Decimal  # rate_min × base
    comp_cap: Decimal  # rate_cap × base
    comp_accrual: Decimal
    comp_closing: Decimal


def compute_reserves(
    *,
    fee_income: Decimal,
    reserve_base: Decimal,
    comp_opening: Decimal,
    comp_used: Decimal,
    upr_rate: Decimal,
    comp_rate_min: Decimal,
    comp_rate_cap: Decimal,
) -> Reserves:
    """未到期责任准备金 = 50 % of the year's fee income; 担保赔偿准备金: accrue at least 1 % of the
    base, but once the balance reaches 10 % of the base only the difference (差额提取)."""
    upr = upr_rate * fee_income
    before = comp_opening - comp_used
    minimum = comp_rate_min * reserve_base
    cap = comp_rate_cap * reserve_base
    accrual = min(minimum, max(cap - before, ZERO))
    return Reserves(upr, before, minimum, cap, accrual, before + accrual)


# --- Compensation, loss and recovery rates (regulation.md §8.3) -------------------------------------

DENOMINATOR_RELEASE_PLUS_COMPENSATION = "release_plus_compensation"
DENOMINATOR_RELEASE_ONLY = "release_only"


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return numerator / denominator if denominator > 0 else None


def compute_compensation_rate(compensated: Decimal, released_normal: Decimal, *, denominator: str) -> Decimal | None:
    """代偿率 = 代偿额 / 解除担保额. `denominator` (parameter compensation_rate_denominator):
    release_plus_compensation = 正常解保 + 代偿 (国农担 logic, default); release_only = 正常解保.
    The same formula serves 本年 (year to date) and 累计 (since founding) with the matching inputs."""
    if denominator == DENOMINATOR_RELEASE_ONLY:
        return _ratio(compensated, released_normal)
    if denominator == DENOMINATOR_RELEASE_PLUS_COMPENSATION:
        return _ratio(compensated, released_normal + compensated)
    raise ValueError(f"unknown compensation-rate denominator {denominator!r}")


def compute_net_compensation_rate(
    compensated: Decimal, recovered: Decimal, released_normal: Decimal, *, denominator: str
) -> Decimal | None:
    """考虑追偿后的代偿率 = (代偿 − 追回) / 解除担保额 (same denominator choice)."""
    base = released_normal if denominator == DENOMINATOR_RELEASE_ONLY else released_normal + compensated
    return _ratio(compensated - recovered, base)


def compute_loss_rate(loss: Decimal, compensated: Decimal) -> Decimal | None:
    """代偿损失率 = 损失额 / 代偿额."""
    return _ratio(loss, compensated)


def compute_recovery_rate(recovered: Decimal, compensated: Decimal) -> Decimal | None:
    """代偿回收率 = 回收额 / 代偿额 ([PR])."""
    return _ratio(recovered, compensated)


def compute_compensation_balance(compensated_total: Decimal, loss_total: Decimal, recovered_total: Decimal) -> Decimal:
    """代偿余额 = 累计代偿 − 累计损失 − 累计收回 (report row 19)."""
    return compensated_total - loss_total - recovered_total


# --- Loss split and re-guarantee fee (regulation.md §4.3; TV-10, TV-11) -----------------------------


@dataclass(frozen=True)
class LossSplit:
    principal: Decimal
    bank: Decimal  # what the bank bears itself
    paid_to_bank: Decimal  # what the original guarantor pays the bank
    shares: dict[str, Decimal]  # each guarantor-side party's net loss before recovery
    recovery: Decimal
    recovery_shares: dict[str, Decimal]  # the recovery returned to each party, pro rata to its share of the claim
    final: dict[str, Decimal]  # net loss after recovery


def compute_loss_split(
    principal: Decimal, *, bank_share: Decimal, shares: Sequence[tuple[str, Decimal]], recovery: Decimal = ZERO
) -> LossSplit:
    """Split a compensated loss among the bank and the guarantor-side parties ("2:2:2:4", "4321").

    `shares` are (party, share of the loan principal) for the original guarantor and each
    re-guarantor / fund / government; with the bank's share they must sum to 1. The original
    guarantor pays the bank everything but the bank's share and is reimbursed by the others; a
    later recovery on the subrogated claim goes back pro rata to each party's share of that claim.
    """
    total = bank_share + sum((s for _n, s in shares), ZERO)
    if total != ONE:
        raise ValueError(f"risk shares must sum to 100 %, got {total}")
    claim = principal - principal * bank_share
    net = {name: principal * share for name, share in shares}
    side = ONE - bank_share
    returned = {name: (recovery * share / side) if side > 0 else ZERO for name, share in shares}
    final = {name: net[name] - returned[name] for name, _s in shares}
    return LossSplit(principal, principal * bank_share, claim, net, recovery, returned, final)


def compute_reguarantee_fee(
    loan_amount: Decimal, *, fund_share: Decimal, threshold: Decimal, rate_le: Decimal, rate_gt: Decimal
) -> Decimal:
    """National-fund re-guarantee fee per year = fund's risk share of the loan × 0.3 % (single loan
    ≤ 500万, inclusive) or 0.5 % (above) (TV-11)."""
    rate = rate_le if loan_amount <= threshold else rate_gt
    return loan_amount * fund_share * rate


# --- What-if (a proposed guarantee against the limits) ----------------------------------------------


@dataclass(frozen=True)
class LimitParams:
    leverage_cap_normal: Decimal = Decimal(10)
    leverage_cap_small_agri: Decimal = Decimal(15)
    small_agri_balance_share_min: Decimal = Decimal("0.50")
    small_agri_party_share_min: Decimal = Decimal("0.80")
    concentration_single: Decimal = Decimal("0.10")
    concentration_related: Decimal = Decimal("0.15")
    deduct_equity_in_guarantors: bool = True
    warning_ratio: Decimal = Decimal("0.90")


@dataclass(frozen=True)
class Snapshot:
    """Leverage and the proposed party's / group's concentration on one set of exposures."""

    table: LiabilityTable
    eligibility: Eligibility15
    leverage_cap: Decimal
    leverage: LimitCheck
    party: LimitCheck
    group: LimitCheck | None


def compute_snapshot(
    exposures: Sequence[Exposure],
    *,
    net_assets: Decimal,
    party_key: str,
    group_key: str = "",
    related_party_keys: frozenset[str] = frozenset(),
    weights: WeightParams,
    limits: LimitParams,
) -> Snapshot:
    """The leverage and concentration checks over `exposures` for one party (and its group).

    A guarantee belongs to the group when it carries the group key or its party is the party itself
    or one of its related parties (`related_party_keys`); without either there is no group check.
    """
    table = compute_liability_table(exposures, weights)
    eligibility = eligibility_15x_from_table(
        table, balance_share_min=limits.small_agri_balance_share_min, party_share_min=limits.small_agri_party_share_min
    )
    cap = limits.leverage_cap_small_agri if eligibility.eligible else limits.leverage_cap_normal
    leverage = compute_leverage(table.total_liability, net_assets, cap)
    own = sum((i.liability for i in table.items if i.exposure.party_key == party_key), ZERO)
    party = compute_concentration(own, net_assets, limits.concentration_single)
    group = None
    if group_key or related_party_keys:
        keys = related_party_keys | {party_key}
        members = sum(
            (i.liability for i in table.items if (group_key and i.exposure.group_key == group_key) or i.exposure.party_key in keys), ZERO
        )
        group = compute_concentration(members, net_assets, limits.concentration_related)
    return Snapshot(table, eligibility, cap, leverage, party, group)


@dataclass(frozen=True)
class Breach:
    code: str  # leverage | single | group | net_assets
    reason: str  # Chinese reason text
    excess: Decimal = ZERO


@dataclass
class Comparison:
    before: Snapshot
    after: Snapshot
    breaches: list[Breach] = field(default_factory=list)


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{(value * 100).quantize(Decimal('0.01'))}%"


def _wan(value: Decimal) -> str:
    return f"{(value / Decimal(10000)).quantize(Decimal('0.01')):,}万元"


def compute_what_if(
    exposures: Sequence[Exposure],
    proposed: Exposure,
    *,
    net_assets: Decimal,
    related_party_keys: frozenset[str] = frozenset(),
    weights: WeightParams,
    limits: LimitParams,
) -> Comparison:
    """Before and after adding `proposed`, with the breaches the proposal would cause (Chinese texts).

    A limit already breached before is reported again when the proposal adds to it.
    """
    common = {
        "net_assets": net_assets,
        "party_key": proposed.party_key,
        "group_key": proposed.group_key,
        "related_party_keys": related_party_keys,
        "weights": weights,
        "limits": limits,
    }
    before = compute_snapshot(exposures, **common)
    after = compute_snapshot([*exposures, proposed], **common)
    result = Comparison(before, after)
    if net_assets <= 0:
        result.breaches.append(Breach("net_assets", "净资产（扣除对其他担保机构的股权投资后）不为正数，无法满足放大倍数和集中度要求。"))
        return result
    lev = after.leverage
    if lev.breached and lev.headroom is not None:
        result.breaches.append(
            Breach(
                "leverage",
                f"融资担保责任余额将达到净资产的 {lev.ratio.quantize(Decimal('0.0001')) if lev.ratio is not None else '—'} 倍，"
                f"超过 {after.leverage_cap} 倍上限（条例第十五条），超出 {_wan(-lev.headroom)}。",
                -lev.headroom,
            )
        )
    party = after.party
    if party.breached and party.headroom is not None:
        result.breaches.append(
            Breach(
                "single",
                f"对单一被担保人 {proposed.party_name} 的融资担保责任余额将占净资产的 {_pct(party.ratio)}，"
                f"超过 {_pct(limits.concentration_single)} 上限（条例第十六条），超出 {_wan(-party.headroom)}。",
                -party.headroom,
            )
        )
    group = after.group
    if group is not None and group.breached and group.headroom is not None:
        result.breaches.append(
            Breach(
                "group",
                f"对 {proposed.party_name} 及其关联方的融资担保责任余额将占净资产的 {_pct(group.ratio)}，"
                f"超过 {_pct(limits.concentration_related)} 上限（条例第十六条），超出 {_wan(-group.headroom)}。",
                -group.headroom,
            )
        )
    return result
