"""Organisation and access: departments, positions, users, roles, data scope, login security."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "danbao.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from danbao.core import demo, menu
        from danbao.core.menu import MenuItem
        from danbao.org import demo as org_demo
        from danbao.org import permissions as p

        demo.register(demo.DemoStep("org", 10, org_demo.seed))

        for group in (p.WORKBENCH, p.ORG_ADMIN, p.SECURITY_ADMIN, p.AUDIT_ADMIN, p.SYSTEM_ADMIN):
            p.register(group)
        for item in (
            MenuItem("org.departments", "system", _("Departments"), "org:department-list", "org.dept.manage", 10, "ti-sitemap"),
            MenuItem("org.positions", "system", _("Positions"), "org:position-list", "org.position.manage", 20, "ti-id-badge"),
            MenuItem("org.users", "system", _("Users"), "org:user-list", "org.user.view", 30, "ti-user-cog"),
            MenuItem("org.roles", "system", _("Roles"), "org:role-list", "org.role.manage", 40, "ti-shield-lock"),
            MenuItem("org.grants", "system", _("Role grants"), "org:grant-list", "security.role.grant", 45, "ti-key"),
            MenuItem("org.policy", "system", _("Security policy"), "org:policy", "security.policy.manage", 50, "ti-lock"),
            MenuItem("org.online", "system", _("Online users"), "org:online-users", "security.session.manage", 55, "ti-plug-connected"),
        ):
            menu.register_item(item)
