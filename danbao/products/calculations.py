"""Pure checks of a product version's terms (no ORM): structure, risk shares, policy fee caps.

Policy caps (shared/domain/regulation.md): 国办发〔2019〕6号 fee rate ≤1% for a single guarantee of
≤500万元 and ≤1.5% above [V]; 财金〔2025〕11号 art. 6 focus on single guarantees ≤1000万元 [V];
农担 财农〔2020〕15号 policy range 10万–300万元 and single maximum 1000万元 [P], fee cap 0.8% [R].
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

ONE = Decimal(1)
ZERO = Decimal(0)
SHARE_FIELDS = ("bank_share", "reguarantor_share", "fund_share", "gov_pool_share")


def percent(rate: Decimal | None) -> str:
    """0.015 → '1.5%'."""
    if rate is None:
        return ""
    value = (Decimal(rate) * 100).quantize(Decimal("0.0001")).normalize()
    return f"{format(value, 'f')}%"


def wan(amount: Decimal | None) -> str:
    """Yuan → '500万元' style for messages."""
    if amount is None:
        return ""
    value = (Decimal(amount) / 10000).normalize()
    return f"{format(value, 'f')}万元"


def own_share(terms: Any) -> Decimal:
    """The share the institution keeps after the bank, re-guarantor, fund and government pool."""
    return ONE - sum((Decimal(getattr(terms, f) or 0) for f in SHARE_FIELDS), ZERO)


def terms_problems(terms: Any) -> list[str]:
    """Every structural problem of a version's terms (empty list = consistent)."""
    problems: list[str] = []
    if terms.amount_min is None or terms.amount_max is None or terms.amount_min < 0 or terms.amount_min > terms.amount_max:
        problems.append(_("The minimum amount must be zero or more and not above the maximum amount."))
    if terms.term_min_months is None or terms.term_max_months is None or terms.term_min_months > terms.term_max_months:
        problems.append(_("The minimum term must not be longer than the maximum term."))
    elif terms.term_min_months < 1:
        problems.append(_("The minimum term is at least 1 month."))
    rates = (terms.fee_rate_min, terms.fee_rate_default, terms.fee_rate_max)
    if any(r is None or r < 0 or r > ONE for r in rates):
        problems.append(_("Fee rates must be between 0% and 100%."))
    elif not terms.fee_rate_min <= terms.fee_rate_default <= terms.fee_rate_max:
        problems.append(
            _("The default fee rate %(default)s must lie within the range %(min)s – %(max)s.")
            % {"default": percent(terms.fee_rate_default), "min": percent(terms.fee_rate_min), "max": percent(terms.fee_rate_max)}
        )
    if any(Decimal(getattr(terms, f) or 0) < 0 or Decimal(getattr(terms, f) or 0) > ONE for f in SHARE_FIELDS):
        problems.append(_("Each risk share must be between 0% and 100%."))
    elif own_share(terms) < 0:
        total = ONE - own_share(terms)
        problems.append(_("The risk shares add up to %(total)s; together they may not exceed 100%%.") % {"total": percent(total)})
    if terms.margin_ratio is not None and not ZERO <= terms.margin_ratio <= ONE:
        problems.append(_("The margin ratio must be between 0% and 100%."))
    if terms.review_fee_amount is not None and terms.review_fee_amount < 0:
        problems.append(_("The review fee cannot be negative."))
    if terms.effective_to is not None and terms.effective_from is not None and terms.effective_to < terms.effective_from:
        problems.append(_("The end date must not be before the start date."))
    return problems


@dataclass(frozen=True)
class PolicyCaps:
    """Dated parameter values in force on the version's start date."""

    threshold: Decimal  # 5,000,000 yuan: the 6号文 band boundary ("500万元及以下" includes it)
    fee_cap_le: Decimal  # gov_fee_cap_le_5m
    fee_cap_gt: Decimal  # gov_fee_cap_gt_5m
    gov_single_max: Decimal | None  # gov_focus_single_max
    nongdan_range: tuple[Decimal, Decimal] | None  # nongdan_policy_range
    nongdan_single_max: Decimal | None  # nongdan_single_max
    nongdan_fee_cap: Decimal | None  # nongdan_fee_cap


def policy_findings(terms: Any, caps: PolicyCaps) -> tuple[list[str], list[str]]:
    """(refusals, warnings) of a policy or agricultural-policy version against the caps."""
    refusals: list[str] = []
    warnings: list[str] = []
    if terms.is_policy:
        if terms.amount_max <= caps.threshold:
            if terms.fee_rate_max > caps.fee_cap_le:
                refusals.append(
                    _(
                        "Policy product: for single guarantees of %(threshold)s or less the fee rate may not exceed %(cap)s "
                        "(国办发〔2019〕6号); the maximum fee rate is %(rate)s."
                    )
                    % {"threshold": wan(caps.threshold), "cap": percent(caps.fee_cap_le), "rate": percent(terms.fee_rate_max)}
                )
        else:
            if terms.fee_rate_max > caps.fee_cap_gt:
                refusals.append(
                    _(
                        "Policy product: for single guarantees above %(threshold)s the fee rate may not exceed %(cap)s "
                        "(国办发〔2019〕6号); the maximum fee rate is %(rate)s."
                    )
                    % {"threshold": wan(caps.threshold), "cap": percent(caps.fee_cap_gt), "rate": percent(terms.fee_rate_max)}
                )
            if terms.amount_min <= caps.threshold and terms.fee_rate_max > caps.fee_cap_le:
                warnings.append(
                    _("Guarantees of %(threshold)s or less under this product are capped at %(cap)s when a project is evaluated.")
                    % {"threshold": wan(caps.threshold), "cap": percent(caps.fee_cap_le)}
                )
        if caps.gov_single_max is not None and terms.amount_max > caps.gov_single_max:
            warnings.append(
                _(
                    "Government guarantors focus on single guarantees of %(max)s or less (财金〔2025〕11号 art. 6); "
                    "the maximum amount is %(amount)s."
                )
                % {"max": wan(caps.gov_single_max), "amount": wan(terms.amount_max)}
            )
    if terms.business_type == "agri_policy":
        if caps.nongdan_single_max is not None and terms.amount_max > caps.nongdan_single_max:
            refusals.append(
                _("Agricultural credit guarantee: the single-household maximum is %(max)s; the maximum amount is %(amount)s.")
                % {"max": wan(caps.nongdan_single_max), "amount": wan(terms.amount_max)}
            )
        if caps.nongdan_fee_cap is not None and terms.fee_rate_max > caps.nongdan_fee_cap:
            warnings.append(
                _("Agricultural policy business: the fee cap is %(cap)s (recalled, verify); the maximum fee rate is %(rate)s.")
                % {"cap": percent(caps.nongdan_fee_cap), "rate": percent(terms.fee_rate_max)}
            )
        if caps.nongdan_range is not None:
            low, high = caps.nongdan_range
            if terms.amount_min < low or terms.amount_max > high:
                warnings.append(
                    _(
                        "Only households with %(low)s to %(high)s in force count as agricultural policy business (双控); "
                        "amounts outside need extra approval."
                    )
                    % {"low": wan(low), "high": wan(high)}
                )
    return refusals, warnings
