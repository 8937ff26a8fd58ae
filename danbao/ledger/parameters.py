"""The ledger's dated system parameter: how many days a loan's maturity may pass the approved term.

Banks set a loan's maturity a whole number of months after the loan date, sometimes moved to the next
working day; a few days of tolerance keep such loans recordable without a change request. Created by
`ensure_parameters` (demo step, tests); read with `param_value`, falling back to the default when a
database was never set up."""

from __future__ import annotations

from datetime import date

from danbao.core.errors import DomainError
from danbao.system.selectors import param_value

TERM_TOLERANCE = "ledger_term_tolerance_days"
TERM_TOLERANCE_DEFAULT = 7


def ensure_parameters() -> int:
    """Create the missing parameter with its first version (idempotent); returns how many."""
    from danbao.system.models import Parameter
    from danbao.system.services.parameters import parameter_define

    if Parameter.objects.filter(code=TERM_TOLERANCE).exists():
        return 0
    parameter_define(
        actor=None,
        code=TERM_TOLERANCE,
        name="放款到期日超出批复期限的容差天数",
        kind="int",
        value=str(TERM_TOLERANCE_DEFAULT),
        unit="天",
        legal_force=False,
        category="在保台账",
        description="贷款到期日可晚于“首笔放款日 + 批复期限”的天数（到期日顺延至工作日等情形）；超过即拒绝登记放款。",
        source="机构内部管理要求",
    )
    return 1


def term_tolerance_days(on: date | None = None) -> int:
    try:
        return int(param_value(TERM_TOLERANCE, on))
    except (DomainError, TypeError, ValueError):
        return TERM_TOLERANCE_DEFAULT
