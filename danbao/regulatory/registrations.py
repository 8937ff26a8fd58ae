"""Permission group, default grants of built-in roles, menu items, audit labels and the demo step."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from danbao.audit import labels
from danbao.core import demo, menu
from danbao.core.menu import MenuItem
from danbao.org import permissions
from danbao.org.roles import register_default_grants

METRICS_VIEW = "regulatory.metrics.view"
INPUTS_MANAGE = "regulatory.inputs.manage"
WHATIF_RUN = "regulatory.whatif.run"

permissions.register(
    permissions.PermissionGroup(
        "regulatory",
        _("Regulatory metrics"),
        (
            (METRICS_VIEW, _("View regulatory metrics and export the liability table")),
            (INPUTS_MANAGE, _("Enter and correct monthly finance figures")),
            (WHATIF_RUN, _("Test a proposed guarantee against the regulatory limits")),
        ),
    )
)
for role in ("general_manager", "chairman", "risk_manager", "finance"):
    register_default_grants(role, METRICS_VIEW)
register_default_grants("finance", INPUTS_MANAGE)
for role in ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman"):
    register_default_grants(role, WHATIF_RUN)

menu.register_item(MenuItem("regulatory.metrics", "reports", _("Regulatory metrics"), "regulatory:metrics", METRICS_VIEW, 10, "ti-scale"))
menu.register_item(
    MenuItem("regulatory.whatif", "reports", _("Limit test (what-if)"), "regulatory:what-if", WHATIF_RUN, 12, "ti-calculator")
)
menu.register_item(
    MenuItem("regulatory.inputs", "finance", _("Monthly finance figures"), "regulatory:input-list", INPUTS_MANAGE, 10, "ti-report-money")
)

labels.register_group("regulatory.", _("Regulatory metrics"))
labels.register_labels(
    {
        "regulatory.finance_input_saved": _("Monthly finance figures saved"),
        "regulatory.liability_table_exported": _("Liability table exported"),
    }
)


def _run_demo() -> str:
    from danbao.regulatory.demo import seed

    return seed()


demo.register(demo.DemoStep("regulatory", 50, _run_demo))
