"""Risk assessment scorecards (担保风险评估): versioned templates per product and customer kind,
factors, bins and grades; stored assessments with their breakdown and audited adjustments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

TEMPLATE_MANAGE = "scoring.template.manage"
RUN = "scoring.assessment.run"
VIEW = "scoring.assessment.view"
ADJUST = "scoring.assessment.adjust"
VIEW_ROLES = ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman", "committee_member")


class ScoringConfig(AppConfig):
    name = "danbao.scoring"
    label = "scoring"
    verbose_name = _("Risk assessment")

    def ready(self) -> None:
        from danbao.audit import labels
        from danbao.core import demo, menu
        from danbao.core.menu import MenuItem
        from danbao.org import permissions, roles

        if "scoring" not in permissions.catalog:
            permissions.register(
                permissions.PermissionGroup(
                    "scoring",
                    _("Risk assessment"),
                    (
                        (VIEW, _("View risk assessments and scorecards")),
                        (RUN, _("Run risk assessments")),
                        (ADJUST, _("Adjust a qualitative factor of an assessment (with a reason, audited)")),
                        (TEMPLATE_MANAGE, _("Configure scorecard templates and publish versions")),
                    ),
                )
            )
        for role in VIEW_ROLES:
            roles.register_default_grants(role, VIEW)
        roles.register_default_grants("business_manager", RUN)
        roles.register_default_grants("risk_manager", RUN, ADJUST, TEMPLATE_MANAGE)
        roles.register_default_grants("general_manager", TEMPLATE_MANAGE)
        for item in (
            MenuItem("scoring.assessments", "projects", _("Risk assessments"), "scoring:assessment-list", VIEW, 60, "ti-gauge"),
            MenuItem("scoring.run", "projects", _("Assess a customer"), "scoring:run-start", RUN, 61, "ti-player-play"),
            MenuItem(
                "scoring.templates", "projects", _("Scorecard templates"), "scoring:template-list", TEMPLATE_MANAGE, 85, "ti-list-numbers"
            ),
        ):
            if item.key not in menu.items:
                menu.register_item(item)
        labels.register_group("scoring.", _("Risk assessment"))
        labels.register_labels(
            {
                "scoring.template_created": _("Scorecard template created"),
                "scoring.template_changed": _("Scorecard template changed"),
                "scoring.draft_opened": _("Scorecard draft version opened"),
                "scoring.factor_saved": _("Scorecard factor saved"),
                "scoring.factor_removed": _("Scorecard factor removed"),
                "scoring.grades_saved": _("Scorecard grades saved"),
                "scoring.version_published": _("Scorecard version published"),
                "scoring.version_retired": _("Scorecard version retired"),
                "scoring.assessment_run": _("Risk assessment run"),
                "scoring.assessment_adjusted": _("Risk assessment adjusted"),
            }
        )
        from danbao.customers import tabs

        if "assessments" not in tabs.tabs:
            tabs.register(tabs.CustomerTab("assessments", _("Risk assessments"), "scoring/customer_tab.html", _tab_context, 60, VIEW))
        if "scoring" not in demo.steps:
            demo.register(demo.DemoStep("scoring", 70, _run_demo))


def _tab_context(customer: object, user: object) -> dict[str, object]:
    """The customer 360 tab: this customer's assessments (any subject) the user may see."""
    from danbao.scoring.selectors import assessment_list_for

    found = list(
        assessment_list_for(user)
        .filter(customer=customer)
        .select_related("version__template", "created_by", "customer")
        .order_by("-created_at", "-id")[:20]
    )
    return {"assessments": found, "latest": found[0] if found else None, "can_run": user.can(RUN)}  # type: ignore[attr-defined]


def _run_demo() -> str:
    from danbao.scoring.demo import seed

    return seed()
