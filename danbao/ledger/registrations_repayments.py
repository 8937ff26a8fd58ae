"""Registrations of the repayment, release and maturity work of the ledger (imported by
`ledger.registrations`): the release permission and its default grants, audit event names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.ledger.repayments import RELEASE
from danbao.org import permissions, roles

if "ledger_release" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "ledger_release",
            pgettext_lazy("ledger app", "Release of guarantees"),
            ((RELEASE, _("Release (解保) in-force guarantees of projects in the data scope once repaid")),),
        )
    )
for _role in ("business_manager", "risk_manager", "dept_head", "general_manager"):
    roles.register_default_grants(_role, RELEASE)

labels.register_labels(
    {
        "ledger.repayment_recorded": pgettext_lazy("audit event", "Repayment recorded"),
        "ledger.repayment_reversed": pgettext_lazy("audit event", "Repayment reversed"),
        "ledger.repayments_imported": pgettext_lazy("audit event", "Bank repayments imported"),
        "ledger.guarantee_released": pgettext_lazy("audit event", "Guarantee released"),
        "ledger.maturity_reminders": pgettext_lazy("audit event", "Maturity reminders sent"),
    }
)
