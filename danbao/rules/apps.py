"""Business rules (业务规则管理): catalogue, dated parameters, evaluation with stored explanations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW = "rules.rule.view"
MANAGE = "rules.rule.manage"
VIEW_ROLES = ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman", "committee_member")


class RulesConfig(AppConfig):
    name = "danbao.rules"
    label = "rules"
    verbose_name = _("Business rules")

    def ready(self) -> None:
        from danbao.audit import labels
        from danbao.core import demo, menu
        from danbao.core.menu import MenuItem
        from danbao.org import permissions, roles
        from danbao.rules import checks

        checks.register_all()
        if "rules" not in permissions.catalog:
            permissions.register(
                permissions.PermissionGroup(
                    "rules",
                    _("Business rules"),
                    (
                        (VIEW, _("View business rules, run trial evaluations, read stored evaluations")),
                        (MANAGE, _("Change business rules and their parameters")),
                    ),
                )
            )
        for role in VIEW_ROLES:
            roles.register_default_grants(role, VIEW)
        roles.register_default_grants("general_manager", MANAGE)
        for item in (
            MenuItem("rules.list", "projects", _("Business rules"), "rules:rule-list", VIEW, 82, "ti-list-check"),
            MenuItem("rules.trial", "projects", _("Rule trial"), "rules:trial", VIEW, 83, "ti-flask"),
            MenuItem("rules.evaluations", "projects", _("Rule evaluations"), "rules:evaluation-list", VIEW, 84, "ti-report-search"),
        ):
            if item.key not in menu.items:
                menu.register_item(item)
        labels.register_group("rule.", _("Business rules"))
        labels.register_labels(
            {
                "rule.updated": _("Business rule changed"),
                "rule.parameter_added": _("Business rule parameter added"),
                "rule.evaluated": _("Business rules evaluated"),
            }
        )
        if "rules" not in demo.steps:
            demo.register(demo.DemoStep("rules", 55, _run_demo))


def _run_demo() -> str:
    from danbao.rules.models import Rule
    from danbao.rules.services import rules_ensure

    created = rules_ensure()
    return f"{created} rules created, {Rule.objects.count()} in the catalogue"
