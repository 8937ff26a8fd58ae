"""Regulatory business classes (融资担保责任余额计量办法, shared/domain/regulation.md §2.2.1).

Products choose a class; exposures carry it; the liability-balance weights hang on it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GuaranteeClass(models.TextChoices):
    LOAN = "loan", _("Borrowing-type guarantee (借款类担保)")
    BOND = "bond", _("Bond issuance guarantee (发行债券担保)")
    OTHER_FINANCING = "other_financing", _("Other financing guarantee (其他融资担保)")
    NON_FINANCING = "non_financing", _("Non-financing guarantee (非融资担保)")


class LoanKind(models.TextChoices):
    """Sub-bucket of a borrowing-type guarantee; small/micro and farmer get the reduced weight under the thresholds."""

    SMALL_MICRO = "small_micro", _("Small or micro enterprise (小微企业)")
    FARMER = "farmer", _("Farmer (农户)")
    HOUSING = "housing", _("Housing purchase (住房置业)")
    OTHER = "other", _("Other borrowing (其他借款类)")
